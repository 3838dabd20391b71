package io.graphloop.ops;

import io.graphloop.checkpoint.Checkpointer;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.MetricsListener;
import io.graphloop.runtime.RuntimeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * A deployed graph's metrics in a Micrometer {@link MeterRegistry}, named and labelled for Prometheus
 * ({@code graphloop_runs_started_total{graph="..."}} and so on; the README's "Operations" section has the table).
 * Labels are bounded: the graph, the node, and an outcome from a fixed set; never a run or thread id.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = PrometheusMetrics.registry();
 * GraphloopMeters meters = GraphloopMeters.bind(registry, runtime);   // runtime: a GraphRuntime
 * ... registry.scrape() ...
 * meters.close();                                                    // before the runtime is undeployed, or after
 * }</pre>
 *
 * <p>Counters the runtime keeps anyway (node executions, failures, timeouts, retries, refusals, blocked-loop reports,
 * dropped results) are read when scraped; durations and outcomes are recorded as they happen through the deployment's
 * {@link MetricsListener}, which is this object while bound.
 *
 * <p>Thread rules: thread-safe; {@link #bind} and {@link #close} from any thread, the listener methods from event
 * loops and workers concurrently (lock-free after a meter's first use).
 */
public final class GraphloopMeters implements MetricsListener, Checkpointer.SaveListener, AutoCloseable {

  /** Outcomes of a node execution, each a label value. */
  private static final List<String> NODE_OUTCOMES = List.of("success", "failure", "timeout", "rejected");

  private final MeterRegistry registry;
  private final RuntimeMetrics metrics;
  private final String graph;
  private final Tags graphTag;
  private final Counter runsStarted;
  /** Per run outcome, its counter and timer, looked up once per run (no key built, no registry lookup). */
  private final Map<String, RunMeters> runMeters = new ConcurrentHashMap<>();
  /**
   * Per node, its duration timer of each outcome in {@link #NODE_OUTCOMES}' order: the graph's nodes at bind time, in
   * a map never written after the constructor; a node not among them (there is none today) goes to
   * {@link #lateNodeTimers}.
   */
  private final Map<String, Timer[]> nodeTimers;
  private final Map<String, Timer[]> lateNodeTimers = new ConcurrentHashMap<>();
  private final List<Meter> meters = new ArrayList<>();
  private final Checkpointer checkpointer;
  private final String store;
  /** Per save kind, its timers of successful and failed saves (in this order). */
  private final Map<String, Timer[]> saveTimers = new ConcurrentHashMap<>();

  private GraphloopMeters(MeterRegistry registry, GraphRuntime runtime) {
    this.registry = registry;
    this.metrics = runtime.metrics();
    this.graph = runtime.graph().name();
    this.graphTag = Tags.of("graph", graph);
    this.runsStarted = keep(Counter.builder("graphloop.runs.started").tags(graphTag)
        .description("Runs admitted by this member's coordinators").register(registry));
    keep(Gauge.builder("graphloop.runs.in.flight", metrics, RuntimeMetrics::runsInFlight).tags(graphTag)
        .description("Runs in flight on this member's coordinators").register(registry));
    Map<String, Timer[]> timers = new java.util.HashMap<>();
    for (io.graphloop.graph.NodeDefinition node : runtime.graph().nodes()) {
      if (!"__start__".equals(node.name())) {
        timers.put(node.name(), bindNode(node.name()));
      }
    }
    this.nodeTimers = timers;
    dropped("late", RuntimeMetrics::lateResults);
    dropped("forged", RuntimeMetrics::forgedResults);
    dropped("malformed", RuntimeMetrics::malformedResults);
    keep(FunctionCounter.builder("graphloop.controls.refused", metrics, m -> m.refusedControls()).tags(graphTag)
        .description("Cancels, stream credits and custom events refused for want of the run's token")
        .register(registry));
    keep(Gauge.builder("graphloop.stream.buffered", metrics, RuntimeMetrics::streamBuffered).tags(graphTag)
        .description("Stream events buffered for consumers without credit, over the runs streamed here")
        .register(registry));
    keep(Gauge.builder("graphloop.thread.runs.queued", metrics, RuntimeMetrics::threadRunsQueued).tags(graphTag)
        .description("Runs waiting for their thread's run in flight to end (multitaskStrategy enqueue)")
        .register(registry));
    this.checkpointer = runtime.checkpointer();
    this.store = checkpointer == null ? null : storeType(checkpointer.store());
    if (checkpointer != null) {
      bindStore(checkpointer.store());
    }
  }

  /** {@code memory}, {@code sqlite}, {@code postgres}, or {@code custom}: a label value from a fixed set. */
  static String storeType(io.graphloop.checkpoint.CheckpointStore store) {
    String name = store.getClass().getName();
    switch (name) {
      case "io.graphloop.checkpoint.MemoryCheckpointStore":
        return "memory";
      case "io.graphloop.checkpoint.SqliteCheckpointStore":
        return "sqlite";
      case "io.graphloop.checkpoint.PostgresCheckpointStore":
        return "postgres";
      default:
        return "custom";
    }
  }

  private void bindStore(io.graphloop.checkpoint.CheckpointStore checkpointStore) {
    Tags tags = graphTag.and("store", store);
    for (String kind : List.of("checkpoint", "writes")) {
      saveTimers(kind); // registered up front, so a scrape shows zeros rather than nothing
    }
    if (checkpointStore.groupCommitStats() != null) {
      keep(FunctionCounter.builder("graphloop.checkpoint.commits", checkpointStore,
              s -> s.groupCommitStats().transactions()).tags(tags)
          .description("Group-commit transactions of the graph's checkpoint store").register(registry));
      keep(FunctionCounter.builder("graphloop.checkpoint.committed.saves", checkpointStore,
              s -> s.groupCommitStats().saves()).tags(tags)
          .description("Saves made durable by those transactions (per transaction: the batch size)")
          .register(registry));
    }
    checkpointer.listen(this);
  }

  private Timer[] saveTimers(String kind) {
    Timer[] timers = saveTimers.get(kind); // the lookup of every save: no lambda, no key built
    return timers != null ? timers : saveTimers.computeIfAbsent(kind, k -> new Timer[] {saveTimer(k, "success"),
        saveTimer(k, "failure")});
  }

  private Timer saveTimer(String kind, String outcome) {
    return keep(Timer.builder("graphloop.checkpoint.save.duration")
        .tags(graphTag.and("store", store, "kind", kind, "outcome", outcome))
        .description("Checkpoint saves (kind checkpoint) and task-write saves (kind writes), until durable")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(10_000))
        .maximumExpectedValue(Duration.ofMinutes(1)).register(registry));
  }

  @Override
  public void saved(String kind, boolean succeeded, long nanos) {
    saveTimers(kind)[succeeded ? 0 : 1].record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /**
   * Registers {@code runtime}'s meters in {@code registry} and starts recording its runs and node executions.
   *
   * @throws IllegalStateException when the runtime's metrics are bound already
   */
  public static GraphloopMeters bind(MeterRegistry registry, GraphRuntime runtime) {
    PrometheusMetrics.requireAvailable(false);
    RuntimeMetrics metrics = runtime.metrics();
    synchronized (metrics) { // listen() locks it too: no second binding between the check and the listen
      if (metrics.hasListener()) {
        throw new IllegalStateException("Graph '" + runtime.graph().name() + "' is bound to a registry already "
            + "(its meters are shared: a registry returns the same meter for the same name and labels); close the "
            + "first GraphloopMeters before binding again.");
      }
      GraphloopMeters meters = new GraphloopMeters(registry, runtime);
      metrics.listen(meters);
      return meters;
    }
  }

  /** Registers {@code node}'s meters; answers its duration timers, one per outcome of {@link #NODE_OUTCOMES}. */
  private Timer[] bindNode(String node) {
    RuntimeMetrics.NodeCounters counters = metrics.node(node);
    Tags tags = graphTag.and("node", node);
    nodeCounter("graphloop.node.executions", "Executions started on this member", counters, tags,
        RuntimeMetrics.NodeCounters::executions);
    nodeCounter("graphloop.node.failures", "Executions that failed", counters, tags,
        RuntimeMetrics.NodeCounters::failures);
    nodeCounter("graphloop.node.timeouts", "Executions that timed out", counters, tags,
        RuntimeMetrics.NodeCounters::timeouts);
    nodeCounter("graphloop.node.retries", "Retries scheduled by this member's coordinators", counters, tags,
        RuntimeMetrics.NodeCounters::retries);
    nodeCounter("graphloop.node.refusals", "Executions refused by the node's concurrency limit", counters, tags,
        RuntimeMetrics.NodeCounters::rejected);
    nodeCounter("graphloop.node.blocked.loop.reports", "Async executions that held their event loop too long",
        counters, tags, RuntimeMetrics.NodeCounters::blockedReports);
    keep(Gauge.builder("graphloop.node.bulkhead.queued", counters, RuntimeMetrics.NodeCounters::bulkheadQueued)
        .tags(tags).description("Executions waiting for a permit of the node's concurrency limit")
        .register(registry));
    Timer[] timers = new Timer[NODE_OUTCOMES.size()];
    for (int i = 0; i < timers.length; i++) {
      timers[i] = nodeTimer(node, NODE_OUTCOMES.get(i)); // registered up front: a scrape shows zeros, not nothing
    }
    return timers;
  }

  private void nodeCounter(String name, String description, RuntimeMetrics.NodeCounters counters, Tags tags,
                           ToDoubleFunction<RuntimeMetrics.NodeCounters> count) {
    keep(FunctionCounter.builder(name, counters, count).tags(tags).description(description).register(registry));
  }

  private void dropped(String reason, ToDoubleFunction<RuntimeMetrics> count) {
    keep(FunctionCounter.builder("graphloop.results.dropped", metrics, count).tags(graphTag.and("reason", reason))
        .description("Node results dropped: late (attempt no longer waited for), forged, malformed")
        .register(registry));
  }

  private <M extends Meter> M keep(M meter) {
    synchronized (meters) {
      meters.add(meter);
    }
    return meter;
  }

  /** The counter and timer of runs that ended with one outcome. */
  private record RunMeters(Counter ended, Timer duration) {
  }

  private RunMeters runMeters(String outcome) {
    RunMeters meters = runMeters.get(outcome); // the lookup of every run: no lambda, no key built
    return meters != null ? meters : runMeters.computeIfAbsent(outcome, o -> new RunMeters(
        keep(Counter.builder("graphloop.runs.ended").tags(graphTag.and("outcome", o))
            .description("Runs ended on this member's coordinators, by outcome").register(registry)),
        keep(Timer.builder("graphloop.run.duration").tags(graphTag.and("outcome", o))
            .description("Run duration, from admission to its end").publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofHours(1))
            .register(registry))));
  }

  private Timer nodeTimer(String node, String outcome) {
    return keep(Timer.builder("graphloop.node.duration")
        .tags(graphTag.and("node", node, "outcome", outcome)).description("Node execution duration on this member")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000))
        .maximumExpectedValue(Duration.ofMinutes(10)).register(registry));
  }

  /** The index of {@code outcome} in {@link #NODE_OUTCOMES}. */
  private static int nodeOutcome(String outcome) {
    switch (outcome) {
      case "success":
        return 0;
      case "failure":
        return 1;
      case "timeout":
        return 2;
      case "rejected":
        return 3;
      default:
        throw new IllegalArgumentException("A node execution ends " + NODE_OUTCOMES + ", not '" + outcome + "'");
    }
  }

  @Override
  public void runStarted() {
    runsStarted.increment();
  }

  @Override
  public void runEnded(String outcome, long nanos) {
    RunMeters meters = runMeters(outcome);
    meters.ended().increment();
    meters.duration().record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  @Override
  public void nodeEnded(String node, String outcome, long nanos) {
    Timer[] timers = nodeTimers.get(node);
    if (timers == null) {
      timers = lateNodeTimers.computeIfAbsent(node, this::bindNode);
    }
    timers[nodeOutcome(outcome)].record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** The graph these meters are about. */
  public String graph() {
    return graph;
  }

  /** Stops recording and removes this graph's meters from the registry. */
  @Override
  public void close() {
    metrics.listen(null);
    if (checkpointer != null) {
      checkpointer.listen(null);
    }
    removeMeters();
  }

  private void removeMeters() {
    synchronized (meters) {
      meters.forEach(registry::remove);
      meters.clear();
    }
  }
}
