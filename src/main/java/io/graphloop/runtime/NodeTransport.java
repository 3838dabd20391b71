package io.graphloop.runtime;

import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.internal.bus.LoopAffinity;
import io.graphloop.internal.bus.PendingReplies;
import io.graphloop.internal.bus.ReplyFailures;
import io.graphloop.internal.bus.SecureIds;
import io.graphloop.internal.engine.Task;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.NodeReply;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.protocol.NodeResult;
import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A coordinator's node transport: sends each attempt of a task to its node and hands the node's result (on the
 * coordinator's results address) back to the attempt's waiter. A node instance on the coordinator's own event loop
 * is handed the request directly ({@link LoopAffinity.LocalTarget}), else the request goes to the node's address on
 * this loop when one listens there, else to its public address; a traced run's requests always go by the bus, with
 * the run's trace headers. Each attempt waits with a deadline (the node's timeout, plus a grace period when the node
 * keeps its own deadline); what an attempt fails with is mapped by {@link ReplyFailures#ofNodeRequest}.
 *
 * <p>Thread rules: confined to its coordinator's event loop (made in its {@code start()}, used by its handlers).
 */
final class NodeTransport implements RunDriver.NodeDispatcher {

  private static final io.graphloop.internal.graph.GraphInternals.Accessor GRAPH =
      io.graphloop.internal.graph.GraphInternals.get();

  private final CompiledGraph graph;
  private final RuntimeMetrics metrics;
  private final EventBus bus;
  private final String resultsAddress;
  private final DroppedResults dropped;
  private final PendingReplies<NodeReply> pending;
  private final String[] publicAddresses;
  private final String[] loopAddresses;
  private final MessageProducer<Object>[] publicProducers;
  private final MessageProducer<Object>[] loopProducers;
  /** Whether each node's loop address has a listener, resolved once per deployment change (not per step). */
  private final LoopAffinity.Routes loopRoutes;
  private final long[] timeouts;
  private final long[] deadlines;
  /** By node index: whether the node is an entrypoint of the functional API (its requests carry its task calls). */
  private final boolean[] functional;
  /** The coordinator's runs (for an entrypoint's stored task calls) and where task-call results go. */
  private final java.util.Map<String, RunDriver> runs;
  private final String callsTo;

  /** Call on the coordinator's event loop (its {@code start()}): the node addresses are resolved for that loop. */
  NodeTransport(Vertx vertx, CompiledGraph graph, GraphRuntimeOptions options, RuntimeMetrics metrics,
                LoopAffinity affinity, String resultsAddress, DroppedResults dropped,
                java.util.Map<String, RunDriver> runs, String callsTo) {
    this.runs = runs;
    this.callsTo = callsTo;
    this.graph = graph;
    this.metrics = metrics;
    this.bus = vertx.eventBus();
    this.resultsAddress = resultsAddress;
    this.dropped = dropped;
    this.pending = new PendingReplies<>(vertx);
    int n = graph.nodes().size();
    publicAddresses = new String[n];
    loopAddresses = new String[n];
    publicProducers = producers(n);
    loopProducers = producers(n);
    timeouts = new long[n];
    deadlines = new long[n];
    functional = new boolean[n];
    for (NodeDefinition node : graph.nodes()) {
      int i = node.index();
      functional[i] = node.async() instanceof io.graphloop.graph.FunctionCalls.Caller;
      publicAddresses[i] = Addresses.node(graph.name(), node.name());
      loopAddresses[i] = LoopAffinity.onThisLoop(publicAddresses[i]);
      publicProducers[i] = bus.sender(publicAddresses[i]);
      loopProducers[i] = bus.sender(loopAddresses[i]);
      timeouts[i] = node.options().getTimeoutMs() > 0 ? node.options().getTimeoutMs() : options.getNodeTimeoutMs();
      // A node that keeps its own deadline (NodeExecution) answers with a timeout itself; the coordinator waits a
      // grace period longer, for a lost message or a dead member. For the others the coordinator's deadline is it.
      // (Saturated: Long.MAX_VALUE, "no deadline", must not wrap into the past.)
      deadlines[i] = NodeExecution.keepsOwnDeadline(node)
          ? Math.max(timeouts[i], timeouts[i] + options.getReplyGraceMs()) : timeouts[i];
    }
    loopRoutes = affinity.routes(loopAddresses);
  }

  @Override
  public long execute(String runId, RunDriver.Limits run, Task task, int attempt, int maxAttempts,
                      List<Object> resume, int remainingSteps, Completable<NodeReply> done) {
    int i = task.nodeIndex();
    long tag = SecureIds.nextNonZeroLong(); // a new id per attempt: a stale attempt's result finds no wait
    long correlation = pending.add(deadlines[i], tag, done);
    boolean subgraph = GRAPH.isSubgraph(graph, i); // (an array read: the node's definition is cold on large graphs)
    String childThread = run.threadId() == null || !subgraph ? null : SubgraphThreads.childThread(run.threadId(), task);
    // a subgraph node streams its child's events only when the run's stream asked for them (LangGraph's subgraphs)
    boolean unstreamed = subgraph && !run.streamSubgraphs();
    NodeRequest request = new NodeRequest(graph.name(), runId, task.step(), task.node(), attempt, maxAttempts,
        timeouts[i], run.config(), unstreamed ? null : run.eventsTo(), unstreamed ? List.of() : run.streamModes(),
        resultsAddress, correlation, tag, resume, task.input(), childThread, run.resuming(), remainingSteps,
        functional[i] ? task.id(run.threadId() != null ? run.threadId() : runId) : null,
        functional[i] ? callsOf(runId, task.id(run.threadId() != null ? run.threadId() : runId)) : null,
        functional[i] ? callsTo : null);
    LoopAffinity.LocalTarget local = run.traceHeaders() == null ? loopRoutes.target(i) : null;
    if (local != null) { // the node's instance on this loop, resolved once: no lookup or envelope per message
      local.deliver(request); // (a traced run's requests go by the bus: their headers carry the trace)
      return correlation;
    }
    boolean onThisLoop = loopRoutes.listened(i);
    (onThisLoop ? producer(loopProducers[i], loopAddresses[i], run) : producer(publicProducers[i], publicAddresses[i],
        run)).write(request).onFailure(failure -> {
      if (onThisLoop && isNoHandlers(failure)) {
        producer(publicProducers[i], publicAddresses[i], run).write(request)
            .onFailure(again -> pending.answer(correlation, tag, null, again));
      } else {
        pending.answer(correlation, tag, null, failure);
      }
    });
    return correlation;
  }

  /**
   * The node's producer, or, for a traced run, one that adds the run's trace headers (a copy: Vert.x may add its
   * own) and leaves the request out of Vert.x's own event-bus tracing (the node's span is the run span's child).
   */
  private MessageProducer<Object> producer(MessageProducer<Object> plain, String address, RunDriver.Limits run) {
    if (run.traceHeaders() == null) {
      return plain;
    }
    return bus.sender(address, new DeliveryOptions().setHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap()
        .addAll(run.traceHeaders())).setTracingPolicy(io.vertx.core.tracing.TracingPolicy.IGNORE));
  }

  /** The stored task calls of an entrypoint's task {@code taskId} in run {@code runId}. */
  private java.util.Map<String, Object> callsOf(String runId, String taskId) {
    RunDriver driver = runs.get(runId);
    return driver == null ? java.util.Map.of() : driver.callsOf(taskId);
  }

  /** The names of the nodes that are entrypoints of the functional API. */
  java.util.Set<String> entrypoints() {
    java.util.Set<String> names = new java.util.HashSet<>();
    for (NodeDefinition node : graph.nodes()) {
      if (functional[node.index()]) {
        names.add(node.name());
      }
    }
    return java.util.Set.copyOf(names);
  }

  /** Whether an attempt with correlation id {@code key}/{@code tag} is still waited for. */
  boolean waits(long key, long tag) {
    return pending.waits(key, tag);
  }

  @Override
  public void abandon(long wait) {
    pending.forget(wait);
  }

  /**
   * A node's result for one of this coordinator's requests. Only a result carrying the whole correlation id of an
   * attempt still waited for (key and tag) is taken; a late one (its attempt timed out or was answered), one with a
   * wrong tag (forged, or guessed) and a malformed one are dropped, counted and logged. {@code address} is where it
   * came from by the bus, {@code null} when a node in this JVM handed it over directly.
   */
  void onResult(Object body, String address) {
    NodeResult result;
    try {
      result = body instanceof NodeResult ? (NodeResult) body : NodeResult.fromJson((JsonObject) body);
    } catch (RuntimeException e) {
      dropped.malformed(address == null ? resultsAddress : address, e);
      return;
    }
    PendingReplies.Answer answer = pending.answer(result.correlation(), result.tag(), result.reply(), result.failure());
    if (answer != PendingReplies.Answer.SETTLED) {
      dropped.unmatched(answer, result.correlation());
    }
  }

  /** Fails every attempt still waiting (the coordinator stops). */
  void failAll(GraphloopException failure) {
    pending.failAll(failure);
  }

  @Override
  public void onRetry(Task task) {
    metrics.node(task.node()).retries.increment();
  }

  @Override
  public GraphloopException failureOf(String runId, Task task, int attempt, int maxAttempts, Throwable cause) {
    if (ReplyFailures.isUnansweredTimeout(cause)) {
      metrics.node(task.node()).timeouts.increment(); // the deadline was the coordinator's (see the constructor)
    }
    return ReplyFailures.ofNodeRequest(cause, graph.name(), runId, task.step(), task.node(), attempt, maxAttempts,
        publicAddresses[task.nodeIndex()], timeouts[task.nodeIndex()]);
  }

  @SuppressWarnings("unchecked")
  private static MessageProducer<Object>[] producers(int n) {
    return (MessageProducer<Object>[]) new MessageProducer<?>[n];
  }

  private static boolean isNoHandlers(Throwable failure) {
    return failure instanceof ReplyException && ((ReplyException) failure).failureType() == ReplyFailure.NO_HANDLERS;
  }
}
