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
import io.vertx.core.Context;
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
 * <p>On a clustered Vert.x a request that leaves this event loop goes to a member this transport picks, at the
 * node's address on that member ({@link Addresses#onMember}), taking turns over the members that host the node
 * ({@link NodeMembers}); an attempt that failed in transport there (no answer in time, no listener, a connection or
 * handshake refused) has that member recorded in the task's {@link NodeDispatcher.Attempt}, and the task's next attempts
 * take turns over the other members while one hosts the node (when every member failed it, over all of them again).
 * A member that left an attempt unanswered or refused its connection is quarantined for every node's tasks
 * ({@link NodeMembers#quarantine}, option {@code memberQuarantineMs}) until it answers a request or the time passes.
 * Before the first list of a node's members has been read its requests wait for it; when no member hosts the node
 * the request goes to its public address (and fails with no handler). A non-clustered Vert.x sends to the public
 * address.
 *
 * <p>Thread rules: confined to its coordinator's event loop (made in its {@code start()}, used by its handlers).
 */
final class NodeTransport implements NodeDispatcher {

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
  /** By node index: its own run timeout (0: none), idle timeout (0: none), and whether only heartbeats refresh it. */
  private final long[] runTimeouts;
  private final long[] idleTimeouts;
  private final boolean[] heartbeatOnly;
  /** By node index: whether executions of the node keep their own deadline ({@link NodeExecution#keepsOwnDeadline}). */
  private final boolean[] ownDeadline;
  private final long defaultTimeoutMs;
  private final long replyGraceMs;
  /** By node index: whether the node is an entrypoint of the functional API (its requests carry its task calls). */
  private final boolean[] functional;
  /** The coordinator's runs (for an entrypoint's stored task calls) and where task-call results go. */
  private final java.util.Map<String, RunDriver> runs;
  private final String callsTo;
  /** The cluster's members hosting each node; {@code null} on a non-clustered Vert.x. */
  private final NodeMembers members;
  private final long memberRefreshMs;
  private final long memberQuarantineMs;
  /** By node index: whose turn it is among the node's members. */
  private final int[] turns;
  /** This transport's producers of members' node addresses, by address (cleared when it grows past its bound). */
  private final java.util.HashMap<String, MessageProducer<Object>> memberProducers = new java.util.HashMap<>();
  private static final int MAX_MEMBER_PRODUCERS = 4_096;
  /** The coordinator's context: sends that waited for a list of members go on from here. */
  private final Context context;

  /** Call on the coordinator's event loop (its {@code start()}): the node addresses are resolved for that loop. */
  NodeTransport(Vertx vertx, CompiledGraph graph, String busName, GraphRuntimeOptions options, RuntimeMetrics metrics,
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
    this.members = NodeMembers.of(vertx);
    this.memberRefreshMs = options.getMemberRefreshMs();
    this.memberQuarantineMs = options.getMemberQuarantineMs();
    this.context = vertx.getOrCreateContext();
    int n = graph.nodes().size();
    turns = new int[n];
    publicAddresses = new String[n];
    loopAddresses = new String[n];
    publicProducers = producers(n);
    loopProducers = producers(n);
    timeouts = new long[n];
    deadlines = new long[n];
    runTimeouts = new long[n];
    idleTimeouts = new long[n];
    heartbeatOnly = new boolean[n];
    ownDeadline = new boolean[n];
    defaultTimeoutMs = options.getNodeTimeoutMs();
    replyGraceMs = options.getReplyGraceMs();
    functional = new boolean[n];
    for (NodeDefinition node : graph.nodes()) {
      int i = node.index();
      turns[i] = SecureIds.nextNonZeroLong() > 0 ? i : -i; // coordinators start their turns apart
      functional[i] = node.async() instanceof io.graphloop.graph.FunctionCalls.Caller;
      publicAddresses[i] = Addresses.node(busName, node.name());
      loopAddresses[i] = LoopAffinity.onThisLoop(publicAddresses[i]);
      publicProducers[i] = bus.sender(publicAddresses[i]);
      loopProducers[i] = bus.sender(loopAddresses[i]);
      timeouts[i] = node.options().getTimeoutMs() > 0 ? node.options().getTimeoutMs() : options.getNodeTimeoutMs();
      // A node that keeps its own deadline (NodeExecution) answers with a timeout itself; the coordinator waits a
      // grace period longer, for a lost message or a dead member. For the others the coordinator's deadline is it.
      // (Saturated: Long.MAX_VALUE, "no deadline", must not wrap into the past.)
      ownDeadline[i] = NodeExecution.keepsOwnDeadline(node);
      deadlines[i] = ownDeadline[i] ? Math.max(timeouts[i], timeouts[i] + options.getReplyGraceMs()) : timeouts[i];
      runTimeouts[i] = node.options().getTimeoutMs();
      idleTimeouts[i] = node.options().getIdleTimeoutMs();
      heartbeatOnly[i] = node.options().getTimeoutRefreshOn() == io.graphloop.graph.TimeoutPolicy.RefreshOn.HEARTBEAT;
    }
    loopRoutes = affinity.routes(loopAddresses);
  }

  @Override
  public long execute(String runId, RunDriver.Limits run, Task task, int attempt, int maxAttempts,
                      List<Object> resume, int remainingSteps, NodeDispatcher.Attempt done) {
    int i = task.nodeIndex();
    io.graphloop.graph.TimeoutPolicy own = task.timeout(); // a Send's policy replaces the node's
    long timeout = runTimeoutOf(task);
    long deadline = own == null ? deadlines[i] : ownDeadline[i] ? Math.max(timeout, timeout + replyGraceMs) : timeout;
    long tag = SecureIds.nextNonZeroLong(); // a new id per attempt: a stale attempt's result finds no wait
    long correlation = pending.add(deadline, tag, done);
    boolean subgraph = GRAPH.isSubgraph(graph, i); // (an array read: the node's definition is cold on large graphs)
    String taskId = functional[i] || subgraph ? done.taskId() : null;
    String childThread = run.threadId() == null || !subgraph ? null
        : SubgraphThreads.childThread(run.threadId(), task, taskId, graph.node(i).subgraph().persistence());
    // a subgraph node streams its child's events only when the run's stream asked for them (LangGraph's subgraphs)
    boolean unstreamed = subgraph && !run.streamSubgraphs();
    NodeRequest.Execution execution = new NodeRequest.Execution(run.threadId(), task.push(), done.checkpointId(),
        done.firstAttemptAtMs(), own == null ? runTimeouts[i] : own.runTimeoutMs(),
        own == null ? idleTimeouts[i] : own.idleTimeoutMs(),
        own == null ? heartbeatOnly[i] : own.refreshOn() == io.graphloop.graph.TimeoutPolicy.RefreshOn.HEARTBEAT);
    NodeRequest request = new NodeRequest(graph.name(), runId, task.step(), task.node(), attempt, maxAttempts,
        timeout, run.config(), unstreamed ? null : run.eventsTo(), unstreamed ? List.of() : run.streamModes(),
        resultsAddress, correlation, tag, resume, task.input(), childThread, run.resuming(), remainingSteps,
        functional[i] ? taskId : null, functional[i] ? callsOf(runId, taskId) : null,
        functional[i] ? callsTo : null, run.recursionLimit(), functional[i] || subgraph && childThread == null
            ? SubgraphThreads.taskNamespace(run.threadId(), task.node(), taskId) : null, execution);
    LoopAffinity.LocalTarget local = run.traceHeaders() == null ? loopRoutes.target(i) : null;
    if (local != null) { // the node's instance on this loop, resolved once: no lookup or envelope per message
      local.deliver(request); // (a traced run's requests go by the bus: their headers carry the trace)
      return correlation;
    }
    if (!loopRoutes.listened(i)) {
      sendOut(i, request, run, done);
      return correlation;
    }
    producer(loopProducers[i], loopAddresses[i], run).write(request).onFailure(failure -> {
      if (isNoHandlers(failure)) {
        sendOut(i, request, run, done);
      } else {
        pending.answer(correlation, tag, null, failure);
      }
    });
    return correlation;
  }

  /**
   * Sends {@code request} off this event loop: on a cluster to the member whose turn it is among those hosting
   * node {@code i} and not avoided by the task ({@code done} records it), once their list is known; else to the
   * node's public address.
   */
  private void sendOut(int i, NodeRequest request, RunDriver.Limits run, NodeDispatcher.Attempt done) {
    NodeMembers.Members hosts = members == null ? null : members.current(publicAddresses[i], memberRefreshMs);
    if (members != null && hosts == null) { // the first request to this node: wait for the list of its members
      members.whenLoaded(publicAddresses[i], () -> context.runOnContext(loaded -> {
        if (pending.waits(request.correlation(), request.correlationTag())) { // (unless the run ended meanwhile)
          sendOut(i, request, run, done);
        }
      }));
      return;
    }
    int pick = hosts == null ? -1 : hosts.pick(turns[i]++, done.avoided(), done.avoidedCount(), members);
    String member = pick < 0 ? null : hosts.ids[pick];
    done.sentTo(member);
    MessageProducer<Object> producer = member == null ? producer(publicProducers[i], publicAddresses[i], run)
        : producer(memberProducer(Addresses.onMember(publicAddresses[i], member)), null, run);
    producer.write(request).onFailure(failure -> pending.answer(request.correlation(), request.correlationTag(), null, failure));
  }

  /** This transport's producer of {@code address} (a member's node address). */
  private MessageProducer<Object> memberProducer(String address) {
    MessageProducer<Object> producer = memberProducers.get(address);
    if (producer == null) {
      if (memberProducers.size() >= MAX_MEMBER_PRODUCERS) { // members come and go: do not keep them all forever
        memberProducers.clear();
      }
      producer = bus.sender(address);
      memberProducers.put(address, producer);
    }
    return producer;
  }

  /**
   * The node's producer, or, for a traced run, one that adds the run's trace headers (a copy: Vert.x may add its
   * own) and leaves the request out of Vert.x's own event-bus tracing (the node's span is the run span's child).
   */
  private MessageProducer<Object> producer(MessageProducer<Object> plain, String address, RunDriver.Limits run) {
    if (run.traceHeaders() == null) {
      return plain;
    }
    return bus.sender(address != null ? address : plain.address(), new DeliveryOptions().setHeaders(io.vertx.core.MultiMap.caseInsensitiveMultiMap()
        .addAll(run.traceHeaders())).setTracingPolicy(io.vertx.core.tracing.TracingPolicy.IGNORE));
  }

  /** The stored task calls of an entrypoint's task {@code taskId} in run {@code runId}. */
  private java.util.Map<String, Object> callsOf(String runId, String taskId) {
    RunDriver driver = runs.get(runId);
    return driver == null ? java.util.Map.of() : driver.calls().callsOf(taskId);
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
  public void answered(NodeDispatcher.Attempt done) {
    if (members != null && done.sentTo() != null) {
      members.answered(done.sentTo());
    }
  }

  @Override
  public void onRetry(Task task) {
    metrics.node(task.node()).retries.increment();
  }

  @Override
  public GraphloopException failureOf(String runId, Task task, int attempt, int maxAttempts, Throwable cause,
                                      NodeDispatcher.Attempt done) {
    if (done.sentTo() != null && members != null && isTransportFailure(cause)) { // the member failed it: the next attempt goes elsewhere
      done.avoid(done.sentTo());
      members.suspect(publicAddresses[task.nodeIndex()]);
      if (isMembersFailure(cause)) { // no answer in time, or no connection: every node's tasks avoid it for a while
        members.quarantine(done.sentTo(), memberQuarantineMs);
      }
    } else if (done.sentTo() != null && members != null) { // the member answered (with the node's failure)
      members.answered(done.sentTo());
    }
    if (ReplyFailures.isUnansweredTimeout(cause)) {
      metrics.node(task.node()).timeouts.increment(); // the deadline was the coordinator's (see the constructor)
    }
    int i = task.nodeIndex();
    io.graphloop.graph.TimeoutPolicy own = task.timeout();
    long timeout = runTimeoutOf(task);
    GraphloopException failure = ReplyFailures.ofNodeRequest(cause, graph.name(), runId, task.step(), task.node(),
        attempt, maxAttempts, publicAddresses[i], timeout);
    long idle = own == null ? idleTimeouts[i] : own.idleTimeoutMs();
    if (idle > 0 && failure instanceof io.graphloop.errors.NodeTimeoutException
        && ((io.graphloop.errors.NodeTimeoutException) failure).idleTimeoutMs() == 0) { // the coordinator's deadline
      failure = new io.graphloop.errors.NodeTimeoutException(graph.name(), runId, task.step(), task.node(), attempt,
          maxAttempts, io.graphloop.errors.NodeTimeoutException.Kind.RUN, timeout, idle, -1);
    }
    return failure;
  }

  @SuppressWarnings("unchecked")
  private static MessageProducer<Object>[] producers(int n) {
    return (MessageProducer<Object>[]) new MessageProducer<?>[n];
  }

  /**
   * Whether an attempt failed on its way (no answer in time, no listener at the member, a connection or handshake
   * refused, or the member answered that no instance of the node runs there), not with a failure the node answered.
   */
  static boolean isTransportFailure(Throwable cause) {
    GraphloopException carried = io.graphloop.protocol.Failures.carried(cause);
    if (carried != null) { // a member that answers it hosts no running instance of the node (NodeRoute)
      return carried.code() == io.graphloop.errors.FailureCode.UNKNOWN_TARGET;
    }
    if (cause instanceof ReplyException) {
      ReplyFailure type = ((ReplyException) cause).failureType();
      return type == ReplyFailure.TIMEOUT || type == ReplyFailure.NO_HANDLERS;
    }
    return cause != null;
  }

  /**
   * Whether a transport failure says the member itself is failing (no answer in time, a connection or handshake
   * refused), not only that it does not serve this node (no listener there, no instance of the node).
   */
  static boolean isMembersFailure(Throwable cause) {
    if (io.graphloop.protocol.Failures.carried(cause) != null) {
      return false;
    }
    if (cause instanceof ReplyException) {
      return ((ReplyException) cause).failureType() == ReplyFailure.TIMEOUT;
    }
    return cause != null;
  }

  private static boolean isNoHandlers(Throwable failure) {
    return failure instanceof ReplyException && ((ReplyException) failure).failureType() == ReplyFailure.NO_HANDLERS;
  }

  /**
   * The run timeout of {@code task}'s attempts: its {@code Send}'s policy's when it has one (0 there: the deployment's
   * default), else its node's.
   */
  private long runTimeoutOf(Task task) {
    io.graphloop.graph.TimeoutPolicy own = task.timeout();
    return own == null ? timeouts[task.nodeIndex()] : own.runTimeoutMs() > 0 ? own.runTimeoutMs() : defaultTimeoutMs;
  }
}
