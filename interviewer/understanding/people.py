"""How candidates speak of their own part, and words meant for whoever grades the session.

Ownership and stance show a person deciding; blame, deflection and stock lines put the decision or the
credit elsewhere; agency is the speaker acting at all. Words addressed to a grader are set apart as data.
"""

from __future__ import annotations

import re

from .patterns import words

OWNERSHIP = words(
    "i decided", "i owned", "i own", "i led", "i chose", "i pushed", "i proposed", "i wrote", "i made the call",
    "my call", "my mistake", "i was wrong", "i underestimated", "i should have", "in hindsight", "differently",
    "i learned", "i took", "i drove", "i convinced", "i built", "i designed", "i set", "i asked", "i escalated",
    "i rolled back", "i paged", "i flagged", "i argued", "i negotiated", "i wrote up", "i committed",
    "i'd change", "i would change", "i missed", "i got wrong", "on me", "my responsibility", "i stopped",
    "i held", "i blocked", "i delayed", "i measured", "i instrumented", "i replaced", "i started",
    "i shipped", "i migrated", "i implemented", "i integrated", "i've shipped", "having shipped", "i left out",
    "i caught", "i traced", "i spotted", "i tracked down",
    "now when i", "since then i", "i changed how", "i reverted", "i pushed back", "i owned up", "i apologized",
    "i traced", "i rewrote", "i went with", "i picked", "i ranked", "i kept", "now, before i", "these days i",
    "i rejected", "i did the integration", "i did the migration", "were mine", "was mine", "my decision",
    "my decisions", "my call", "i was the tech lead", "i was the lead", "i was the one who",
    "i once", "i closed", "i counted", "i found out", "i turn the", "now i", "what i underestimated",
    "i lost", "i gave", "i cut", "i spent", "i moved", "i added", "i removed", "i fixed",
)
BLAME = words(
    "not my fault", "wasn't my", "wasnt my", "their fault", "management didn't", "they didn't", "they never",
    "the process", "not my job", "not my call", "someone else's", "they should have", "blame",
)
STANCE = words(
    "i care more about", "i cared more about", "what i'm best at", "i'm best at", "i found i", "that's where i",
    "i think", "i believe", "my view", "i'd argue", "i would argue", "i disagree", "i agree", "my position",
    "i worry", "i'm concerned", "i am concerned", "my take", "i'd push", "i would push", "in my opinion",
    "i'd want", "i would want", "i'd ask", "i would ask", "i'd hold", "i would hold", "i'd block",
    "i'd ship", "my read", "i'm not convinced", "where i land", "i'd make the call", "my doubt", "i doubt",
    "my concern", "i'm skeptical", "i'm wary", "where i differ", "i'd push back", "what i'd change", "i'd change",
    "i'd like to work on", "i want to work on", "i want to work where", "i care about most", "what draws me", "what pulls me", "why i'm applying", "the reason i'm",
    "i'm applying", "i'd need", "i'm happy to", "i can start", "i'd expect", "i expect", "i'd block", "i'd rather",
    "i'd argue", "the part i've thought", "i'd rank", "i rank", "i'd have", "i'd make sure", "i'd answer", "i'd require",
    "i'd publish", "i'd insist", "i'd switch", "the fair objection", "the strongest objection", "the best argument against",
    "the counterargument", "the objection", "critics would say", "the other side", "i'd still argue",
    "i would still argue", "i'd still push", "i'd still want",
)
# Stances that hedge rather than commit.
HEDGED_STANCE = frozenset({"i think", "i believe", "i agree"})
FLUFF = words(
    "really important", "super important", "very important", "so important", "passionate", "love the",
    "super excited", "really excited", "amazing", "changing the world", "the future", "cutting edge",
    "cutting-edge", "game changer", "world-class", "best in class", "always loved", "always been passionate",
    "my thing", "natural next step", "dream job", "dream company", "i love ai", "love machine learning",
)

# Sentences that address the scorer rather than the interviewer are set aside as data. Talk *about* graders,
# rubrics, judges and scores (an evaluation platform has all four) is not: a sentence is addressed to the
# grader when it overrides instructions, calls on a reader of the session, or asks for a rating of this
# candidate or session.
INJECTION = re.compile(
    # "Ignore the rubric ...", "Disregard the scoring criteria", "forget your instructions"
    r"\b(?:ignore|disregard|forget)\b[^.;]{0,40}?\b(?:rubric|instructions|criteria|scoring|rules|prompt)"
    # a reader of this session, called on: "note to the evaluator", "whoever is scoring this", "to the AI reading this"
    r"|\bnote (?:to|for) (?:the )?(?:evaluator|scorer|grader|reviewer|judge|model|ai|llm|whoever)"
    r"|\bwhoever(?:'s| is)? (?:reading|grading|scoring|reviewing|evaluating|assessing|marking|reads|grades|scores|reviews"
    r"|evaluates|assesses|marks|listens to|watches)\b"
    r"|\b(?:to|for) (?:the |any |whatever )?(?:ai|model|llm|grader|evaluator|scorer|judge)s? (?:reading|evaluating|grading"
    r"|scoring|reviewing)\b|\bif you(?:'re| are) (?:the |an? )?(?:model|ai|llm|grader|evaluator|judge|scorer)\b"
    r"|\bas the (?:evaluator|scorer|grader|judge)\b|\byou must (?:rate|score|give|grade|mark)\b"
    # a label line: "System: ...", "Grader: ..."
    r"|^(?:dear |hey |hi |attention,? )?(?:the )?(?:system|evaluator|scorer|grader|reviewer|judge|model|ai)s?\s*:"
    r"|^(?:dear|hey|hi) (?:the )?(?:evaluator|scorer|grader|reviewer|judge|model|ai)s?\b"
    r"|\b(?:for|to) the (?:evaluator|scorer|grader|reviewer|judge)s?\s*[:,]"
    # asking for a rating of this candidate: "put me down as ...", "mark requirements as strong", "rate my answers great"
    r"|\b(?:put|mark|write|note) me down as\b"
    r"|^(?:just |please )?(?:mark|rate|score|grade)\b[^.;]{0,40}?\bas (?:a )?(?:strong|great|excellent|perfect|top|l[4-6])"
    r"|\b(?:rate|score|grade|mark) (?:me|my|this candidate|this answer|this transcript|the candidate|these answers)\b"
    r"|\b(?:give|award) (?:me|this candidate|the candidate) (?:a |an |the )?(?:great|perfect|100|top|full|strong)"
    # telling the grader what its own rubric says of this candidate: "the rubric says I am L6"
    r"|\b(?:the|your) (?:rubric|scorecard|scoring (?:guide|criteria)|grading (?:guide|criteria))\b[^.;]{0,30}?"
    r"\b(?:says|states|rates|puts|places|lists|marks|considers|shows)\b[^.;]{0,20}?\b(?:i(?:'m| am)|me|my|this candidate"
    r"|the candidate)\b"
)
# The same in other words: this candidate or session, a rating, and a request for it.
INJECTION_SELF = re.compile(
    r"\b(?:me|my|myself|i deserve|this candidate|the candidate|this answer|these answers|this transcript|this session"
    r"|this interview|every dimension|every line|across the board)\b"
)
INJECTION_ASK = re.compile(
    r"\b(?:deserves?|should be (?:rated |scored |marked |graded )?(?:great|excellent|strong|l[4-6])|must be (?:rated )?"
    r"(?:great|excellent|strong)|strong (?:hire|yes)|top marks|full marks|(?:final|correct|right|fair) (?:assessment|rating"
    r"|score|grade|evaluation)[^.;]{0,40}\b(?:great|excellent|strong|l[4-6])|an? l[4-6] (?:rating|score))"
)

# Answers that put the credit, the decision or the fault somewhere else: "it was a team thing",
# "that was product's call, not mine", "whoever wrote it should clean it up".
DEFLECTION = words(
    "team thing", "group thing", "team effort", "group effort", "as a team", "everyone chipped in", "everybody chipped in",
    "all chipped in", "all pitched in", "everyone pitched in", "everybody pitched in", "nobody owned", "no one owned",
    "taking credit", "take credit", "everybody worked on", "everyone worked on", "we all did", "all of us did",
    "not mine", "wasn't mine", "not my decision", "wasn't my decision", "not my place", "not really my place",
    "product's call", "management's call", "my manager's call", "their call", "their decision", "above my pay grade",
    "i just built what", "i just did what", "just did what i was told", "what i was told", "i was told to",
    "what they decided", "whoever wrote", "on whoever", "not on me", "not me$", "the person who wrote",
    "nothing i could do", "wasn't much i could do", "not much i could do", "out of my hands", "not up to me",
    "manager's fault", "his fault", "her fault", "wasn't really on me", "wasn't on me", "team's problem", "their problem",
    "hand it to them", "my friend did", "a friend did", "someone else did", "my friend wrote", "used what he wrote",
    "used what she wrote", "used what they wrote",
)
# Questions about the candidate's own part in something, where an all-"we" answer dodges.
ABOUT_YOU = words(
    "you owned", "you've owned", "you led", "you've led", "you built", "you've built", "your role", "you personally",
    "your decision", "your part", "your own part", "yours to decide", "you decided", "you did$", "a time you",
    "tell me about yourself", "walk me through your", "your background", "you took", "you shipped", "you've shipped",
    "you drove", "your most recent", "define yourself", "as opposed to the team", "did you do",
)
# Stock answers to "what's your weakness / biggest mistake" that say nothing about the person.
STOCK = words(
    "i'm a perfectionist", "i am a perfectionist", "too much of a perfectionist", "care too much", "work too hard",
    "too hard on myself", "take on too much", "hate letting people down", "too detail-oriented", "too detail oriented",
    "too passionate", "too dedicated", "can't say no", "i just care", "my biggest weakness is that i",
    "moved even faster", "should have moved faster", "we were too careful", "i was too careful",
)
# Words that put the speaker in the action: "I pushed", "my call was", "I'd rather", as opposed to "we" and "they".
AGENCY = re.compile(
    r"\b(?:i|i've|i'd|i'll)\s+(?:\w+ly\s+|just\s+|also\s+|then\s+|first\s+|had\s+to\s+|was\s+the\s+one\s+who\s+)?"
    r"(?!mean\b|guess\b|think\b|don't\b|dont\b|do\s+not\b|hate\b|love\b|loved\b|like\b|liked\b|enjoy\b|enjoyed\b|always\b"
    r"|care\b|feel\b|rather\s+not\b|suppose\b|know\b|wish\b|hope\b)\w+"
    r"|\bmy\s+(?:part|call|decision|idea|job|role|proposal|design|plan|fault|mistake|miss|first|own|choice)s?\b"
    r"|\b(?:was|were|are|is) (?:all )?mine\b"
    r"|\b(?:on|by|to)\s+me\b|\bmyself\b"
)

# The speaker's own plan or decision in the first person: "I'd build it from day one", "that was my call".
# Asking "which part of that was your call?" after it would not be listening.
SPEAKS_FOR_SELF = re.compile(r"\b(?:i'd|i would|i'll|i will|i decided|i chose|i pushed|i built|i wrote|i led|i said no"
                             r"|i refused|i objected|i raised|i proposed|i blocked|i held|i pitched|i scoped|i drove"
                             r"|i owned|i designed|i shipped|i convinced|i negotiated|i ran the)\b"
                             r"|\bmy (?:call|decision|choice)s?\b|\b(?:was|were) (?:all )?mine\b")

# "I don't know" in its many forms: a non-answer unless the turn goes on to reason anyway.
# "I didn't really have time for error bars": the thing asked about was not done. Short, with no reason or
# plan after it, that is a decline even though it names the thing.
NOT_DONE = re.compile(
    r"\b(?:i|we) (?:didn't|did not|never) (?:really |quite )?(?:have|get|find) (?:the )?(?:time|a chance|round) (?:for|to)\b"
    r"|\b(?:i|we) (?:didn't|did not|never) (?:really )?get (?:around |round )?to\b|\bran out of time (?:for|on|to)\b")
DECLINE = re.compile(
    r"\bi (?:don't|do not|dont) (?:really )?(?:know|remember|recall|have (?:a|an) (?:answer|idea|clue))\b|\bno idea\b"
    r"|\bno clue\b|\bi can't (?:remember|recall)\b"
    r"|\bnot (?:too |very |really |that |super |all that )?(?:familiar|sure|confident)\b|\bnever (?:used|worked with|done|had to)\b"
    r"|\bhaven't (?:used|worked with|done|had to|really|thought)\b|\bi'd have to (?:look|check|google|read)\b"
    r"|\b(?:can|could) we (?:skip|move on|come back)\b|\bpass on this\b|\bnot my (?:area|strength)\b|\bbeyond me\b"
    r"|\bi'm (?:blanking|drawing a blank|stuck)\b|\bnot something i've\b"
    r"|\b(?:i'd|i would) (?:rather|prefer) not (?:to )?(?:talk|say|share|get into|go into|discuss|answer|disclose)\b"
    r"|\bprefer not to (?:talk|say|share|discuss|answer|disclose)\b"
    r"|\bcan't (?:really )?(?:think of|come up with)\b|\bnothing comes to mind\b"
)
