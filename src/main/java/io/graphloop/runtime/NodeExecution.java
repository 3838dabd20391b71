package io.graphloop.runtime;

import io.graphloop.internal.graph.GraphInternals;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.LimitReachedException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.internal.timing.IdleDeadline;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.protocol.FailureReply;
import io.graphloop.protocol.NodeReply;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.protocol.NodeResult;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One execution of a node for one request: waits for a permit of the node's concurrency limit (if any),
 * runs the node where its kind says, enforces the request's timeout from the moment the request arrived
 * (a blocking node past it is interrupted on its worker thread), reports an async node that held its event
 * loop too long, and replies exactly once.
 *
 * <p>Thread rules: created and started on the hosting verticle's context (see {@link NodeInstance}). Completion may
 * come from a worker
 * thread or another thread that completes the node's future, so the reply-once and permit flags are atomic
 * and the worker thread reference is volatile.
 */
final class NodeExecution implements io.vertx.core.Completable<Object> {

  private static final System.Logger LOG = System.getLogger("io.graphloop.runtime.NodeExecution");
  /** Default delivery, shared: Vert.x only reads it, and {@code send(address, body)} would allocate one per call. */
  private static final DeliveryOptions PLAIN = new DeliveryOptions();
  // Flags set across threads (event loop, worker, timer): field updaters rather than two AtomicBooleans per execution.
  private static final AtomicIntegerFieldUpdater<NodeExecution> REPLIED =
      AtomicIntegerFieldUpdater.newUpdater(NodeExecution.class, "replied");
  private static final AtomicIntegerFieldUpdater<NodeExecution> PERMIT_HELD =
      AtomicIntegerFieldUpdater.newUpdater(NodeExecution.class, "permitHeld");

  private final NodeInstance verticle;
  private final NodeRequest request;
  private final Message<Object> message; // null when the result goes to request.replyTo()
  private volatile int replied; // 1 once a reply went out
  private volatile ExecutionContext executionContext; // set once when the node starts; null before (or a subgraph)
  private volatile int permitHeld; // 1 while this execution holds a bulkhead permit
  private Thread worker; // guarded by this
  private NodeBulkhead.Ticket ticket;
  private long timer = -1;
  private volatile IdleDeadline idle; // the attempt's idle timeout, when it has one (stopped from any thread)
  private final long beganNanos = System.nanoTime();
  private long startedNanos; // set only when the deployment's metrics have a listener
  private final io.graphloop.internal.tracing.NodeTrace trace; // NodeTrace.NONE unless the run is traced

  /**
   * An execution of {@code verticle}'s node for {@code request}; its node, Vert.x, context and worker pool are the
   * instance's (read from there rather than copied into each execution: issue 17, bytes a run in flight keeps).
   */
  NodeExecution(NodeInstance verticle, NodeRequest request, Message<Object> message,
                io.graphloop.internal.tracing.NodeTrace trace) {
    this.trace = trace;
    this.verticle = verticle;
    this.request = request;
    this.message = request.replyTo() == null ? message : null; // kept only to reply to; results go by address
  }

  /**
   * Whether executions of {@code node} keep their own deadline: blocking and virtual-thread nodes (to interrupt
   * their thread), subgraphs (to end the child run's wait) and nodes with a concurrency limit (to give their
   * permit back). A plain async node needs none: its coordinator's deadline is the timeout, and a late reply is
   * dropped there, which spares a timer per execution.
   */
  static boolean keepsOwnDeadline(NodeDefinition node) {
    return node.kind() != io.graphloop.graph.NodeKind.ASYNC
        || GraphInternals.get().options(node).getMaxConcurrency() > 0;
  }

  void begin() {
    if (request.timeoutMs() > 0 && verticle.keepsOwnDeadline) {
      timer = verticle.vertx().setTimer(request.timeoutMs(), id -> onTimeout(NodeTimeoutException.Kind.RUN,
          (System.nanoTime() - beganNanos) / 1_000_000L));
    }
    if (request.execution().idleTimeoutMs() > 0) { // any kind of node: the coordinator cannot see its progress
      idle = IdleDeadline.start(verticle.vertx(), request.execution().idleTimeoutMs(),
          request.execution().heartbeatOnly(), elapsed -> onTimeout(NodeTimeoutException.Kind.IDLE, elapsed));
    }
    NodeBulkhead bulkhead = verticle.bulkhead;
    if (bulkhead == null) {
      run();
      return;
    }
    try {
      ticket = bulkhead.enter(() -> verticle.context().runOnContext(v -> startQueued()), request.runId(),
          request.step());
    } catch (LimitReachedException e) {
      verticle.counters.rejected.increment();
      ended("rejected", e);
      reply(new FailureReply(e));
      return;
    }
    if (ticket.startedNow()) {
      permitHeld = 1;
      run();
    }
  }

  private void startQueued() {
    permitHeld = 1;
    if (replied == 1) {
      releasePermit();
      return;
    }
    run();
  }

  private void run() {
    verticle.executed();
    if (verticle.metrics.listener() != null) {
      startedNanos = System.nanoTime();
    }
    ExecutionContext executionContext = new ExecutionContext(verticle.vertx(), request, verticle).withTrace(trace)
        .withIdle(idle);
    this.executionContext = executionContext;
    switch (verticle.kind) {
      case ASYNC:
        runAsync(executionContext);
        break;
      case SUBGRAPH:
        SubgraphExecution.run(verticle.vertx(), verticle.compiled, verticle.busName, verticle.node(), request,
            trace.traceParent())
            .onComplete(this); // read as an update below
        break;
      case BLOCKING:
        Callable<Object> blocking = () -> onWorker(executionContext);
        Future<Object> done = verticle.workerPool() != null ? verticle.workerPool().executeBlocking(blocking, false)
            : verticle.vertx().executeBlocking(blocking, false);
        done.onComplete(this::completeWith);
        break;
      default:
        // VIRTUAL_THREAD: a task of its own on the verticle's virtual-thread context. Run inline, it would hold the
        // event-bus handler, and Vert.x delivers a consumer's next message only when its handler returns, even while
        // the node is suspended in Future.await: the node's executions would run one at a time per instance.
        verticle.context().runOnContext(v -> runOnVirtualThread(executionContext));
    }
  }

  private void runOnVirtualThread(ExecutionContext executionContext) {
    Object output;
    try {
      output = onWorker(executionContext);
    } catch (Throwable t) {
      finish(null, t);
      return;
    }
    finish(output, null);
  }

  private void runAsync(ExecutionContext executionContext) {
    long gcMark = GcPauses.mark();
    long started = System.nanoTime();
    Future<?> output;
    try {
      output = io.graphloop.graph.CurrentNode.call(executionContext,
          () -> verticle.async.apply(request.input(), executionContext));
      if (output == null) {
        output = Future.failedFuture(new IllegalStateException("Node '" + verticle.name
            + "' returned null instead of a Future; return Future.succeededFuture(update) or a failed future."));
      }
    } catch (Throwable t) {
      output = Future.failedFuture(t);
    }
    checkBlocked(System.nanoTime() - started, gcMark);
    output.onComplete(this); // complete(value, failure) below: no mapped future and listener per execution
  }

  /** Hears an async or subgraph node's output: reads it as an update and replies. */
  @Override
  public void complete(Object output, Throwable failure) {
    if (failure != null) {
      finish(null, failure);
      return;
    }
    Object update;
    try {
      update = verticle.toUpdate(request, output);
    } catch (Throwable t) {
      finish(null, t);
      return;
    }
    finish(update, null);
  }

  /** Runs blocking-style node code on the current (worker or virtual) thread, interruptible by the timeout. */
  private Object onWorker(ExecutionContext executionContext) throws Exception {
    if (replied == 1) {
      return null;
    }
    synchronized (this) {
      if (replied == 1) {
        return null; // timed out between the check above and here: the timeout found no worker to interrupt
      }
      worker = Thread.currentThread();
    }
    try {
      return verticle.toUpdate(request, io.graphloop.graph.CurrentNode.call(executionContext,
          () -> verticle.node().blocking().apply(request.input(), executionContext)));
    } finally {
      synchronized (this) {
        worker = null;
      }
      Thread.interrupted(); // a timeout's interrupt must not leak into the pool thread's next task
    }
  }

  private void completeWith(AsyncResult<?> result) {
    finish(result.succeeded() ? result.result() : null, result.succeeded() ? null : result.cause());
  }

  /** Replies with {@code update} (built by NodeInstance.toUpdate: update plus a Command's goto and Sends) or the failure. */
  private void finish(Object update, Throwable failure) {
    releasePermit();
    if (failure == null) {
      if (reply((NodeReply) update)) {
        ended("success", null);
      }
    } else {
      verticle.counters.failures.increment();
      GraphloopException cause = failure(failure);
      if (reply(new FailureReply(cause))) {
        ended("failure", cause);
      }
    }
  }

  private void onTimeout(NodeTimeoutException.Kind kind, long elapsedMs) {
    if (kind == NodeTimeoutException.Kind.RUN) {
      timer = -1;
    }
    NodeTimeoutException timeout = new NodeTimeoutException(request.graph(), request.runId(), request.step(),
        verticle.name, request.attempt(), request.maxAttempts(), kind,
        kind == NodeTimeoutException.Kind.RUN ? request.timeoutMs() : request.execution().runTimeoutMs(),
        request.execution().idleTimeoutMs(), elapsedMs);
    if (!reply(new FailureReply(timeout))) {
      return;
    }
    verticle.counters.timeouts.increment();
    ended("timeout", timeout);
    if (ticket != null) {
      verticle.bulkhead.cancel(ticket);
    }
    if (verticle.kind == io.graphloop.graph.NodeKind.ASYNC) {
      releasePermit(); // an abandoned future may never complete; a blocking node keeps its permit until it returns
      return;
    }
    synchronized (this) {
      if (worker != null) {
        worker.interrupt();
      }
    }
  }

  /** Tells the deployment's metrics listener, if any, and the execution's trace how this execution ended. */
  private void ended(String outcome, Throwable failure) {
    MetricsListener listener = verticle.metrics.listener();
    if (listener != null) {
      listener.nodeEnded(verticle.name, outcome, startedNanos == 0 ? 0 : System.nanoTime() - startedNanos);
    }
    trace.end(outcome, failure);
  }

  /** Replies unless already replied; returns whether this call replied. */
  private boolean reply(Object body) {
    if (!REPLIED.compareAndSet(this, 0, 1)) {
      return false;
    }
    if (timer >= 0) {
      verticle.vertx().cancelTimer(timer);
    }
    if (idle != null) {
      idle.stop();
    }
    Future<Void> eventsTaken = eventsTaken();
    if (eventsTaken.isComplete()) {
      send(body);
    } else { // the node's own stream events go first: the coordinator must have them before it reads the result
      eventsTaken.onComplete(taken -> send(body));
    }
    return true;
  }

  /**
   * Completes once the stream events this execution sent are with the run's coordinator: a custom event or message
   * chunk travels to the run's control address, the result to its results address, and on a clustered bus (or a
   * direct same-loop delivery) the result could otherwise arrive first and the run end without them. Complete at once
   * for an execution that streamed nothing.
   */
  private Future<Void> eventsTaken() {
    if (request.eventsTo() == null) {
      return Future.succeededFuture();
    }
    if (verticle.kind == io.graphloop.graph.NodeKind.SUBGRAPH) { // the child's events were forwarded from this context
      return request.streamModes().isEmpty() ? Future.succeededFuture()
          : EmitWindow.barrier(request.eventsTo(), verticle.vertx());
    }
    ExecutionContext running = executionContext;
    return running == null ? Future.succeededFuture() : running.eventsTaken();
  }

  private void send(Object body) {
    if (request.replyTo() == null) {
      message.reply(body);
    } else {
      NodeResult result = body instanceof FailureReply
          ? new NodeResult(request.correlation(), request.correlationTag(), null, ((FailureReply) body).failure())
          : new NodeResult(request.correlation(), request.correlationTag(), (NodeReply) body, null);
      if (!verticle.replyInJvm(request.replyTo(), result)) { // a coordinator in this JVM takes it without the bus
        verticle.vertx().eventBus().send(request.replyTo(), result, PLAIN);
      }
    }
  }

  private void releasePermit() {
    if (PERMIT_HELD.compareAndSet(this, 1, 0)) {
      verticle.bulkhead.leave();
    }
  }

  private void checkBlocked(long nanos, long gcMark) {
    long ms = nanos / 1_000_000;
    if (ms < verticle.blockedNodeThresholdMs) {
      return;
    }
    ms -= GcPauses.since(gcMark); // a GC pause stopped every thread: it is not the node's doing
    if (ms < verticle.blockedNodeThresholdMs) {
      return;
    }
    String thread = Thread.currentThread().getName();
    String text = "Async node '" + verticle.name + "' of graph '" + request.graph() + "' blocked its event loop ("
        + thread + ") for " + ms + " ms (run " + request.runId() + ", step " + request.step() + "). Every verticle on "
        + "that loop waited. An async node must return a Future at once: declare it with StateGraph.addBlockingNode "
        + "if it must block, or move the blocking call into vertx.executeBlocking(...).";
    verticle.metrics.reportBlocked(new RuntimeMetrics.BlockedReport(request.graph(), verticle.name, request.runId(),
        request.step(), ms, thread, Instant.now(), text));
    LOG.log(System.Logger.Level.WARNING, text);
  }

  private GraphloopException failure(Throwable cause) {
    if (cause instanceof GraphloopException) {
      return (GraphloopException) cause;
    }
    return new NodeFailedException(request.graph(), request.runId(), request.step(), verticle.name, request.attempt(),
        request.maxAttempts(), cause);
  }
}
