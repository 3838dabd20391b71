package io.graphloop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's fixed notes (what LangGraph4j could not express and how each workload maps onto its
 * API), and how often concurrency measurements repeat.
 */
final class Notes {

  private Notes() {
  }

  /** Why LangGraph4j has no number for the workloads whose nodes run on another JVM. */
  static final String LANGGRAPH4J_ONE_JVM = "LangGraph4j runs a graph inside one JVM: its nodes are Java objects "
      + "called in-process by the run's thread, and it has no way to place them on another JVM";

  static List<String> fixed(Settings settings) {
    List<String> notes = new ArrayList<>();
    notes.add("LangGraph4j's `CompiledGraph.invoke` blocks its thread for the whole run (the run loop waits on "
        + "each node's CompletableFuture with `get()`), even when every node is an `AsyncNodeAction`. So N runs in "
        + "flight need N threads; Graphloop's runs need none (they are messages between verticles).");
    if (settings.lg4jMaxThreads() < 100_000) {
      notes.add(String.format(Locale.ROOT, "concurrency 100,000 on LangGraph4j: one thread per run would need "
          + "100,000 threads, above this machine's limits (kernel pid_max %s, threads-max %s), so its runs are "
          + "started on a pool of %,d threads and queue for them; LangGraph4j cannot start them all at once. "
          + "concurrency 10,000 uses one thread per run; its peak of live threads stays below 10,000 because "
          + "the first runs end while later threads are still being created.", read("/proc/sys/kernel/pid_max"),
          read("/proc/sys/kernel/threads-max"), settings.lg4jMaxThreads()));
    }
    notes.add("Parallel shapes: the two used here (seed: start -> (llm, db) -> END; fanout: START -> b0..b9 -> "
        + "join -> END) are ones LangGraph4j accepts, because every parallel branch leads to the same next node. "
        + "Its compiler rejects shapes that Graphloop's supersteps and joins run; probed with langgraph4j-core "
        + Versions.maven("org.bsc.langgraph4j", "langgraph4j-core") + " in this run:");
    for (String probe : LangGraph4jShapes.probe()) {
      notes.add("    " + probe);
    }
    notes.add("LangGraph4j state: `AgentState` with its default `ObjectStreamStateSerializer`, which clones the "
        + "state through Java serialization before every node; keys without a channel are last-writer-wins "
        + "(chain's `count`); fanout's `items` is `Channels.appenderWithDuplicate` (a plain append like Graphloop's "
        + "`Channels.append()`). Its default recursion limit (25) is raised to 2N+10 for chains; Graphloop's "
        + "default (10007) suffices up to chain 10,000; chain 100,000 gets the same 2N+10 (GraphRuntimeOptions).");
    notes.add("LangGraph4j's parallel branches run one after another on the run's thread unless a per-node "
        + "Executor is put into the RunnableConfig metadata; the harness keeps the default. The latency nodes still "
        + "overlap, since each returns a pending CompletableFuture.");
    notes.add("Nodes on another JVM (chain 100, throughput across two JVMs): the coordinator runs in the measuring "
        + "JVM and every node on a worker member in a second JVM (`graphloop member --role worker`), over the Vert.x "
        + "clustered event bus (Hazelcast cluster manager, conf/cluster.xml, 127.0.0.1); each step is a request and "
        + "a result between the JVMs, as JSON. " + LANGGRAPH4J_ONE_JVM + ", so it cannot express these workloads.");
    notes.addAll(CheckpointNotes.notes());
    return notes;
  }

  /** How many fresh JVMs a concurrency measurement runs in. */
  static int concurrencyReps(Settings settings) {
    return settings.concurrencyReps();
  }

  private static String read(String file) {
    try {
      return String.join(" ", Files.readAllLines(Path.of(file))).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
