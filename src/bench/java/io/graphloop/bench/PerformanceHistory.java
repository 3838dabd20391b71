package io.graphloop.bench;

import java.util.List;

/**
 * What was measured, profiled and changed in the runtime to reach the targets, and what is left: the report's
 * "What was tried" section, kept here so a regenerated BENCHMARKS.md keeps it. Numbers are Graphloop's, from this
 * harness on the same 2-core machine, at the time of each change.
 */
final class PerformanceHistory {

  private PerformanceHistory() {
  }

  static List<String> lines() {
    return List.of(
        "Design from the start: snapshots travel by reference inside a JVM (local codecs, no copy), and every "
            + "verticle also listens on a local address tagged with its event loop, so a coordinator reaches the node "
            + "instance on its own loop without a thread wake-up (Vert.x spreads sends round-robin over all "
            + "handlers otherwise).",
        "First measurement (quiet machine): chain 100 3.03 us/step, throughput 115k runs/s, fanout 10 0.072 ms, "
            + "10,000 concurrent 0.57 s, 100,000 concurrent 5.9 s.",
        "JFR CPU profile of the chain: about a quarter of each step was Vert.x request/reply: a reply handler "
            + "registered and removed per request (address generation, map churn), a send-timeout timer per request, "
            + "and a second timer per execution on the node side. Changed: node results go to one address per "
            + "coordinator with a correlation id; waits are kept in PendingReplies (one insertion-ordered map per "
            + "timeout, one timer for the earliest deadline); plain async nodes keep no timer of their own; requests "
            + "go out through cached MessageProducers (which still report NO_HANDLERS at once). Result: chain 100 "
            + "1.28 us/step, throughput 201k runs/s, 10,000 concurrent 0.28 s.",
        "JFR allocation profile of 100,000 concurrent runs: Vert.x created a new context, with its task queues, for "
            + "every run's reply (ReplyHandler unregistration -> vertx.promise() -> getOrCreateContext), besides a "
            + "reply handler and a timer per run. Changed: a client on an event loop gets run outcomes by correlation "
            + "id on one address per event loop (ClientChannel); the coordinator keeps run deadlines in "
            + "PendingReplies instead of a timer per run. Result: 100,000 concurrent 5.9 s -> about 2.4-2.7 s.",
        "Where a run goes: kept on the caller's event loop (no hop in either direction) it made chain steps 0.80 us "
            + "and fanout 10 0.010 ms, but a burst of 10,000 from one caller then used one core (0.61 s); spread over "
            + "every loop's coordinator the burst took 0.30 s but chain steps 1.39 us. Now a run stays local while "
            + "fewer than 16 runs sent there from that loop are unfinished (counted at the sender), and spreads "
            + "otherwise: sequential workloads and bursts both get their better case.",
        "Harness: warming the concurrency rows up with two bursts of 10,000 runs instead of 1,000 (for both systems) "
            + "was tried and reverted: Graphloop's 10,000-run wall time stayed at 0.37 s, its peak RSS rose to 322 MB "
            + "(the heap the warm-up grew stays resident), and LangGraph4j's 100,000-run burst did not finish within "
            + "600 s.",
        "Left for the concurrency rows: a burst's wall time is per-run work concentrated in two waves (all runs "
            + "start, then 20,000 node timers fire 100 ms later, all on 2 cores), and at 100,000 runs about 4 KB of "
            + "live objects per run in flight, which G1 copies (0.6-0.8 s of young pauses per burst). Next: fewer "
            + "and smaller per-step allocations (State copies, Task/TaskResult/NodeRequest records, promises), a "
            + "lighter run record for runs without thread or stream, and measuring with a larger young generation.");
  }
}
