package io.graphloop.runtime;

import io.graphloop.internal.bus.LoopAffinity;

import io.graphloop.internal.engine.NodeOutputs;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.graph.NodeKind;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.FailureReply;
import io.graphloop.protocol.NodeReply;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.protocol.NodeResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * One instance of a node: listens on {@code graphloop.<graph>.node.<name>} (on a clustered Vert.x, the
 * deployment's {@link NodeRoute} listens there instead and hands requests on) and on its event loop's local address
 * (see {@link LoopAffinity}), and runs a {@link NodeExecution} per request, which replies with the frozen partial
 * update or with a {@link FailureReply}.
 *
 * <p>An instance is not a verticle of its own: it lives in a verticle that gives it its Vert.x and context, either a
 * {@link NodeHost} (one per event loop per deployment, hosting an instance of many nodes: async, blocking and
 * subgraph nodes) or a {@link NodeVerticle} (a virtual-thread node, which needs a virtual-thread context of its own).
 * Its consumers are registered on that verticle's context, so undeploying the verticle removes them, and they run
 * there.
 *
 * <p>A coordinator on the same event loop hands requests to this instance directly ({@link LoopAffinity.LocalTarget},
 * resolved once per deployment change rather than looked up per message): each runs at once, inside the
 * coordinator's task but dispatched on the hosting verticle's context (it is the current context while the node runs,
 * as for an event-bus delivery), without a task queued per step. The result still goes back queued, so the
 * coordinator is never re-entered. A request handed over just as the instance stopped goes on to the node's public
 * address (another instance, or no handler: then the coordinator hears that no member hosts the node).
 *
 * <p>Why hosts (issue 17): on a graph of thousands of nodes each step reaches a node whose objects are cold in the
 * CPU's caches and TLB; with a verticle and a Vert.x context per node instance (plus their consumers and deployment
 * records) those objects were spread over about 100 MB for 10,000 nodes, and the first touch of each cost a TLB miss
 * per step. A host makes its instances one after another, before any consumer, so the instances one coordinator
 * reaches lie together, and no per-node context exists.
 *
 * <p>Async nodes run on the hosting event loop. Blocking nodes run on a worker thread through
 * {@code executeBlocking(..., false)} (unordered, so executions run in parallel) on Vert.x's worker pool
 * or on the node's named pool; they never run on an event loop. Virtual-thread nodes run on the virtual
 * thread of their verticle's (virtual-thread) context.
 *
 * <p>Thread rules: made, started and stopped on the hosting verticle's context; handlers run there; see
 * {@link NodeExecution} for the rest.
 */
final class NodeInstance implements LoopAffinity.LocalTarget, RuntimeMetrics.Tally {

  private static final java.util.concurrent.atomic.AtomicLongFieldUpdater<NodeInstance> EXECUTED =
      java.util.concurrent.atomic.AtomicLongFieldUpdater.newUpdater(NodeInstance.class, "executed");

  private final String graph;
  private final NodeDefinition node;
  private final NodeResources resources;
  /** The hosting verticle's Vert.x and context (set by {@link #start}). */
  private Vertx vertx;
  private io.vertx.core.internal.ContextInternal context;
  /** {@link #takeDirect}, made once rather than a method reference per direct request. */
  private final io.vertx.core.Handler<Object> direct = this::takeDirect;
  private MessageConsumer<Object> publicConsumer;
  private MessageConsumer<Object> loopConsumer;
  private String loopAddress;
  private LoopAffinity affinity;
  private String address;
  private boolean stopped; // set and read on the hosting event loop
  /** Whether the hosting context is an event-loop context (set in start, read on that loop). */
  private boolean eventLoopContext;
  /** The waits of the async executions ({@link #delays()}), made on the hosting loop at the first wait. */
  private NodeDelays delays;
  private WorkerExecutor workerPool;
  /** On a clustered Vert.x: the deployment's {@link NodeRoute} holds the public address; else {@code null}. */
  private final NodeRoute.Targets route;
  /** Opens the executions' trace spans ({@code RunTracer.NONE} unless tracing is installed on this Vert.x). */
  private io.graphloop.internal.tracing.RunTracer tracer;

  // What an execution reads at every step, copied out of the node's definition, options and resources: on a graph of
  // thousands of nodes those objects are cold in the CPU's caches when a step reaches the node, and reading each was a
  // cache miss per step (issue 17); these fields sit in this object, which the step reaches anyway. Set once here.
  /** The node's name. */
  final String name;
  /** Where the node runs. */
  final NodeKind kind;
  /** The code of an async node, else null. */
  final io.graphloop.graph.AsyncNode async;
  /** Whether executions keep their own deadline ({@link NodeExecution#keepsOwnDeadline}). */
  final boolean keepsOwnDeadline;
  /** The node's concurrency limit, null when unlimited. */
  final NodeBulkhead bulkhead;
  /** The node's counters in the deployment's metrics, and their execution count. */
  final RuntimeMetrics.NodeCounters counters;
  /** This instance's executions, part of {@code counters.executions()} (atomic: a virtual-thread context may count). */
  private volatile long executed;
  /** The deployment's metrics, HTTP clients, store, emit window, blocked-loop threshold; the compiled graph. */
  final RuntimeMetrics metrics;
  final HttpClients httpClients;
  final io.graphloop.store.Store store;
  final int maxPendingEmits;
  final long blockedNodeThresholdMs;
  final io.graphloop.graph.CompiledGraph compiled;
  /** The graph's name in its event-bus addresses (see {@link NodeResources#busName}). */
  final String busName;

  NodeInstance(String graph, NodeDefinition node, NodeResources resources, NodeRoute.Targets route) {
    this.graph = graph;
    this.node = node;
    this.resources = resources;
    this.route = route;
    this.name = node.name();
    this.kind = node.kind();
    this.async = node.async();
    this.keepsOwnDeadline = NodeExecution.keepsOwnDeadline(node);
    this.bulkhead = resources.bulkhead();
    this.counters = resources.counters();
    this.metrics = resources.metrics();
    this.httpClients = resources.httpClients();
    this.store = resources.store();
    this.maxPendingEmits = resources.maxPendingEmits();
    this.blockedNodeThresholdMs = resources.blockedNodeThresholdMs();
    this.compiled = resources.graph();
    this.busName = resources.busName();
  }

  /** The node this is an instance of. */
  NodeDefinition node() {
    return node;
  }

  /** The hosting verticle's Vert.x (set by {@link #start}). */
  Vertx vertx() {
    return vertx;
  }

  /** The hosting verticle's context (set by {@link #start}). */
  io.vertx.core.internal.ContextInternal context() {
    return context;
  }

  /** A blocking node's named worker pool, or null (Vert.x's worker pool). */
  WorkerExecutor workerPool() {
    return workerPool;
  }

  /**
   * Registers this instance's consumers on {@code context} (the hosting verticle's, which must be current: call from
   * its {@code start()}), and records it with {@link LoopAffinity} and its route once they are registered.
   */
  Future<Void> start(Vertx vertx, io.vertx.core.Context context) {
    this.vertx = vertx;
    this.context = (io.vertx.core.internal.ContextInternal) context;
    address = Addresses.node(resources.busName(), node.name());
    tracer = io.graphloop.internal.tracing.RunTracers.of(vertx);
    GcPauses.load(vertx); // reads the collectors on a worker, not on the first execution's loop (fire and forget)
    if (node.kind() == NodeKind.BLOCKING && node.options().getWorkerPool() != null) {
      workerPool = vertx.createSharedWorkerExecutor(node.options().getWorkerPool(), node.options().getWorkerPoolSize());
    }
    affinity = LoopAffinity.of(vertx);
    counters.countExecutionsOf(this);
    eventLoopContext = context.isEventLoopContext();
    loopAddress = LoopAffinity.onThisLoop(address);
    loopConsumer = vertx.eventBus().localConsumer(loopAddress, this::handle);
    if (route != null) { // clustered: one registration per member (NodeRoute), which hands requests to the instances
      return loopConsumer.completion().onSuccess(done -> {
        affinity.register(loopAddress, this);
        route.add(loopAddress);
      });
    }
    publicConsumer = vertx.eventBus().consumer(address, this::handle);
    return Future.all(publicConsumer.completion(), loopConsumer.completion())
        .<Void>mapEmpty().onSuccess(done -> affinity.register(loopAddress, this));
  }

  /** Stops taking requests and unregisters what {@link #start} registered (on the hosting context). */
  Future<Void> stop() {
    stopped = true;
    if (affinity == null) { // never started
      return Future.succeededFuture();
    }
    affinity.unregister(loopAddress, this);
    if (route != null) {
      route.remove(loopAddress);
    }
    Future<Void> closed = workerPool == null ? Future.succeededFuture() : workerPool.close();
    return Future.join(publicConsumer == null ? Future.succeededFuture() : publicConsumer.unregister(),
        loopConsumer == null ? Future.succeededFuture() : loopConsumer.unregister(), closed).mapEmpty();
  }

  /**
   * The waits of this instance's async executions ({@link NodeDelays}), made on first use; null for a node that does
   * not run on an event loop (blocking, virtual-thread and subgraph nodes wait with timers of their own). Call on the
   * hosting event loop (node code runs there) or check {@link NodeDelays#onLoop()} on the result before using it:
   * made once, on the loop, then only read.
   */
  NodeDelays delays() {
    if (kind != NodeKind.ASYNC || !eventLoopContext) {
      return null;
    }
    NodeDelays made = delays;
    if (made == null && context.nettyEventLoop().inEventLoop()) {
      made = new NodeDelays(context);
      delays = made;
    }
    return made;
  }

  /** Counts one execution of this instance (in this object: see {@link RuntimeMetrics.Tally}). */
  void executed() {
    EXECUTED.incrementAndGet(this);
  }

  @Override
  public long count() {
    return executed;
  }

  /**
   * A request handed over directly by a coordinator on this event loop (only such a caller has this instance's loop
   * address): run now, on the hosting context. A context on no event loop (a virtual-thread node's) gets it as
   * a task of its own.
   */
  @Override
  public void deliver(Object body) {
    if (eventLoopContext) {
      context.dispatch(body, direct);
    } else {
      context.runOnContext(v -> takeDirect(body));
    }
  }

  private void takeDirect(Object body) {
    if (stopped) {
      redirect(body);
    } else {
      handle(body, null);
    }
  }

  /** A request that reached this instance after it stopped: on to the node's public address. */
  private void redirect(Object body) {
    vertx.eventBus().sender(address).write(body).onFailure(failure -> {
      if (!(body instanceof NodeRequest) || ((NodeRequest) body).replyTo() == null) {
        return;
      }
      NodeRequest request = (NodeRequest) body;
      vertx.eventBus().send(request.replyTo(), new NodeResult(request.correlation(), request.correlationTag(), null,
          new GraphloopException(FailureCode.UNKNOWN_TARGET, "No member hosts node '" + node.name() + "' of graph '"
              + graph + "' any more: its instance stopped while the request was on its way, and nothing listens on "
              + address + " (" + failure.getMessage() + ").", graph, request.runId(), request.step(), node.name(),
              null)));
    });
  }

  private void handle(Message<Object> message) {
    handle(message.body(), message);
  }

  /** Runs one request; {@code message} is null when it came directly (its result then goes to its replyTo). */
  private void handle(Object body, Message<Object> message) {
    NodeRequest request;
    try {
      request = read(body);
    } catch (IllegalArgumentException e) {
      if (message == null) {
        throw e; // a coordinator on this loop sends only NodeRequests
      }
      message.reply(new FailureReply(new GraphloopException(FailureCode.BAD_REQUEST, "Bad request to node '"
          + node.name() + "' of graph '" + graph + "': " + e.getMessage())));
      return;
    }
    io.graphloop.internal.tracing.NodeTrace trace = tracer.startNode(message == null ? null : message.headers(), graph, name,
        request.runId(), request.step(), request.attempt());
    new NodeExecution(this, request, message, trace).begin();
  }

  /**
   * The node's output as its reply: the frozen update, plus a Command's goto targets and Sends (inputs
   * frozen); output that cannot be one, or holds values that are not JSON-compatible, is the node's invalid
   * update.
   */
  NodeReply toUpdate(NodeRequest request, Object output) {
    java.util.Collection<?> several = null;
    if (io.graphloop.internal.engine.CommandLists.isCommandList(output)) { // several Commands: read as one
      several = (java.util.Collection<?>) output;
      try {
        output = io.graphloop.internal.engine.CommandLists.combine(compiled, (java.util.Collection<?>) output,
            node.name());
      } catch (IllegalArgumentException e) {
        throw new InvalidUpdateException(e.getMessage(), graph, request.runId(), request.step(), null,
            List.of(node.name()));
      } catch (InvalidUpdateException e) {
        throw e.in(graph, request.runId());
      }
    }
    if (output instanceof io.graphloop.graph.Command
        && io.graphloop.graph.Command.PARENT.equals(((io.graphloop.graph.Command) output).graph())) {
      throw new io.graphloop.errors.ParentCommand(((io.graphloop.graph.Command) output).graph(null), graph,
          request.runId(), request.step(), node.name());
    }
    try {
      io.graphloop.internal.engine.NodeOutput out = NodeOutputs.toOutput(output, name);
      // keys outside a strict graph's channels are dropped, as LangGraph drops writes outside its state schema: the
      // update streamed and stored is what the state takes
      java.util.Map<String, Object> kept = compiled.channelWritesOf(out.update());
      NodeReply reply = NodeReply.of(kept == out.update() ? out
          : new io.graphloop.internal.engine.NodeOutput(java.util.Collections.unmodifiableMap(kept), out.goTo(),
              out.sends()));
      if (several == null) {
        return reply;
      }
      List<java.util.Map<String, Object>> writes = io.graphloop.internal.engine.CommandLists.repeatedWrites(several,
          kept.keySet());
      return writes.isEmpty() ? reply : new NodeReply(reply.update(), reply.goTo(), reply.sends(), writes);
    } catch (IllegalArgumentException e) {
      throw new InvalidUpdateException(e.getMessage(), graph, request.runId(), request.step(), null,
          List.of(node.name()));
    }
  }

  /**
   * Hands {@code result} to the listener of {@code replyTo} in this JVM without the event bus, when there is one (a
   * coordinator's results inbox, {@link LoopAffinity#registerInbox}); returns false otherwise (send it by the bus).
   * Any thread.
   */
  boolean replyInJvm(String replyTo, NodeResult result) {
    LoopAffinity.LocalTarget inbox = affinity.inbox(replyTo);
    if (inbox == null) {
      return false;
    }
    inbox.deliver(result);
    return true;
  }

  private NodeRequest read(Object body) {
    if (body instanceof NodeRequest) {
      return (NodeRequest) body;
    }
    if (body instanceof JsonObject) {
      return NodeRequest.fromJson((JsonObject) body);
    }
    throw new IllegalArgumentException("the body is " + (body == null ? "null" : "a " + body.getClass().getName())
        + "; a node request is a NodeRequest or its JSON form");
  }
}
