"""Word lists and patterns the answer analysis is built from.

Kept apart from the logic so they can be read and tuned in one place. Every pattern
is matched against lower-cased text.
"""

from __future__ import annotations

import re

from .patterns import words


# A quantity with a unit or a countable noun: "20k QPS", "500 ms", "80 GB", "$2 per million".
QUANTITY = re.compile(
    # Spoken time figures with no digit in them: "first token in under a second", "half a second", "sub-second".
    # "In a second" is left out: it is as often "I'll get to that in a second".
    r"(?:(?<![a-z])(?:under|within|below|less than|more than|over|about|around|roughly|at most|at least)\s+"
    r"(?:a|one|half a)\s+(?:second|millisecond|minute)(?![a-z])|(?<![a-z])half a second(?![a-z])|(?<![a-z])sub-?second(?![a-z])"
    r"|\$\s?\d[\d,.]*\s*(?:k|m|b|million|billion)?"
    r"|(?<![a-z0-9.])(?:\d[\d,.]*|(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|sixty|ninety|a hundred|a thousand|a million|a dozen|(?:a few|several) (?:hundred|thousand|million))(?![a-z]))\s*(?:k|m|b|million|billion|thousand|hundred)?[\s-]*"
    r"(?:(?:daily|monthly|weekly|active|concurrent|peak|total|new|unique|paying|output|input|open)\s+)?"
    r"(?:%|percent|ms|milliseconds?|s\b|seconds?|sec\b|minutes?|mins?\b|hours?|days?|weeks?|months?|years?|"
    r"[kmgtp]i?b\b|bytes?|kilobytes?|megabytes?|gigabytes?|terabytes?|"
    r"qps|rps|tps|requests?|req\b|calls|queries|writes|reads|ops|messages|events|times\b|attempts|retries|"
    r"users|dau|mau|customers|orgs?|tenants|accounts|people|engineers|teams?|"
    r"tokens?|gpus?|h100s?|a100s?|cpus?|cores?|nodes?|replicas?|servers?|machines?|shards?|partitions?|"
    r"regions?|pods?|workers?|instances|connections|streams|sessions|jobs|items|keys|entries|rows|records|"
    r"dollars|cents|usd|per\b|a\s+(?:second|day|month|minute)|/s\b|/sec|/day|x\s+(?:cheaper|faster|slower)|"
    r"concurrent|parallel|in\s+flight|hit\s+rate|fp16|bit\b|-bit))"
)
MULTIPLIERS = {
    "10x": re.compile(r"(?<![\d.])10\s?x\b|(?<![\d.])10\s+times|\bten\s?(?:x|times|fold)|10-fold|(?<!two\s)(?<!three\s)order of magnitude"),
    "100x": re.compile(r"(?<![\d.])100\s?x\b|(?<![\d.])100\s+times|hundred\s?(?:x|times|fold)|100-fold|two orders of magnitude"),
    "1000x": re.compile(r"(?<![\d.])1,?000\s?x\b|(?<![\d.])1,?000\s+times|thousand\s?(?:x|times|fold)|1,?000-fold|three orders of magnitude"),
}
# A number worked out from others: "50M a day is about 580 a second", "300 x 20k = 6M", "that's roughly $125".
ARITHMETIC = re.compile(r"\d\s*(?:[x×*/]|times|divided by|over)\s*\$?\d|=\s*\$?\d|(?:that's|thats|which is|so)\s+(?:about|roughly|around|~)?\s*\$?\d")
DERIVES = re.compile(r"\b(?:is|are|comes to|come to|works out to|work out to|adds up to|gives|gives us|i get|we get|that's|which is"
                     r"|means|puts it at)\s+(?:about|roughly|around|~|nearly|close to|under|over|at least|at most)?\s*\$?\d")

CAUSAL = words(
    "which is what", "that's what stops", "is what keeps", "is what stops", "is what lets",
    "because", "since", "so that", "which means", "that means", "means that", "therefore", "otherwise",
    "in order to", "the reason", "that way", "this way", "as a result", "that's why", "thats why",
    "which lets", "which keeps", "which avoids", "which gives", "to avoid", "to keep", "to protect",
    "so we", "so the", "so it", "so i", "so a", "so each", "so that's", "given that", "thanks to", "due to",
    "which is why", "so if", "then we", "then the", "then it", "hence", "so any", "so one", "so every",
    "so you", "so our", "so they", "it follows", "the catch", "the point", "the goal", "the risk",
    "which would", "which makes", "that lets", "that keeps", "meaning", "also why", "is why",
    "which is how", "which leaves", "which keeps", "would change my mind", "would make me change",
)
CHOICE = words(
    "instead of", "instead$", "rejected", "ruled out", "i'd switch", "we'd switch", "i would switch", "switch to", "rather than", "over", "versus", "vs", "compared to", "compared with", "alternative",
    "i chose", "i'd choose", "i'd pick", "i'd go with", "we chose", "we picked", "prefer", "option",
    "either", "trade", "tradeoff", "trade-off", "could also", "the other way", "whereas", "but", "though",
    "although", "while", "cheaper than", "simpler than", "better than", "worse than",
)
COST = words(
    "cost", "costs", "downside", "give up", "gives up", "giving up", "lose", "loses", "losing", "at the expense",
    "price", "worse", "slower", "more memory", "extra memory", "less accurate", "complexity", "complex",
    "harder", "penalty", "overhead", "in exchange", "sacrific", "expensive", "stale", "staleness",
    "inconsisten", "eventual", "waste", "wasted", "burst", "latency", "risk", "drawback", "con ",
    "extra hop", "extra round trip", "operational burden", "more moving parts", "less flexible", "coupling",
    "pay", "paying", "approximate", "imprecise", "false positive", "memory", "contention", "blocking",
    "hurts", "hurt", "unfair", "over-count", "undercount", "under-count", "double", "lock-in", "not free",
    "the catch", "the price", "gives up", "we lose", "you lose", "overshoot", "more exact", "less exact",
    "spent", "spend the", "a day on", "days on", "hours on", "the time on", "deferred", "left out", "skipped",
)
# How something works, told as a flow: "connectors read each change feed", "the gateway forwards it to ...".
MECHANISM = words(
    "reads", "read each", "writes", "sends", "carries", "goes into", "go into", "goes to", "go to", "routes", "forwards",
    "streams", "publishes", "consumes", "stores", "caches", "pulls", "pushes", "returns", "calls", "joins", "feeds",
    "lands in", "passes", "opens", "renders", "emits", "records", "enqueues", "fetches", "loads", "serves",
    "retrieves", "indexes", "ranks", "filters", "checks", "rejects", "retries", "replays", "sits on", "sits in",
    "lives in", "flows", "hands", "picks up", "drains", "batches", "splits", "merges", "signs", "verifies",
    "stream into", "streams into", "logged", "stored", "updates", "goes through", "go through", "register",
    "feed into", "flow into", "sends", "marks",
)
# A choice justified by what the alternative would have meant: "X over Y, which would mean 50k reads a second".
COUNTERFACTUAL = words(
    "which would mean", "that would mean", "would mean", "would cost", "would need", "would require",
    "would double", "would add", "would force", "would make", "would have meant", "would have", "would've",
)
# Naming the cost of a choice made in the sentence before.
GIVE_UP = words("i cut", "the cut i'd", "i dropped", "i punted", "i'd cut", "can't express", "can't handle",
                "i skipped", "we skipped", "i left out", "we left out", "i'd reverse", "trading ",
                "what i give up", "what we give up", "can't do is", "what it can't", "costs me", "cost me", "cost us",
                "costs an", "costs a", "pay for that", "pays for that", "what we lose", "what i lose", "what i gave up", "what we gave up", "the cost is", "the downside is",
                "worth paying", "i'd accept", "which i accepted", "i accepted", "which i'd accept", "at the cost of",
                "the catch is", "the cost was", "the price was", "the tradeoff was", "the trade-off was",
                "the price is", "the tradeoff is", "the trade-off is", "what it costs", "it costs us", "we lose", "i lose",
                "we give up", "i give up")
JUSTIFIED_CHOICE = re.compile(r"\b(?:instead of|rather than|over|versus|vs\.?)\s[^:;.]{1,60}:\s*\w")
# A decision in the sentence (or the one before) that a named cost can price.
DECISION = words("i kept", "i left", "on purpose", "deliberately", "i chose", "i went with", "i picked", "i'd use",
                 "i use", "i'd keep", "we kept", "we chose", "i'd go with", "i decided", "i'd pick", "i'd let", "i let",
                 "i'd make", "i made", "i'd put", "i put", "i built", "i wrote", "we went with", "we picked", "i cut",
                 "i'd hold", "i'd ship", "i'd roll", "i'd delay", "i'd wait", "i'd block", "i'd stop", "i held",
                 "i'd cut", "i dropped")
# Ranking issues or work by importance: a position with its order.
RANKING = words("goes first", "comes first", "first is", "second is", "third is", "most serious", "top priority",
                "i'd fix first", "i'd start with", "before anything else", "my minimum", "highest priority",
                "biggest risk", "the worst", "ranked", "in order of", "first, ", "last is",
                # Ordered by what matters and split into what blocks and what waits: "By likelihood times cost: ...",
                # "Block on the stale lists ...; comment on the backoff", "Minimum: per-call results, ...".
                "by likelihood", "by impact", "by severity", "by risk", "likelihood times", "block on", "blocking:",
                "must-fix", "must fix", "minimum:", "the minimum bar", "minimum to ship", "can wait", "nice-to-have",
                "nice to have")
STRONG_CHOICE = words("instead of", "rather than", "over$", "versus", "vs$", "compared with", "compared to", "i chose", "we chose")
# "I'd rather say that today than ask you to rush later": a preference with its alternative, split around the verb.
PREFERS = re.compile(r"\b(?:i'd|i would|we'd|we would) rather\b[^.;]{1,80}?\bthan\b")
STRONG_CHOICE = re.compile(STRONG_CHOICE.pattern + "|" + PREFERS.pattern)
# Code named in a sentence (snake_case names, calls, attribute calls) is as concrete as a technical term.
IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b|\b[a-z_][a-z0-9_.]*\([^()]{0,40}\)")
FAILURE = words(
    "fail", "fails", "failure", "failing", "crash", "crashes", "dies$", "die$", "dead$", "goes down", "went down", "is down", "outage",
    "timeout", "times out", "time out", "backs up", "backlog", "overload", "overloaded", "partition",
    "lost$", "lose$", "loses$", "drop$", "dropped$", "drops$", "corrupt", "stale", "thundering herd", "hot spot",
    "hotspot", "hot key", "stampede", "split brain", "poison", "degrade", "cold cache", "cold start",
    "oom", "out of memory", "disconnect", "disconnects", "unavailable", "slow consumer", "flaky", "restart",
    "race$", "races$", "deadlock", "starv", "leak", "retry storm", "falls over", "fall over", "runs out", "bottleneck",
    "saturat", "breaks$", "break$", "goes wrong", "mid-stream", "halfway", "spike", "misses", "miss",
    "regression", "duplicate", "duplicates", "double-charg", "torn", "power loss", "evicted", "expire",
    # Bugs in code under review: wrong money, work done twice, state that never resets.
    "negative", "wrong amount", "wrong total", "wrong money", "overcharg", "undercharg", "charged twice", "charge twice",
    "runs twice", "run twice", "ran twice", "double debit", "double-debit", "cent off", "drift", "silently",
    "off by one", "off-by-one", "never cleared", "never reset", "grows forever", "grow forever", "unbounded", "spins",
    # Numerical failures in model code.
    "nan$", "nans$", "overflows", "overflow to", "underflow", "creeps in", "blows up", "explodes",
)
MITIGATION = words(
    "retry", "retries", "backoff", "back off", "fallback", "fall back", "degrade", "shed", "circuit",
    "replica", "failover", "fail over", "idempoten", "dead-letter", "dead letter", "dlq", "checkpoint",
    "timeout", "queue", "buffer", "alert", "rate limit", "reroute", "drain", "resume", "reconnect",
    "redundan", "health check", "bulkhead", "jitter", "cap", "bound", "limit", "reject", "429", "spill",
    "pause", "preempt", "dedupe", "dedup", "snapshot", "wal", "write-ahead", "fsync", "roll back",
    "rollback", "kill switch", "page", "on-call", "canary", "isolate", "quota", "warm", "prewarm",
    "request coalescing", "singleflight", "lease", "heartbeat", "reassign", "replay", "offset",
)
CONSEQUENCE = words(
    "break$", "breaks$", "bottleneck", "first$", "saturat", "fall over", "falls over", "runs out", "run out",
    "exceed", "limit", "becomes", "would need", "we'd need", "need to", "have to", "must", "hot",
    "contention", "won't fit", "doesn't fit", "no longer", "max out", "ceiling", "shard", "partition",
    "replica", "split", "region", "cell", "fan out", "move to", "switch to", "outgrow", "queue", "cache",
)
GROWTH = words(
    "as traffic grows", "as load grows", "when load", "when traffic", "at higher load", "at peak",
    "scale up", "scale out", "scales", "scaling", "grow", "grows", "growth", "doubl", "at that scale",
    "at this scale", "more users", "spike",
)
CLARIFY = words(
    "assume", "assuming", "assumption", "my assumptions", "i'll assume", "let's say", "let me clarify", "to confirm", "out of scope",
    "in scope", "i'd want to know", "before i start", "can i assume", "i'll take", "i'm assuming",
    "ask whether", "asked whether", "i'd ask if", "i'll ask if", "asked if", "tell me if", "repeated it back",
    "check with you whether", "confirm whether",
)
# The speaker's own plan of action: at 10x "I'd cache outputs" is a response to growth, like "X breaks first".
PLAN = words("i'd", "we'd", "i would", "we would", "i'll", "we'll", "i will", "we will", "i plan", "we plan")
TESTING = words(
    "test", "tests", "testing", "edge case", "corner case", "unit test", "property-based", "assert", "verify",
    "boundary", "off-by-one", "off by one", "fuzz", "race", "injectable clock",
    "fake clock", "mock", "integration test", "load test", "regression test", "reproduce", "coverage",
    "untested", "not tested", "no test for", "no tests for", "pin the", "pin down", "pins down", "pin today's",
    "fake upstream", "fake clock", "fake mailer", "a fake", "local fake", "caught a bug", "catches the bug",
    "characterization", "check that", "checks that", "property test", "crash-injection", "fault injection",
    "against a reference", "reference implementation", "compare against", "compared against", "against a float64",
    "must equal", "must match", "should match",
)
COMPLEXITY = re.compile(
    r"\bo\([^)]{1,20}\)|constant time|linear time|logarithmic|log n\b|\blog\(n\)|amortized|quadratic|n log n|"
    r"big-o|big o\b|in linear|in constant"
)
RIGOR = words(
    "baseline", "ablation", "held-out", "held out", "holdout", "a/b", "ab test", "control group",
    "significan", "confidence interval", "p-value", "variance", "seed", "offline", "online", "eval set",
    "eval", "evals", "error analysis", "false positive", "false negative", "precision", "recall", "calibrat",
    "sample size", "leak", "contaminat", "golden set", "human review", "inter-rater", "counterfactual",
    "shadow", "canary", "bootstrap", "noise", "nan$", "overflow", "underflow", "-inf", "float16", "float32", "float64",
    "bfloat16", "bf16", "tolerance", "atol", "rtol", "epsilon", "1e-", "numerically", "stable",
    "error bar", "margin of error", "statistical power", "test set", "reference answers", "labeled set",
)
# Specific engineering terms: a claim is concrete when it names one of these (or a term
# from the round's vocabulary) or a quantity. Deliberately leaves out words any answer
# uses ("user", "server", "data", "system", "client", "model") so vague talk stays vague.
# How code is laid out, said as what lives where: "the retry policy is its own class", "the sender never
# touches the clock". Labels for a style ("clean architecture", "SOLID") say nothing about this code.
STRUCTURE = re.compile(
    r"\b(?:modules?|classes|layers?|interfaces?|boundar(?:y|ies)|adapters?|wrappers?|protocol class|entry point"
    r"|abstract base|base class|dataclass(?:es)?|package)\b|\b(?:the|a|an|one|its) \w+ (?:class|module|object|function|file)\b"
    r"|\bits own (?:module|class|file|function|package|component|object|process|thread|table)\b"
    r"|\b(?:separate|single|one) (?:module|class|file|function|package|component|place|object)\b"
    r"|\blives? in\b|\bowns? (?:the|all|every|its|their)\b|\bresponsible for\b|\binject(?:ed|s|ing)?\b|\bpure function"
    r"|\bsplit (?:it |them )?(?:into|out)\b|\b(?:pulled|pull|factored|factor) (?:\w+ )?out\b|\bextract(?:ed)?\b"
    r"|\bdecoupl|\bcoupl(?:ed|ing)\b|\b(?:knows|know) nothing about\b|\b(?:doesn't|does not|never) (?:know|knows|see|sees"
    r"|touch|touches|import|imports) (?:about )?(?:the|a|any)\b|\bbehind (?:an?|one|the) (?:interface|function|class)\b"
    r"|\bswap(?:ped)? (?:in|out)\b"
)
# Names for a style of code, which say nothing about where this code's parts live.
STRUCTURE_LABEL = re.compile(
    r"hexagonal|ports and adapters|\bsolid (?:principles|design)\b|clean architecture|separation of concerns"
    r"|single[- ]responsibility|domain[- ]driven|\bddd\b|onion architecture|layered architecture|best practices?"
    r"|well[- ](?:structured|organi[sz]ed|defined|factored)|\bmodular\b|maintainab|clean code|\bcleanly\b"
)
# A part of this code by name: a file, a CamelCase or snake_case name, a call. Read on the original text.
NAMED_PART = re.compile(r"\b\w+\.(?:py|ts|js|go|rs|java|sql|yaml|toml)\b|\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b"
                        r"|\b[a-z]+_[a-z_]+\b|\b\w+\(\)")
# What a boundary bought: the change it keeps in one place, the test it made possible.
STRUCTURE_WHY = re.compile(
    r"\bso (?:that )?(?:i|we|the tests?|a test|tests|each|it) (?:could|can|only)\b|\bwhich (?:is (?:what|why)|let|lets"
    r"|made|means)\b|\bwithout (?:touching|changing|starting|knowing|a network|the network|any network|a server"
    r"|calling|a single|sleeping|needing|running)\b|\b(?:touch(?:es|ed)?|change[sd]?) (?:one|that one|a single|only one)"
    r" (?:file|place|class|module|function)\b|\bin (?:isolation|milliseconds)\b|\bisolat|\bnever (?:sees?|see|knows?"
    r"|touch(?:es)?|needs? to)\b|\bswap(?:ping|ped)?\b|\b(?:test|check)(?:ed|s)? (?:\w+ )?(?:alone|on its own|separately)\b"
    r"|\bif (?:the|that|a) \w+ (?:changes?|changed)\b|\bis why\b"
)
# A part closed with the decision made ("so the call is Postgres", "decision: an outbox"): steering, and content too.
SIGNPOST_CLOSE = re.compile(r"\b(?:the|my) (?:decision|call|choice)(?: (?:for|on|about) [\w ]{1,30}?| here)? is\b"
                            r"|^(?:decision|my call|the call|verdict)\s*:|\bto close (?:the|this|that) \w+(?: \w+)?:")
# Driving the discussion: a plan with an order ("I'll start with X, then Y"), a turn to the next part ("next,
# let me take the retry path"), or a part closed with the decision made ("so the call is Postgres").
SIGNPOST = re.compile(
    r"\b(?:i'll|i will|let me|let's|i'd like to|i want to|i'm going to|i'd)\s+(?:start|begin|go|walk|cover|take|work"
    r"|tackle|do)\b[^.]*?\b(?:then|after that|before|and finally|and last|last,|followed by)\b"
    r"|\b(?:break|split|divide) (?:this|it|the (?:design|problem|hour|discussion)) (?:up )?into (?:two|three|four|five|\d)"
    r" (?:parts|pieces|areas|steps|stages)\b|\b(?:i'll|let me|we can|i want to) come back to\b"
    r"|\bthat's (?:the )?\w+(?: \w+)? (?:done|settled|covered|decided|sorted)\b|\bnext (?:is|comes|up is)\b"
    r"|\b(?:moving|turning|switching) (?:on )?to\b|\bwhere (?:we are|that leaves)\b"
    r"|^(?:starting|to start) with\b|\bstarting with \w+(?: \w+)?, (?:since|because)\b"
    r"|^(?:first|to start)\b[^.]*?,\s*then\b|\b(?:my|the) plan (?:is|for)\b|\bhere's (?:my|the) plan\b|\bin (?:this|that) order\b|\bthe order i'd\b"
    r"|\b(?:next|now)\s*,?\s*(?:i'll|let me|let's|i want to|i'd like to)\s+(?:take|go|turn|move|look|cover|get)\b"
    r"|\bmoving on to\b|\blet me (?:move|turn|switch|go back|come back) to\b|\bbefore i (?:go on|move on|get to)\b"
    r"|\bto (?:recap|summari[sz]e|sum up)\b|\bthat (?:settles|closes|decides)\b|\bwhere (?:that|this) leaves us\b"
    r"|\bso far (?:we|i) have\b|" + SIGNPOST_CLOSE.pattern
)
TECH_TERMS = words(
    "database", "postgres", "mysql", "redis", "cache", "queue", "replica", "replication", "shard", "sharding",
    "partition", "load balancer", "lock", "mutex", "semaphore", "index", "heap", "hash", "hashmap", "linked list",
    "tree", "ttl", "eviction", "expiry", "snapshot", "offset", "cursor", "iterator", "batch", "batching", "tokens",
    "gpu", "gpus", "kv", "p50", "p95", "p99", "qps", "rps", "latency", "throughput", "memory", "cpu", "disk",
    "bandwidth", "websocket", "sse", "server-sent", "retry", "retries", "timeout", "backoff", "jitter",
    "idempoten", "region", "connection", "thread", "schema", "embedding", "attention", "tensor", "softmax",
    "eval", "baseline", "rollback", "roll back", "canary", "incident", "postmortem", "alert", "metric",
    "pipeline", "scheduler", "webhook", "counter", "bucket", "sliding window", "write-ahead", "wal", "fsync",
    "checksum", "dead-letter", "dlq", "quota", "rate limit", "429", "heartbeat", "lease", "consistency",
    "quorum", "binary search", "sorted", "bisect", "race$", "races$", "interleaving", "o(1)", "o(log", "o(n", "prefix", "kv cache", "h100",
    "fp16", "quantiz", "tokenizer", "classifier", "precision", "recall", "false positive", "a/b",
    "ablation", "held-out", "launch", "deadline", "on-call", "pager", "sla", "slo", "error rate", "revenue",
    "dict", "dictionary", "array", "list$", "ordered", "range scan", "key$", "keys$", "struct", "class$",
    "method$", "function$", "pointer", "node$", "nodes$", "thread-safe", "atomic", "race condition",
    "timestamp", "gateway", "proxy", "router", "balancer", "reservation", "log$", "logs$", "stream$", "streams$",
    "request id", "pub/sub", "kafka", "consumer", "producer", "replay", "rollup", "aggregator", "cursor",
    "partition", "transaction", "commit", "invalidation", "encoding", "serializ", "protocol", "payload",
    "object storage", "sqlite", "in-memory", "temp file", "rename", "shard$", "shards$", "epoch",
)
# Concrete cases a candidate names when they talk about testing.
TEST_CASE = words(
    "empty", "missing", "zero", "negative", "overwrite", "duplicate", "concurrent", "boundary", "edge",
    "expired", "expiry", "restart", "crash", "twice", "large", "unicode", "timeout", "clock", "none", "null",
)
VAGUE = words(
    "it depends", "depends on", "some kind of", "some sort of", "or something",
    "and so on", "things like", "appropriate", "as needed", "best practice", "reasonable amount",
    "a lot of", "quite a lot", "significant number", "fairly standard", "pretty simple", "kind of",
    "sort of", "etc$", "or whatever", "whatever you", "we'll see", "the usual stuff", "usual stuff", "figure it out", "figure out", "as necessary", "and stuff",
    "robust", "seamless", "in general", "generally speaking", "at the end of the day", "in some way",
    "some way", "potentially", "as we know", "more modern", "widely used", "fast and efficient",
    "bad experience", "key components", "the right people", "so on$", "this kind of thing", "good question",
    "standard approach", "industry standard", "one of the most important", "obvious one",
    "it's big$", "it's huge", "it's large", "it's massive", "lots of data", "big data",
)
# "Something like a cache" is vague; "something like 450 to 550" is an estimate.
VAGUE = re.compile(VAGUE.pattern + r"|(?<![a-z0-9])something\s+like(?!\s+(?:about\s+|maybe\s+)?[$~]?\d)")
# A claim the speaker does not commit to: "I'd probably use pytest", "maybe some caching". It can still be
# a reason, but not one the speaker stands behind, so it asserts rather than argues.
HEDGE = words("i guess", "i suppose", "probably", "maybe", "perhaps", "i'd say", "i would say",
              "possibly", "hopefully")
# Brush-offs and stock phrases that answer nothing: read as hand-waves when a turn has nothing else.
# Kept apart from VAGUE, which decides whether a sentence with substance counts as concrete for scoring.
DISMISSIVE = words(
    "pretty standard", "nothing special", "just made it work", "didn't really think", "didn't think about", "standard way", "the normal way", "just cleaner", "just better",
    "just works better", "it's cleaner", "it's better that way", "cleaner that way", "across the board",
    "went really well", "went well", "very happy", "everyone was happy", "everyone on the team",
    "the business was happy", "it works$", "it worked$", "looks okay", "looks ok", "looks fine", "looks good to me",
    "it's fine", "it's okay", "nothing really", "nothing major", "don't see anything", "no real issues",
    "time for a change", "felt right", "just felt", "just seemed", "wanted a change", "good opportunity",
    "great opportunity", "everybody loved", "everyone loved", "way faster", "much faster", "a lot faster",
    "huge improvement", "big improvement", "straightforward", "should be easy", "pretty easy", "simple enough",
    "either way", "doesn't matter", "whatever works", "it'd be fine", "it would be fine", "the cloud scales",
    "make sure it stays up", "hottest", "most exciting", "everybody wants", "everyone wants", "top lab",
    "the best place", "where it's happening", "where everything is happening",
    "wants to hear", "want to hear", "the textbook answer", "the usual suspects", "buzzword",
    "deal with it", "just move on", "and move on", "all the time", "happens to everyone", "it happens",
    "tested pretty well", "pretty well tested", "well tested$", "it's tested$", "decently tested", "pretty solid",
    "solid enough", "users liked it", "people liked it", "it was fine", "it's pretty good",
    "clearly better", "obviously better", "everyone could tell", "anyone could tell", "you could tell", "it was obvious",
)

# Claims with no cost attached: a sentence that says everything just works carries no reasoning.
OVERCLAIM = words(
    "everything just", "everything is handled", "everything scales", "nothing is lost", "nothing gets lost", "out of the box", "automatically", "infinitely",
    "isn't really a", "there's no bottleneck", "no single point", "never fails", "never goes down",
    "zero downtime", "just works", "fully scalable", "fully reliable", "fully resilient", "fully redundant",
    "fully fault", "fully automatic", "fully automated", "fully covered", "fully tested", "seamless", "takes care of", "handles all", "handles everything",
    "any pod can", "scales to any", "unlimited", "no downside", "no tradeoff", "all the benefits",
    "so it scales", "scales horizontally", "very scalable", "highly scalable", "infinitely scalable", "web scale",
    "production grade", "production-grade", "acid compliant", "enterprise grade", "no contention",
    "never block", "basically constant", "bulletproof", "rock solid", "future-proof", "future proof",
)
# Appeals to authority or fashion in place of a reason: "because that's what real databases use".
AUTHORITY = re.compile(
    r"\b(?:that's|that is|which is|it's|thats) what (?:\w+[ ,]+){0,4}?(?:use|uses|used|do|does)\b"
    r"|\bindustry[- ]standard|\beveryone (?:uses|does)|\bbest practices?\b|\bbattle[- ]tested"
    r"|\bhow (?:google|netflix|amazon|facebook|meta|uber|big tech) (?:does|do)\b|\bthe big (?:companies|players)"
    r"|\b(?:because|since) (?:it's|it is|they're|they are) (?:the )?state[- ]of[- ]the[- ]art\b"
    r"|\b(?:everyone|everybody)(?:'s| is)? using\b|\bwhat (?:the field|everyone|everybody) (?:does|uses)\b"
    r"|\bthe obvious (?:pick|choice)\b"
)
# Discourse openers that are not reasoning: "So I'd have a frontend ..."
OPENER = re.compile(r"^(?:(?:so|and|but|well|okay|ok|right|yeah|yes|um|uh|now|then|also)\b[,\s]*)+")

# Fixes that name no component, no number and no cost: the classic hand-waves.
GENERIC_FIX = re.compile(
    r"\b(?:just |simply )?(?:add|throw|spin up|scale out with|put|buy|get|provision|need|needs|use) (?:more|a few more|"
    r"some more|extra|a lot more|lots more|many more|a lot of|lots of|bigger) "
    r"(?:servers?|machines?|boxes|nodes?|hardware|instances|pods|capacity|resources|gpus|compute)\b"
    r"|\bmore (?:capacity|hardware|compute|servers|gpus) (?:solves|fixes|handles)\b"
    r"|\b(?:just|simply) (?:scale|cache|shard|add a cache|use a cache|use a queue|retry|replicate|autoscale)\b"
    r"|\bhorizontally scal|\bauto-?scal(?:e|ing) (?:it|everything|will handle)\b|\bit(?:'ll| will) (?:just )?scale\b"
    r"|\b(?:more|add|write|better) (?:unit |integration )?tests\b(?!\s+(?:for|that|on|of|where|which|around))"
    r"|\b(?:follow|use|apply) (?:the )?best practices\b|\bmake it (?:scalable|robust|reliable|fast)\b"
    r"|\b(?:add|adding|throw in|put in) (?:some |more |basic )?(?:logging|logs|metrics|monitoring|alerts|dashboards)"
    r"(?: and (?:some |more )?(?:logging|logs|metrics|monitoring|alerts|dashboards))?(?: too)?\s*[.!]?$"
    r"|\bshouldn't be (?:a|an) (?:problem|issue)\b|\bit(?:'ll| will) be fine\b|\bwe'd (?:figure|work) (?:it|that) out\b"
    r"|\bhandle (?:it|that|everything) (?:gracefully|properly|correctly)\b|\buse microservices\b"
)
# What the interviewer's questions ask for and what engages with it: kept in their own module, read here too.
from .cues import ASKS_VERDICT, ENGAGES, JUDGED, PROMPT_CUES, VERDICT  # noqa: E402,F401

# How people speak of their own part, and words meant for a grader: kept in their own module, read here too.
from .people import (  # noqa: E402,F401
    ABOUT_YOU, AGENCY, BLAME, DECLINE, DEFLECTION, FLUFF, HEDGED_STANCE, INJECTION, INJECTION_ASK, INJECTION_SELF,
    NOT_DONE, OWNERSHIP, SPEAKS_FOR_SELF, STANCE, STOCK,
)
