"""Scripted candidate answers for the sample sessions (see generate.py). Each entry is
(a phrase from the question it answers, the answer); an empty phrase answers whatever comes."""

SYSTEM_DESIGN = [
    ("what would you like to know",
     "A few questions first. Is this web and mobile, and do conversations need to sync across devices? "
     "I'll assume both, 5M daily users, about 20k concurrent streams at peak, and history kept for a year."),
    ("first version",
     "Version one: streaming text replies, conversation history, and a stop button. I'd leave out voice and "
     "file uploads, because they change the serving path and we can add them behind the same API later."),
    ("load and latency",
     "20k concurrent streams at about 50 tokens per second is 1M output tokens per second. At roughly $2.50 "
     "per million output tokens that's about $2.50 a second, so GPUs are the cost to design around. I'd "
     "target first token under 500 ms at p95."),
    ("end to end",
     "The client opens an SSE stream and renders tokens as they arrive, with a stop button that cancels "
     "generation. An API gateway checks the session and per-user rate limits, then a chat service builds the "
     "prompt from stored history and sends it to a router that picks a GPU pool running continuous batching. "
     "Messages go to Postgres keyed by conversation id, because we read a conversation in order."),
    ("giving up",
     "Postgres gives up easy horizontal write scaling compared with a wide-column store, but at about 1,400 "
     "messages a second one primary is fine, and we get transactions and simple queries in exchange."),
    ("main alternative",
     "The alternative was Cassandra keyed by conversation. I didn't pick it because we don't need its write "
     "throughput yet, and it would cost us secondary indexes and an extra system to operate."),
    ("switch",
     "When writes approach what one primary sustains, roughly 10k inserts a second, I'd shard by user id "
     "first, and only move stores if resharding became the bottleneck."),
    ("api between",
     "POST /v1/conversations/{id}/messages returns text/event-stream: token events with an increasing id, "
     "then a done event with usage and a request id. Errors before the first token are plain HTTP codes; "
     "after that they are an error event, because the 200 is already sent."),
    ("hardest",
     "The router. I chose least-outstanding-tokens routing over round robin, because replies vary from 20 "
     "to 2,000 tokens, so round robin leaves some GPUs idle while others queue; the cost is shared state "
     "the router has to keep fresh."),
    ("server-sent events or websockets",
     "SSE, because after the request the traffic is one way, it's plain HTTP through our load balancers, "
     "and the browser reconnects with Last-Event-ID. WebSockets would only earn their keep if the client had "
     "to send mid-stream; what I give up is binary framing, which we don't need."),
    ("put a number",
     "Each SSE connection costs the gateway about 50 KB, so 20k streams is about 1 GB across the gateway "
     "fleet, which is small; the GPUs are where the money goes."),
    ("load balancer",
     "A stream stays on the gateway node that holds its TCP connection, so no affinity is needed for new "
     "requests. If that node dies, the client reconnects to any node with the last event id, and we replay "
     "from a short per-stream buffer in Redis with a 60 s TTL."),
    ("buffer a partial reply",
     "Each stream appends tokens to that Redis buffer as they're generated, so a reconnect within a minute "
     "replays what was missed and then joins the live stream. After a minute we mark the reply as "
     "interrupted, so the user can regenerate instead of waiting."),
    ("how is a conversation stored",
     "Messages are rows in Postgres; for each turn we load the last messages up to about 8k tokens and "
     "summarise older turns, because resending a long history costs far more than it helps."),
    ("phone and a laptop",
     "Both devices subscribe to conversation events; the second device gets a notification and fetches the "
     "new message instead of opening a second live stream, which keeps GPU work single."),
    ("tenfold",
     "At 10x, 200k concurrent streams, the first thing to go is the single Postgres primary at 14k inserts "
     "a second, so I'd shard by user id; the GPU fleet grows linearly, so I'd add prefix caching for the "
     "shared system prompt to cut prefill cost."),
    ("hundred times",
     "At 100x the GPU fleet is the constraint, so before buying hardware I'd add a smaller model tier for "
     "short replies and route by expected length; the Redis replay buffer also needs sharding by stream id."),
    ("thousand",
     "At 1000x one region can't hold the fleet or the data, so I'd split into independent cells per region, "
     "each with its own gateways, GPUs and database shards; a failing cell then takes out a slice of users "
     "instead of everyone."),
    ("instrument",
     "Time to first token at p95 per GPU pool, queue wait before a request gets a batch slot, and stream "
     "disconnects per minute. Queue wait is the one I'd watch: it climbs before latency does, so it's our "
     "early warning that we need capacity."),
    ("revisit",
     "Keeping history in Postgres. It's the right call at 1,400 writes a second, but if sessions get much "
     "longer the context-building reads may dominate, and I'd want real numbers before sharding it."),
    ("six weeks",
     "First the streaming path, history and per-user limits. I'd defer multi-region and the smaller model "
     "tier until the load says so, because each adds operational cost before it pays off."),
    ("", "/done"),
]

CODING = [
    ("", "Are keys and values strings, and is it single-threaded for now? I'll assume both, in memory only."),
    ("method by method",
     "set(key, value) returns nothing, get(key) returns the value or None, delete(key) returns nothing and "
     "ignores a missing key."),
    ("part 1",
     "I'd keep a dict from key to value. def get(self, key): return self._data.get(key); set assigns, and "
     "len(store) is the dict's length."),
    ("cost in time and memory",
     "get, set and delete are O(1) on average because they're dict operations, and memory is one entry per "
     "key plus the dict's spare capacity."),
    ("slowest",
     "They're all O(1); the only slow path is a resize of the dict, which is amortized, so it matters only "
     "if we care about worst-case latency."),
    ("test",
     "I'd test overwrite, get of a missing key, falsy values like 0 and the empty string, and delete of a "
     "key that was never set."),
    # The hold names part 1's bar: the first try runs (and fails), then the fixed code.
    ("set, get and delete work in", "/run transcripts/samples/kv-store-first-try.py"),
    ("run them", "/run tests/references/coding/kv-store/gate1.py"),
    ("exact object",
     "Returning the stored object is O(1) with no copy, but it lets a caller mutate what is stored; a deep copy "
     "per get would cost O(size of the value) in time and memory. I'd return it as is and say so in the "
     "docstring, since strings are immutable anyway."),
    ("part 2",
     "I'd store each value with an absolute expiry from an injected monotonic clock, because wall-clock time "
     "can jump and tests shouldn't sleep. get treats an expired entry as missing."),
    ("memory does this hold",
     "Each key holds its value and an expiry float, so about 100 bytes of overhead per key; expired keys "
     "nobody reads would never leave, so I also keep a min-heap of expiry times and pop a bounded batch on "
     "each write."),
    ("edge case",
     "Setting a key again without a TTL must clear the old expiry, and the old heap record must not delete "
     "the new value; I check the record's time against the entry's before removing anything."),
    ("give up",
     "The heap costs O(log n) per set with a TTL and holds stale records until they surface, instead of a "
     "background sweeper thread that would need locking and shutdown handling."),
    ("expired keys are invisible", "/run tests/references/coding/kv-store/gate2.py"),
    ("expired keys actually get removed",
     "Lazy removal plus a bounded sweep per write keeps reads O(1) and memory bounded by the write rate; I'd "
     "pick a background sweeper only if writes could stop for long while expired values held a lot of memory."),
    ("part 3",
     "I'd put one lock around every method, and make incr a read-modify-write under that lock. It's simple "
     "and correct; the cost is contention with many threads, which I'd only fix with lock striping if "
     "profiling showed it."),
    ("every compound operation", "/run tests/references/coding/kv-store/gate3.py"),
    ("throughput are you giving up",
     "One lock serialises every call, so with 8 threads doing mostly reads we'd get roughly one core of "
     "throughput instead of eight; I'd measure lock wait time under a realistic mix, and only if it showed up "
     "in p99 would I move to striped locks by key hash, which costs more code and careful ordering for incr."),
    ("", "/done"),
]

BEHAVIORAL = [
    ("",
     "I led the migration of our billing pipeline off a nightly batch job. I decided to move to an event "
     "stream because customers saw charges a day late, and I owned the cutover plan, the dual-run period "
     "and the rollback switch. Late-charge tickets went from about 60 a month to 5."),
    ("went wrong",
     "The cutover went wrong: I underestimated how many old events had no idempotency key, and we "
     "double-counted about 2% of usage for three hours. I stopped the consumer, wrote the reconciliation "
     "job myself, and we refunded every affected account within a day. Since then I replay production "
     "traffic in staging before any migration like that."),
    ("disagreed",
     "I disagreed with caching account permissions, because a stale permission could let a removed user "
     "keep access for minutes. I wrote up the risk, proposed a 5-second TTL with explicit invalidation on "
     "removal, and the team agreed after a review."),
    ("cost",
     "The invalidation path cost us two incidents and about a month of one engineer. In hindsight I'd have "
     "measured the read load first: a read replica alone would have been enough."),
    ("give up",
     "We gave up some latency on permission checks, about 3 ms at p99, which nobody noticed."),
    ("were you right",
     "Mostly. The invalidation path added complexity we paid for later, so I was right about the risk and "
     "wrong about the fix being cheap."),
    ("another team ships",
     "I'd roll my service's dependency back to the last good version if we pin it, page their on-call "
     "through the incident channel, and write down the timeline as I go. Blame can wait; the postmortem "
     "should ask why their change wasn't caught by a contract test."),
    ("want to know",
     "Whether the breakage is total or partial, how many customers are hit, and whether rolling back on our "
     "side is safe."),
    ("", "/done"),
]

SAMPLES = {
    "system-design-streaming-chat": ("system-design", "streaming-chat", SYSTEM_DESIGN),
    "coding-kv-store": ("coding", "kv-store", CODING),
    "behavioral-ownership": ("behavioral", "ownership-and-pushback", BEHAVIORAL),
}
