"""interviewer: a terminal mock-interview coach.

The core (rubrics, round engine, transcripts, brains, scoring) never imports a UI
toolkit; user interfaces are thin layers over it.
"""

__version__ = "0.2.0"
