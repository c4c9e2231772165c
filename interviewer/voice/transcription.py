"""What speech recognition returns: plain data, no numpy, so any layer can hold and save it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace


@dataclass(frozen=True)
class Word:
    text: str
    start: float  # seconds from the start of the recording
    end: float
    probability: float


@dataclass(frozen=True)
class Segment:
    text: str
    start: float
    end: float
    words: tuple[Word, ...] = ()


@dataclass
class Transcription:
    text: str
    segments: list[Segment] = field(default_factory=list)
    duration: float = 0.0  # seconds of audio heard, silence included
    language: str = "en"
    processing_s: float = 0.0  # time spent recognising, for the real-time factor

    @property
    def words(self) -> list[Word]:
        return [word for segment in self.segments for word in segment.words]

    def shifted(self, offset: float) -> "Transcription":
        """The same transcription with every time moved by `offset` seconds (a piece of a longer
        recording, re-based to the recording's clock)."""
        segments = [
            replace(s, start=s.start + offset, end=s.end + offset,
                    words=tuple(replace(w, start=w.start + offset, end=w.end + offset) for w in s.words))
            for s in self.segments]
        return replace(self, segments=segments)

    def between(self, start: float, end: float = float("inf")) -> "Transcription":
        """Only the words centred in [start, end): the rest was context heard around them."""
        segments = []
        for segment in self.segments:
            words = tuple(w for w in segment.words if start <= (w.start + w.end) / 2 < end)
            if len(words) == len(segment.words):
                if words or start <= (segment.start + segment.end) / 2 < end:
                    segments.append(segment)
            elif words:
                segments.append(Segment(" ".join(w.text for w in words), words[0].start, words[-1].end, words))
        return replace(self, text=join_text(s.text for s in segments), segments=segments)

    @classmethod
    def join(cls, pieces: list["Transcription"], duration: float, processing_s: float = 0.0) -> "Transcription":
        """Pieces already on the recording's clock, in order, as one transcription."""
        segments = [segment for piece in pieces for segment in piece.segments]
        return cls(text=join_text(p.text for p in pieces), segments=segments, duration=duration,
                   language=pieces[0].language if pieces else "en", processing_s=processing_s)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["segments"] = [{**s, "words": list(s["words"])} for s in data["segments"]]
        return data


def join_text(parts) -> str:
    return " ".join(part.strip() for part in parts if part and part.strip())
