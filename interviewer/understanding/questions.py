"""The candidate's questions to the interviewer, one per thing asked.

"Who are the users, and what peak load should I plan for?" is two questions. A question the
candidate goes on to answer in the same turn without turning to the interviewer ("What happens if
the worker dies? The client reconnects ...") is thinking aloud, not a question to answer, unless it
is about the problem itself (then the interviewer confirms or corrects). Spoken answers arrive
without question marks, so a sentence that opens like a question counts as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .signals import Span, fingerprint
from .topics import REPEAT, TIME_LEFT, TopicTerms, topic_spans, topics_in

QuestionKind = Literal["fact", "time", "repeat", "permission", "open", "choice"]

_OPENS_LIKE_QUESTION = re.compile(
    r"^(?:(?:so|and|or|also|ok|okay|um|uh|right|quick question|one more thing|last one)[,\s]+)*"
    r"(?:who|what|what's|whats|when|where|which|how|why|is|are|was|were|do|does|did|has|have|can|could|should|would"
    r"|will|may|shall|am)\b"
)
# "What I'd do is ...", "How we handle it: ...", "What worries me is ...", "What's untested is ..." open like
# questions but are statements.
_DECLARATIVE = re.compile(
    r"^(?:(?:so|and|also|ok|okay|um|uh|right)[,\s]+)*(?:what|how|where|when|which|why)\s+(?:i|we|i'd|we'd|i'll|we'll|i'm|"
    r"you'd|the|this|that|it)\b(?!.*\?$)"
    r"|^(?:(?:so|and|also|ok|okay|um|uh|right|but)[,\s]+)*(?:what|who)\s+(?:worries|bugs|bothers|concerns|matters|mattered"
    r"|scares|happens|happened|changed|surprised|helped|counts|stands out|stood out|jumps out|jumped out|struck me|strikes me"
    r"|drives|drove|hurts|hurt|broke|worked|failed|saved|convinced|annoys|frustrates|interests|excites|draws me|pulls me"
    r"|stuck out|sticks out|sold me|caught)(?:\s+[\w']+){0,3}?\s+(?:is|was|are|were)\b(?!.*\?$)"
    r"|^(?:(?:so|and|also|ok|okay|um|uh|right|but)[,\s]+)*what's\s+(?:\w+\s+){1,3}?(?:is|was|are)\b(?!.*\?$)"
    r"|^(?:(?:so|and|also|ok|okay|um|uh|right|but)[,\s]+)*what (?:would|will|could|might) \w+(?: [\w']+){0,3}? (?:is|was)\b(?!.*\?$)"
    r"|^(?:(?:so|and|ok|okay|um|uh|well)[,\s]+)*(?:should|would|could|will|might|must|can|may) be\b(?!.*\?$)"
)
_ASKS_OUTRIGHT = re.compile(
    r"\b(?:i'd (?:like|want|love) to (?:know|check|confirm|clarify)|can you tell me|could you tell me"
    r"|i'm wondering|i wonder|i was wondering|i'd (?:like|want) to ask|let me ask|my question is"
    r"|can you (?:confirm|clarify)|could you (?:confirm|clarify)|i'd (?:love|like) (?:a sense|to hear)|i'm curious"
    r"|curious (?:what|how|whether|if))\b"
)
# Addressed to the interviewer even when the candidate goes on talking afterwards.
_ADDRESSED = re.compile(
    r"\b(?:you|your|can i|could i|may i|should i|shall i|do i|am i|is it ok|is it okay|is that ok|is that okay"
    r"|do we|are we|should we|can we|will we|were we|was i|was it|did we|did you|were you|is there|are there"
    r"|would it be|do you|supposed to|part of the (?:brief|spec|task|problem|scope|assignment))\b"
)
_PERMISSION = re.compile(
    r"\b(?:can i(?! have\b)|could i(?! have\b)|may i|is it ok|is it okay|is that ok|is that okay|is that fine|do you mind|should i (?:start|go|begin"
    r"|just|write|code|jump|dive|focus)|shall i|do you want me|would you like me|want me to|am i allowed|is it fine"
    r"|does that (?:sound|work|make sense)|sound good|okay with you|ok with you|fine with you)\b"
)
# A question asked mid-sentence without a question mark, as people speak: "and after the tech screen, how soon
# would I hear something", "if their on-call stays dark who else is there for me to reach". A wh-word and then
# the verb before its subject; "I know what we should do" (subject first) is a statement.
_INVERTED = re.compile(
    r"(?<!know )(?<!sure )(?<!see )(?<!decide )(?<!explain )(?<!wonder )(?<!matter )(?<!about )"
    r"\b(?:who|what|when|where|which|how)(?:\s+(?:else|soon|long|many|much|often|big|far)(?:\s+\w+){0,3}?)?\s+"
    r"(?:is|are|was|were|do|does|did|should|would|could|can|will|shall)\s+(?:there|i|we|you|they|it|he|she)\b"
)
# A caveat put to the interviewer about a ground rule ("heads up, I only have ballpark numbers"): it asks
# whether that's all right, and the rule is the answer.
_CAVEAT = re.compile(r"\b(?:heads up|just so you know|fair warning|full disclosure|to be upfront|i should mention"
                     r"|i should say|fyi|warning you)\b")
# A limit on what the candidate can say ("under NDA, so I can't share their name") asks how to handle it.
_CONSTRAINT = re.compile(r"\b(?:can't|cannot|can not|won't be able to|not allowed to|not able to)\s+(?:share|say|disclose"
                         r"|name|show|give out|talk about)\b|\bunder (?:an )?nda\b")
# "Hope that's alright", "if that's okay": asking for permission without a question mark.
_HOPE_OK = re.compile(r"\b(?:hope|if) (?:that's|that is|it's|this is) (?:alright|all right|ok|okay|fine|acceptable|allowed)\b"
                      r"|\bif (?:that|this) works\b")
# A question asked after a comma inside a longer sentence: "two things I'm not sure about, what should come
# out for an all-masked row, and does True mean allowed". Relative clauses (", which is fast") are not.
_MID_QUESTION = re.compile(
    r"[,:;]\s*(?:and |so |but |or )?(?:what (?:should|would|does|do|is|are|happens)|how (?:should|would|does|do|is|are|many|much)"
    r"|(?:does|do|is|are) (?:the|a|an|it|this|that|there|true|false|anything|anyone)\b|(?:can|should|could) (?:i|we|it)\b)"
)
# A yes/no question mid-sentence, as spoken: "for the expiry index can I just use sortedcontainers".
_ASKS_LEAVE = re.compile(r"(?<!\bi )(?<!\bwe )\b(?:can|could|may|should|do|am) i (?!think\b|guess\b|see\b|say\b|be\b)\w+")
# A statement that opens with a condition and its subject ("When a member calls it ...", "If the queue
# backs up, ..."), as opposed to "When does it run?": said without a question mark, it asks nothing.
_SUBORDINATE = re.compile(
    r"^(?:(?:so|and|but|then|ok|okay|right|now)[,\s]+)*(?:when|whenever|if|once|while)\s+(?:a|an|the|we|i|you|it|they"
    r"|this|that|these|those|someone|somebody|anyone|nobody|there|my|our|your|its|their|every|each|one|two)\b")
# A stated assumption or guess about the problem, put to the interviewer to confirm or correct.
_ASSUMING = re.compile(r"\b(?:i'm assuming|i am assuming|i'm guessing|i am guessing|presumably|i never found out"
                       r"|i've heard|i have heard|i heard that|someone told me|i was told|i read that"
                       r"|i just guessed|so i guessed)\b")
# Declining to tell something ("I'd rather not name the client, if that's OK"): not a request for permission.
# "I'd rather not hand-roll the softmax ... scipy, if that's allowed" declines a chore and asks about scipy.
_REFUSAL = re.compile(r"\b(?:rather not|prefer not|don't want to|do not want to|not comfortable)(?: to)?\s+"
                      r"(?:say|share|sharing|talk|talking|discuss|discussing|go into|going into|get into|getting into"
                      r"|answer|answering|disclose|disclosing|name|naming|mention|mentioning|give|giving|reveal|revealing)\b")
# Statements said as questions: they open with the speaker and ask the listener nothing.
_UPTALK = re.compile(r"^(?:(?:so|and|well|um|uh|honestly|yeah|i mean)[,\s]+)*(?:i|i'm|i've|i'd|my|maybe|probably)\b"
                     r"(?!\s+(?:wonder|was wondering|want to know|'d like to know))")
# ... unless the speaker is checking an assumption with the interviewer: "I'm assuming a million users?"
_CHECKING = re.compile(r"\b(?:assum|let's say|i'll take it|is that right|correct)\b")
# A question that points back at what was just said ("Is that a problem?") asks about it.
_ANAPHORIC = re.compile(r"\b(?:that|this|it)\b")
# What makes "how long do we have" about this interview's clock.
_INTERVIEW_TIME = re.compile(r"\b(?:left|remaining|in this|for this (?:interview|session|round|call|part)|on time|running out)\b")
# A question about how many things happen in a stretch of time: the load, whatever the things are called.
_RATE_ASKED = re.compile(r"\bhow (?:many|much)\b(?:\s+[\w'-]+){0,6}?\s+(?:per|a|an|each|every)\s+(?:second|minute|hour|day|week|month)\b")
# Asking who the users are, rather than naming them as the subject of another question.
_USERS_ASKED = re.compile(r"\bwho\b|\bwhat (?:kind|sort|type)s? of\b|\bwhich (?:users|customers|developers)\b|\buser base\b"
                          r"|\bpersonas?\b|\baudience\b|\bhow many (?:users|customers|developers)\b")
# Prepositions that attach one thing to another inside a question: "a runbook for regional latency",
# "a proxy with its own limits sitting between us and the customers".
_ATTACHES = re.compile(r"\b(?:for|of|about|on|between|around|behind|with|from)\b")
# A statement about the problem put up for confirmation: "The producers were our own services, yeah?"
_CONFIRM_TAG = re.compile(r",?\s*(?:yeah|right|correct|yes|isn't it|wasn't it|weren't they|didn't it|is that right"
                          r"|is that correct)\s*\?+$")
_SAYS_ABOUT = re.compile(r"\b(?:say|says|said|mention|mentions|specify|specifies|cover|covers|state|states) "
                         r"(?:anything |something )?(?:about|on)\b")
# Topics whose fact is the whole brief: named beside a narrower topic, the question is about the narrower one.
_WHOLE_BRIEF = frozenset({"brief"})
_JOINS = re.compile(r"[,;?]|\b(?:or|also|plus)\b")
# The candidate asking the interviewer to make a design choice for them: that is what the round tests.
_CHOICE_ASKED = re.compile(
    r"\b(?:do you have a preference|any preference|a preference between|which (?:one )?(?:would|do) you (?:prefer|pick|choose|recommend)"
    r"|would you (?:rather|prefer|pick|choose|recommend|go with)|what would you (?:pick|choose|use|go with)"
    r"|should i (?:use|go with|pick|choose) (?:\w+ ){0,3}or\b|do you want me to (?:use|go with|pick) (?:\w+ ){0,3}or\b)")

# Tags that turn a statement into a question in form only: "..., you know?", "Honestly?".
_TAG = re.compile(r"(?:,?\s*(?:you know|right|no|yeah|isn't it|doesn't it|wouldn't it|don't you think|see what i mean"
                  r"|make sense|honestly|really|seriously)\s*\?+)$")
# Joins that start a second question inside one sentence.
_SPLIT = re.compile(
    r"\s*(?:[,;]\s*(?:and|or|also|plus|but)?|\s(?:and|or|also|plus)(?:\s+also)?)\s+"
    r"(?=(?:who|what|what's|whats|when|where|which|how|is|are|do|does|should|can|could|will|would|roughly how)\b)"
)


@dataclass(frozen=True)
class Question:
    """One thing the candidate asked the interviewer."""

    text: str  # the part of the sentence that asks it, verbatim
    sentence: Span
    kind: QuestionKind
    topics: tuple[str, ...]


def find_questions(sentences: list[Span], catalogue: tuple[TopicTerms, ...], answerable: frozenset[str]) -> list[Question]:
    """The questions in an answer, split into one per thing asked. `answerable` holds the topics the
    problem has a fact for: a question about one of those is always answered, even one the candidate
    goes on to answer themselves (they may have assumed wrong)."""
    found: list[Question] = []
    for index, span in enumerate(sentences):
        low = span.text.lower().strip()
        if not _is_question(low, span.text):
            about = any(t in answerable for t in topics_in(low, catalogue))
            caveat = (_CAVEAT.search(low) or _ASSUMING.search(low) or _CONSTRAINT.search(low)
                      or _CONFIRM_TAG.search(low)) and about  # "The producers were internal, yeah?": check me
            if caveat or (_HOPE_OK.search(low) and not _REFUSAL.search(low)):
                kind: QuestionKind = "fact" if about else "permission"  # "scipy, if that's allowed": the rule answers it
                found.append(Question(span.text.strip(), span, kind, tuple(topics_in(low, catalogue))))
            continue
        after = [s.text for s in sentences[index + 1:] if not _is_question(s.text.lower().strip(), s.text)]
        for part in question_parts(span.text):
            part_low = part.lower()
            topics = _head_topics(part_low, catalogue, answerable)
            if index > 0 and not set(topics) & answerable and _ANAPHORIC.search(part_low) and len(part_low.split()) <= 12:
                # "Is that a problem?", "What is it, and how is it priced?": about what the sentence before named.
                before = tuple(t for t in topics_in(sentences[index - 1].text.lower(), catalogue) if t in answerable)
                topics = before or topics
            kind = _kind(part_low, topics, answerable)
            if kind == "open" and not _ADDRESSED.search(part_low) and _answered_after(part_low, after):
                continue  # thinking aloud: the candidate answers it themselves
            found.append(Question(part.strip(), span, kind, topics))
    return found


def _head_topics(low: str, catalogue: tuple[TopicTerms, ...], answerable: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The topics a question asks about. One named only to qualify another ("a runbook for regional
    latency", "the range for this role") is not asked about: the question is about the first."""
    spans = topic_spans(low, catalogue)
    says_about = _SAYS_ABOUT.search(low)
    if says_about and any(start >= says_about.end() for start, *_ in spans):
        # "Does the customer contract say anything about which status codes count?": asked about the status codes;
        # the contract is only where the answer would be.
        spans = [span for span in spans if span[0] >= says_about.end()]
    if any(t in _WHOLE_BRIEF for *_, t in spans) and any(t not in _WHOLE_BRIEF and t in answerable for *_, t in spans):
        # "Did the brief say anything about how long keys live?" asks about key lifetime; the brief is where
        # the answer would be, and its whole text would bury it. Only when the narrower topic has a fact of its
        # own: otherwise the brief's text is the best answer there is.
        spans = [span for span in spans if span[2] not in _WHOLE_BRIEF]
    kept: list[str] = []
    for index, (start, end, topic) in enumerate(spans):
        if topic in kept:
            continue
        if index > 0 and _attached(low[spans[index - 1][1]:start]):
            continue
        kept.append(topic)
    if _RATE_ASKED.search(low) and "load" not in kept and any(t.id == "load" for t in catalogue):
        kept.append("load")  # "how many webhooks are we sending per day" asks for the load in the problem's own nouns
    if "users" in kept and len(kept) > 1 and not _USERS_ASKED.search(low):
        kept.remove("users")  # "do customers expect them in order?" asks about ordering; the customers are its subject
    return tuple(kept)


def _answered_after(question: str, after: list[str]) -> bool:
    """Whether the candidate goes on to answer their own question: a statement of some length, or one on
    the question's words. "What's parental leave like? We're expecting in the spring." is context, not an answer."""
    asked = fingerprint(question)
    return any(len(text.split()) >= 8 or asked & fingerprint(text) for text in after)


def _attached(between: str) -> bool:
    """Whether the words between two topics make the second qualify the first rather than be asked about."""
    joined = _JOINS.search(between) or (re.search(r"\band\b", between) and "between" not in between)
    return len(between.split()) <= 10 and bool(_ATTACHES.search(between)) and not joined


# A sentence that opens as a statement ("So it loops forever pulling a job, marks it running, does the email
# ..."): a ", does the ..." inside it continues a list of what something does rather than asking.
_STATEMENT_START = re.compile(
    r"^(?:(?:ok|okay|so|and|then|right|well|basically)[,.]?\s+)*(?:it|this|that|they|he|she|we|i)\s+"
    r"(?!wonder|want|was wondering|need to know|would like|'d like|am not sure|'m not sure|am wondering|'m wondering"
    r"|am curious|'m curious|have a question|have two|have a couple|don't know|do not know|can't tell)[a-z']+")


def _is_question(low: str, original: str = "") -> bool:
    first = original.split()[0] if original.split() else ""
    if len(first) > 1 and first.isupper() and first.isalpha():
        return False  # "WHERE status = 'pending' ..." is SQL read aloud, not a question
    if _DECLARATIVE.search(low):
        return False  # "What I'd want to know first is whether ...", "Should be fine."
    tagged = _TAG.search(low)
    if tagged:  # "Honestly?", "it's the best place to be, you know?": a question only if the rest is one
        low = low[: tagged.start()].strip()
        if _CHECKING.search(low) and len(low.split()) >= 3:
            return True  # "I'm assuming nothing tests this today, right?"
        return len(low.split()) >= 3 and bool(_OPENS_LIKE_QUESTION.search(low)) and not _DECLARATIVE.search(low)
    if low.endswith("?"):
        if _UPTALK.search(low) and not (_ADDRESSED.search(low) or _INVERTED.search(low) or _CHECKING.search(low)):
            return False  # "I guess I just take on too much?": a statement said with a rising voice
        return len(low.split()) >= 2
    if _ASKS_OUTRIGHT.search(low):
        return True
    if len(low.split()) >= 4 and _INVERTED.search(low) and not low.startswith(("i ", "we ", "i'd ", "we'd ")):
        return True
    if len(low.split()) >= 5 and ((_MID_QUESTION.search(low) and not _STATEMENT_START.search(low)) or _ASKS_LEAVE.search(low)):
        return True
    if _SUBORDINATE.search(low):
        return False  # "So when a member calls it with no coupons, MEMBER5 goes onto the shared list."
    return bool(_OPENS_LIKE_QUESTION.search(low)) and len(low.split()) >= 3


def question_parts(text: str) -> list[str]:
    """The questions in one sentence ("Who calls this, and what do they rely on?"). A piece that asks nothing by itself ("Sorry,", "Before I answer,")
    joins the question after it."""
    parts: list[str] = []
    carry = ""
    for part in _SPLIT.split(text):
        if not part.strip(" ,;?"):
            continue
        low = part.strip().lower()
        # "So before I size anything: what hardware ...": the question opens after a lead-in and a colon.
        opens = _OPENS_LIKE_QUESTION.search(low) or _OPENS_LIKE_QUESTION.search(low.rsplit(":", 1)[-1].strip())
        if not low.endswith("?") and not opens and not _ASKS_OUTRIGHT.search(low):
            carry += part.strip() + " "
            continue
        parts.append((carry + part.strip()).strip())
        carry = ""
    if carry.strip():
        if parts:
            parts[-1] = f"{parts[-1]} {carry.strip()}"
        else:
            parts.append(carry.strip())
    return parts or [text]


def _kind(low: str, topics: tuple[str, ...], answerable: frozenset[str]) -> QuestionKind:
    if TIME_LEFT.search(low) and (_INTERVIEW_TIME.search(low) or not any(t in answerable for t in topics)):
        return "time"  # "how long do we have for the run?" asks about the problem's schedule, not this interview
    if REPEAT.search(low):
        return "repeat"
    if _CHOICE_ASKED.search(low):
        return "choice"  # "Postgres or Cassandra for the delivery log, any preference?": the design is theirs
    if any(t in answerable for t in topics):
        return "fact"
    if _PERMISSION.search(low):
        return "permission"
    return "open"
