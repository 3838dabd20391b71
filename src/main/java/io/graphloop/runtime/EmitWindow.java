package io.graphloop.runtime;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the custom events ({@code ctx.emit}) of one node execution that are on their way to the run's coordinator:
 * at most {@code max} sent and not yet taken. Every {@code max / 4}-th event is sent as a request, which the
 * coordinator answers once it has taken it; as messages from one sender to one consumer arrive in order, that answer
 * acknowledges every earlier event too. A request that fails (timeout, no coordinator) acknowledges as well: the
 * event is gone either way, so the window never stays shut.
 *
 * <p>When the window is full, a caller on a worker or virtual thread (a blocking or virtual-thread node) waits for
 * acknowledgements (at most {@link #ACK_TIMEOUT_MS}, then it drops the event as below): back-pressure, no event lost
 * while the coordinator keeps up. A caller on an event loop (an async node) cannot wait, and the
 * acknowledgements could not even arrive while it holds its loop: the event is dropped and counted
 * ({@code customEventsDropped} of the node's metrics), and one warning per execution is logged. Before, an async node
 * emitting a million events in one go queued them all and exhausted a 256 MB heap.
 *
 * <p>Message chunks ({@link #sendMessage}, the {@code messages} stream mode) are never dropped silently: a caller on a
 * worker or virtual thread waits as above (and after {@link #ACK_TIMEOUT_MS} gets a failed future); a caller on an
 * event loop has its chunk queued in a backlog of at most {@code max} chunks, sent in order as acknowledgements arrive,
 * its future completing then (a chat model stops reading its response until it does); a chunk past the backlog is
 * refused with a failed future and counted ({@code messageChunksRefused}).
 *
 * <p>A message chunk emitted on the coordinator's own event loop, outside the node's function (a chat model's
 * response callback), is handed to the coordinator directly ({@link ControlInbox}) instead of by a bus message, which
 * would be a task queued behind whatever that loop has queued: it is taken at once, and acknowledged at once while the
 * run's stream buffer has room (else when the coordinator releases it, as it would answer a held request). Once any
 * event of the window went by the bus (a custom event, a chunk from another thread or from the node's function, the
 * backlog), every later one does too, so nothing handed over overtakes an event still queued on the bus.
 *
 * <p>Thread-safe: a node may emit from any thread.
 */
final class EmitWindow {

  private static final System.Logger LOG = System.getLogger(EmitWindow.class.getName());
  /** How long a coordinator may take to acknowledge before the events it was sent count as taken. */
  static final long ACK_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final int max;
  private final int ackEvery;
  private final RuntimeMetrics.NodeCounters counters;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition acknowledged = lock.newCondition();
  private long sent;
  private long acked;
  private boolean warned;
  /** Set once an event went by the bus: from then on every event does, so none overtakes one still queued there. */
  private boolean viaBus; // guarded by lock
  /** The coordinator's {@link ControlInbox} when it is in this JVM, looked up at the first message chunk. */
  private ControlInbox inbox; // guarded by lock
  private boolean inboxLooked; // guarded by lock
  private final java.util.ArrayDeque<Queued> backlog = new java.util.ArrayDeque<>(); // guarded by lock

  /** A message chunk waiting for room in the window, and the future of its caller. */
  private record Queued(String to, JsonObject event, io.vertx.core.Promise<Void> sent) {
  }

  EmitWindow(Vertx vertx, int max, RuntimeMetrics.NodeCounters counters) {
    this.vertx = vertx;
    this.max = max;
    this.ackEvery = Math.max(1, max / 4);
    this.counters = counters;
  }

  /**
   * Sends {@code event} to {@code to} when the window has room; waits for room on a worker or virtual thread, drops
   * the event on an event loop. Returns whether it was sent.
   *
   * @param where names the execution in the warning, e.g. {@code "node 'x' of graph 'g' (run r, step 2)"}
   */
  boolean send(String to, JsonObject event, java.util.function.Supplier<String> where) {
    long seq;
    long waitUntil = 0;
    lock.lock();
    try {
      while (sent - acked >= max) {
        boolean onLoop = Context.isOnEventLoopThread();
        if (!onLoop && waitUntil == 0) {
          waitUntil = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ACK_TIMEOUT_MS);
        }
        if (onLoop || System.nanoTime() - waitUntil >= 0) { // (a thread that waited its bound gives up too)
          counters.customEventsDropped.increment();
          if (!warned) {
            warned = true;
            LOG.log(System.Logger.Level.WARNING, "Dropped custom events of " + where.get() + ": " + max + " emitted events "
                + "were not yet taken by the run's coordinator (maxPendingEmits). An async node cannot wait on its "
                + "event loop: emit as results arrive (each in its own event-loop task), raise "
                + "GraphRuntimeOptions.maxPendingEmits, or emit from a blocking node, which waits instead of dropping.");
          }
          return false;
        }
        try {
          acknowledged.awaitNanos(Math.max(1, waitUntil - System.nanoTime()));
        } catch (InterruptedException e) { // the execution timed out: its blocking node is interrupted
          Thread.currentThread().interrupt();
          counters.customEventsDropped.increment();
          return false;
        }
      }
      seq = ++sent;
      viaBus = true;
    } finally {
      lock.unlock();
    }
    transmit(to, event, seq);
    return true;
  }

  /**
   * Sends a message chunk to {@code to} when the window has room and nothing is queued before it; else waits (worker
   * or virtual thread) or queues it (event loop). The future completes once the chunk is sent, and fails when it is
   * refused (the backlog is full, or a waiting thread waited {@link #ACK_TIMEOUT_MS} or was interrupted).
   */
  io.vertx.core.Future<Void> sendMessage(String to, JsonObject event, java.util.function.Supplier<String> where) {
    long seq;
    ControlInbox direct;
    long waitUntil = 0;
    lock.lock();
    try {
      while (sent - acked >= max || !backlog.isEmpty()) {
        if (Context.isOnEventLoopThread()) {
          if (backlog.size() >= max) {
            counters.messageChunksRefused.increment();
            return io.vertx.core.Future.failedFuture(new IllegalStateException("A message chunk of " + where.get()
                + " was refused: " + max + " events were on their way to the run's coordinator and " + max
                + " more chunks waited for room (maxPendingEmits). Wait for emitMessage's future before emitting "
                + "the next chunk."));
          }
          io.vertx.core.Context context = Vertx.currentContext();
          io.vertx.core.Promise<Void> promise = context instanceof io.vertx.core.internal.ContextInternal
              ? ((io.vertx.core.internal.ContextInternal) context).promise() : io.vertx.core.Promise.promise();
          backlog.add(new Queued(to, event, promise));
          return promise.future();
        }
        if (waitUntil == 0) {
          waitUntil = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(ACK_TIMEOUT_MS);
        }
        long left = waitUntil - System.nanoTime();
        if (left <= 0) {
          counters.messageChunksRefused.increment();
          return io.vertx.core.Future.failedFuture(new IllegalStateException("A message chunk of " + where.get()
              + " was refused: the run's coordinator took none of the last " + max + " events within "
              + ACK_TIMEOUT_MS + " ms."));
        }
        try {
          acknowledged.awaitNanos(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          counters.messageChunksRefused.increment();
          return io.vertx.core.Future.failedFuture(new IllegalStateException("A message chunk of " + where.get()
              + " was refused: the node was interrupted (timed out) while it waited for room."));
        }
      }
      seq = ++sent;
      direct = handOver(to);
    } finally {
      lock.unlock();
    }
    Boolean room = direct == null ? null : direct.take(event, this, seq);
    if (room == null) {
      if (direct != null) { // the coordinator was taking a chunk further up this thread's stack: the bus from now on
        lock.lock();
        try {
          viaBus = true;
        } finally {
          lock.unlock();
        }
      }
      transmit(to, event, seq);
    } else if (room) {
      acknowledge(seq); // taken, and the stream's buffer has room (else the coordinator runs the acknowledgement later)
    }
    return io.vertx.core.Future.succeededFuture();
  }

  /**
   * The coordinator's inbox when a chunk may be handed to it directly ({@link ControlInbox#take}), else null (and the
   * bus from now on): while no event of this window went by the bus, on the coordinator's own event-loop thread, and
   * outside the node's function (which the coordinator may be calling: a chunk emitted in the function's body goes by
   * the bus, after the coordinator's handling of the step; chunks from the node's callbacks, such as a chat model's
   * response, are handed over). Call under the lock.
   */
  private ControlInbox handOver(String to) {
    if (!viaBus) {
      if (!inboxLooked) {
        inboxLooked = true;
        io.graphloop.internal.bus.LoopAffinity.LocalTarget found = io.graphloop.internal.bus.LoopAffinity.of(vertx)
            .inbox(to);
        inbox = found instanceof ControlInbox ? (ControlInbox) found : null;
      }
      if (inbox != null && inbox.onItsLoop() && io.graphloop.graph.CurrentNode.get() == null) {
        return inbox;
      }
      viaBus = true;
    }
    return null;
  }

  /**
   * Completes once every event this window sent (or queued) so far has been taken by the coordinator at {@code to},
   * so that a node's result, sent after this, cannot overtake its own events: on a clustered bus, messages from one
   * sender keep their order per address only, and a result travels to another address than the events. When events
   * are unacknowledged, a barrier request (a body the coordinator reads as nothing, but answers) is sent behind them,
   * after the last queued message chunk if any; its answer, a failure or {@link #ACK_TIMEOUT_MS} completes the future
   * (the future never fails: a coordinator that is gone does not read the result either). Already complete when
   * nothing is outstanding, as for every node that emitted nothing or whose events were all acknowledged.
   *
   * <p>Any thread.
   */
  io.vertx.core.Future<Void> drained(String to) {
    io.vertx.core.Future<Void> lastChunk;
    long seq;
    lock.lock();
    try {
      if (sent == acked && backlog.isEmpty()) {
        return io.vertx.core.Future.succeededFuture();
      }
      lastChunk = backlog.isEmpty() ? null : backlog.peekLast().sent().future();
      seq = sent;
    } finally {
      lock.unlock();
    }
    if (lastChunk != null) { // chunks still wait for room: the barrier goes behind the last of them
      return lastChunk.transform(ignored -> drained(to));
    }
    return barrier(to, vertx).map(taken -> {
      acknowledge(seq);
      return null;
    });
  }

  /**
   * Sends the coordinator at {@code to} a request it answers without reading anything from it, behind whatever this
   * sender sent it before; completes (never fails) on the answer, a failure or {@link #ACK_TIMEOUT_MS}.
   */
  static io.vertx.core.Future<Void> barrier(String to, Vertx vertx) {
    return vertx.eventBus().request(to, new JsonObject(), new DeliveryOptions().setSendTimeout(ACK_TIMEOUT_MS))
        .transform(answered -> io.vertx.core.Future.succeededFuture());
  }

  /**
   * Events go by reference inside the JVM ({@link io.graphloop.protocol.Codecs#SENT_JSON}: each event is built for
   * its send and never changed after, its values frozen), not deep-copied by the bus's JSON codec, one per token.
   * (Never mutated: the bus only reads delivery options.)
   */
  private static final DeliveryOptions SENT = new DeliveryOptions().setCodecName(io.graphloop.protocol.Codecs.SENT_JSON);
  private static final DeliveryOptions ASKED = new DeliveryOptions(SENT).setSendTimeout(ACK_TIMEOUT_MS);

  private void transmit(String to, JsonObject event, long seq) {
    if (seq % ackEvery == 0) {
      vertx.eventBus().request(to, event, ASKED).onComplete(taken -> acknowledge(seq));
    } else {
      vertx.eventBus().send(to, event, SENT);
    }
  }

  /** Every event up to {@code seq} was taken by the coordinator. Any thread. */
  void acknowledge(long seq) {
    java.util.List<io.vertx.core.Promise<Void>> sentNow = null;
    lock.lock();
    try {
      if (seq > acked) {
        acked = seq;
        acknowledged.signalAll();
      }
      while (!backlog.isEmpty() && sent - acked < max) { // sent under the lock: nobody can slip in between
        Queued queued = backlog.poll();
        viaBus = true; // (not handed over under the lock: the bus from now on)
        transmit(queued.to(), queued.event(), ++sent);
        if (sentNow == null) {
          sentNow = new java.util.ArrayList<>();
        }
        sentNow.add(queued.sent());
      }
    } finally {
      lock.unlock();
    }
    if (sentNow != null) {
      sentNow.forEach(io.vertx.core.Promise::complete);
    }
  }
}
