package io.graphloop.runtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one deployment, per node, so operational problems are visible without reading logs:
 * executions, failures, timeouts, retries, refusals by a concurrency limit, and reports of async nodes
 * that blocked their event loop (with the most recent reports kept, bounded).
 *
 * <p>Thread-safe: updated from event loops and worker threads, read from anywhere.
 */
public final class RuntimeMetrics {

  /** How many blocked-event-loop reports are kept. */
  public static final int MAX_KEPT_REPORTS = 100;

  /**
   * An async node held its event loop too long.
   *
   * @param graph     the graph
   * @param node      the node
   * @param runId     the run it was executing
   * @param step      the step
   * @param blockedMs how long the node's code held the event loop
   * @param thread    the event-loop thread it blocked
   * @param at        when it was reported
   * @param message   what happened and what to do instead
   */
  public record BlockedReport(String graph, String node, String runId, int step, long blockedMs, String thread,
                              Instant at, String message) {
  }

  /**
   * A count kept by one node instance in its own object (no counter object of its own to reach per execution); read
   * from any thread.
   */
  interface Tally {
    /** The count so far. */
    long count();
  }

  /** The counters of one node. */
  public static final class NodeCounters {
    final LongAdder executions = new LongAdder();
    /**
     * Executions counted by the node's instances themselves ({@link Tally}, one per instance, a field of the instance):
     * a per-node counter object touched by every execution was a cache miss per step on graphs of thousands of nodes.
     * Instances are added as they start and stay (their counts stay part of the total after they stop).
     */
    private final java.util.concurrent.CopyOnWriteArrayList<Tally> instanceExecutions =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    final LongAdder failures = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder blockedReports = new LongAdder();
    final LongAdder customEventsDropped = new LongAdder();
    final LongAdder messageChunksRefused = new LongAdder();
    volatile java.util.function.IntSupplier queued = () -> 0;

    public long executions() {
      long sum = executions.sum();
      for (Tally tally : instanceExecutions) {
        sum += tally.count();
      }
      return sum;
    }

    /** Counts the executions of {@code tally}'s instance in {@link #executions()} from now on. */
    void countExecutionsOf(Tally tally) {
      instanceExecutions.addIfAbsent(tally);
    }

    public long failures() {
      return failures.sum();
    }

    public long timeouts() {
      return timeouts.sum();
    }

    public long retries() {
      return retries.sum();
    }

    public long rejected() {
      return rejected.sum();
    }

    public long blockedReports() {
      return blockedReports.sum();
    }

    /** Custom events ({@code ctx.emit}) dropped at the node: {@code maxPendingEmits} were on their way already. */
    public long customEventsDropped() {
      return customEventsDropped.sum();
    }

    /**
     * Message chunks ({@code ctx.emitMessage}) refused at the node: the execution's window and its queue were full (the
     * caller's future failed; a chat model pauses its response instead of getting here).
     */
    public long messageChunksRefused() {
      return messageChunksRefused.sum();
    }

    /** Executions of the node waiting for a permit of its concurrency limit on this JVM (0 without a limit). */
    public int bulkheadQueued() {
      return queued.getAsInt();
    }

    JsonObject toJson() {
      return new JsonObject().put("executions", executions()).put("failures", failures()).put("timeouts", timeouts())
          .put("retries", retries()).put("rejected", rejected()).put("blockedEventLoopReports", blockedReports())
          .put("customEventsDropped", customEventsDropped()).put("messageChunksRefused", messageChunksRefused());
    }
  }

  private final Map<String, NodeCounters> nodes = new ConcurrentHashMap<>();
  private final ArrayDeque<BlockedReport> reports = new ArrayDeque<>();
  private final AtomicInteger runsInFlight = new AtomicInteger();
  final LongAdder lateResults = new LongAdder();
  final LongAdder forgedResults = new LongAdder();
  final LongAdder malformedResults = new LongAdder();
  final LongAdder refusedControls = new LongAdder();
  final LongAdder streamBuffered = new LongAdder();
  final LongAdder threadRunsQueued = new LongAdder();
  private volatile MetricsListener listener;

  /**
   * Sets the one listener of this deployment's run and node events ({@code null} removes it). Metrics bindings such
   * as {@code io.graphloop.ops.GraphloopMeters} set it; without one nothing is measured per event.
   *
   * @throws IllegalStateException when another listener is set already
   */
  public synchronized void listen(MetricsListener listener) {
    if (listener != null && this.listener != null && this.listener != listener) {
      throw new IllegalStateException("This deployment's metrics already have a listener (bound to a registry "
          + "once already?); remove it with listen(null) first.");
    }
    this.listener = listener;
  }

  /** Whether a listener is set. */
  public boolean hasListener() {
    return listener != null;
  }

  /** The listener, or {@code null}. */
  MetricsListener listener() {
    return listener;
  }

  /** The names of the nodes counted so far. */
  public java.util.Set<String> nodeNames() {
    return java.util.Set.copyOf(nodes.keySet());
  }

  /** Node results dropped because their attempt was no longer waited for (timed out, retried, answered before). */
  public long lateResults() {
    return lateResults.sum();
  }

  /** Node results dropped because their correlation id's tag was wrong: forged, or guessed. */
  public long forgedResults() {
    return forgedResults.sum();
  }

  /** Messages on a coordinator's results address that were not node results. */
  public long malformedResults() {
    return malformedResults.sum();
  }

  /** Cancels, stream credits and custom events refused for want of the run's capability token. */
  public long refusedControls() {
    return refusedControls.sum();
  }

  /** Stream events buffered for consumers that have no credit yet, over all runs streamed by this member. */
  public long streamBuffered() {
    return streamBuffered.sum();
  }

  /** Runs waiting for their thread's run in flight to end ({@code multitaskStrategy "enqueue"}) on this member. */
  public long threadRunsQueued() {
    return threadRunsQueued.sum();
  }

  /** Runs in flight on all coordinators of the deployment (each coordinator counts from its own event loop). */
  public int runsInFlight() {
    return runsInFlight.get();
  }

  void runStarted() {
    runsInFlight.incrementAndGet();
  }

  void runEnded() {
    runsInFlight.decrementAndGet();
  }

  /** The counters of {@code node} (all zero if it never ran). */
  public NodeCounters node(String node) {
    return nodes.computeIfAbsent(node, n -> new NodeCounters());
  }

  /** The most recent blocked-event-loop reports, oldest first (at most {@link #MAX_KEPT_REPORTS}). */
  public List<BlockedReport> blockedReports() {
    synchronized (reports) {
      return new ArrayList<>(reports);
    }
  }

  void reportBlocked(BlockedReport report) {
    node(report.node()).blockedReports.increment();
    synchronized (reports) {
      if (reports.size() == MAX_KEPT_REPORTS) {
        reports.poll();
      }
      reports.add(report);
    }
  }

  /** All counters as JSON: {@code {"nodes": {name: {...}}, "blockedReports": [...]}}. */
  public JsonObject toJson() {
    JsonObject perNode = new JsonObject();
    nodes.forEach((name, counters) -> perNode.put(name, counters.toJson()));
    JsonArray kept = new JsonArray();
    for (BlockedReport r : blockedReports()) {
      kept.add(new JsonObject().put("node", r.node()).put("runId", r.runId()).put("step", r.step())
          .put("blockedMs", r.blockedMs()).put("thread", r.thread()).put("at", r.at().toString())
          .put("message", r.message()));
    }
    return new JsonObject().put("nodes", perNode).put("blockedReports", kept)
        .put("droppedResults", new JsonObject().put("late", lateResults()).put("forged", forgedResults())
            .put("malformed", malformedResults()))
        .put("refusedControls", refusedControls());
  }
}
