"""What the interviewer's questions ask for, and what in an answer engages with it.

The engine reads its own last question with these to know which signal an answer owes it (a "why" wants a
reason, "what breaks at 10x" wants scale), and reads the answer with them to see whether it engaged, in
whatever words. Matched against lower-cased text, like the rest of the lexicon.
"""

from __future__ import annotations

import re

from .patterns import words

# What an interviewer question asks for, so an answer to it counts as prompted.
PROMPT_CUES: dict[str, re.Pattern[str]] = {
    "scale": re.compile(r"\d+\s?x\b|\bscale|grow|traffic (?:doubles|increases|spikes)|what breaks|order of magnitude|ten times|hundred times|thousand times|more load"),
    "failure_modes": re.compile(r"fail|goes down|go down|\bdies\b|\bdie\b|crash|outage|what happens (?:if|when|to)|break|backs up|worst case|recover|lost|partition|goes wrong|unavailable"),
    # "Your working numbers" asks for numbers; "where did the offline numbers and what users saw disagree?" does not.
    "numbers": re.compile(r"how many|how much|(?:your|working|rough|some|the|put|give me) numbers|numbers\?|estimate|\bload\b(?! balanc)|qps|requests per|latency target|how big|\bsize"
                          r"|throughput|budget|how long|how fast"),
    "tradeoffs": re.compile(r"trade|why not|alternative|instead|versus|\bvs\b|compare|give up|pros and cons|why (?:did you |would you )?(?:choose|pick|go with)|downside|why this"),
    "testing": re.compile(r"test|edge case|corner case|verify|how do you know it works"),
    # A gate that states "must run in O(1)" sets a requirement; it doesn't ask for an analysis. "Is that O(1)?" does.
    "complexity": re.compile(r"complexity|big-o|big o|o\([^)]{0,12}\)\s*\?|how fast|runtime|time and space"),
    "breadth": re.compile(r"front ?end|client|end to end|end-to-end|user experience|\bux\b|\bcost|api contract"),
    "ownership": re.compile(r"differently|your role|what did you (?:do|decide|own)|mistake|hindsight|you personally|your decision|were yours|your call"),
    "specificity": re.compile(r"why (?:openai|this company|us|here)|what do you think|your (?:view|opinion|position|take)|do you agree"),
    "rigor": re.compile(r"baseline|ablation|\beval|how do you know|prove|measure|real improvement|significan"),
    "clarifying": re.compile(r"what (?:questions|would you (?:like|want) to (?:know|ask)|do you need to know)|clarif|assumptions"
                             r"|anything (?:you'd|you would) (?:like|want) to (?:ask|know)|ask me or assume"),
    "reasoning": re.compile(r"\bwhy\b"),
    "structure": re.compile(r"\blaid out\b|\borgani[sz]ed\b|\bstructured?\b|\bwhat lives where\b|\bowns what\b"
                           r"|\bwhich (?:module|class|part) owns\b|\bdraw (?:the|that) line"),
}

# A question that asks for a verdict, and a verdict that opens the answer ("No. The except branch commits a
# half-applied charge ..."): the position it asks for, with the reasons after it.
ASKS_VERDICT = re.compile(r"\byes or (?:a )?no\b|\bwere you right\b|\bwas (?:it|that) (?:the )?right (?:call|decision)\b")
VERDICT = re.compile(r"^\W*(?:no|yes|nope|yep|mostly|partly|largely|in part|not entirely|not yet|not as it stands|i wouldn't|i would(?: not)?|i'd (?:ship|approve|block"
                     r"|hold|reject)(?: it)?)\b[.,:;!]")
# Words that show an answer engages with what a question asked for, even without the full signal.
ENGAGES: dict[str, re.Pattern[str]] = {
    "failure_modes": words("fail", "crash", "die$", "dies$", "died$", "dead$", "down$", "outage", "lost$", "lose", "retry",
                           "retries", "timeout", "times out", "recover", "restart", "replay", "resume", "reconnect",
                           "fallback", "fall back", "degrad", "error", "partial", "drop", "stale", "backs up",
                           "back up", "backlog", "unavailable", "broken", "breaks", "wrong", "negative", "twice",
                           "charge", "charged", "corrupt", "see$", "sees$", "gets back", "get back", "returns",
                           "raises", "exception"),
    "scale": words("break", "bottleneck", "saturat", "limit", "shard", "partition", "replica", "cell", "region", "grow",
                   "scale", "scaling", "capacity", "ceiling", "hot$", "hot key", "hot spot", "times$", "more load",
                   "more traffic", "more users", "first$", "struggl", "overload", "can't keep up", "fall over",
                   "falls over", "run out", "runs out", "max out", "maxes out", "10x", "100x", "1000x", "tenfold",
                   "hundredfold"),
    "numbers": re.compile(r"\d|\b(?:hundred|thousand|million|billion|a few|dozen)"),
    "tradeoffs": words("instead", "rather", "over$", "versus", "vs$", "cost", "give up", "gave up", "giving up", "downside",
                       "tradeoff", "trade-off", "trade off", "price", "worse", "cheaper", "simpler", "alternative",
                       "but$", "though", "whereas", "lose", "lost", "sacrific", "expensive", "slower", "faster"),
    "testing": words("test", "assert", "case", "verify", "check", "fuzz", "property", "reproduce", "coverage"),
    "clarifying": re.compile(r"\?|\b(?:assum|i'll take|let's say|i'd want to know|question|clarif|in scope|out of scope"
                             r"|didn't say|did not say|wasn't specified|unspecified|silent|i wrote down|i guessed|i went with"
                             r"|is it|are there|do we|does it|how many|how much|which)"),
    "complexity": words("o(", "constant", "linear", "log", "quadratic", "amortized", "per call", "per operation",
                        "time$", "space$", "memory"),
    "structure": words("module", "class", "file", "function", "layer", "interface", "owns", "lives in", "separate",
                       "split", "package", "component", "inject", "boundary"),
}

# A judgment passed on a past call ("Looking back, I was half right.", "the call was the right one"): the answer
# to "were you right?", even said without a reason in the same sentence.
JUDGED = re.compile(r"\b(?:i|we|they|the call|the decision|my call|that call|it)\s+(?:was|were|wasn't|weren't|turned out|proved|ended up)"
                    r"\s+(?:\w+\s+){0,2}(?:right|wrong|correct|mistaken|the right (?:call|one|decision)|the wrong (?:call|one|decision))\b")
