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
    } finally {
      lock.unlock();
    }
    if (seq % ackEvery == 0) {
      vertx.eventBus().request(to, event, new DeliveryOptions().setSendTimeout(ACK_TIMEOUT_MS))
          .onComplete(taken -> acknowledge(seq));
    } else {
      vertx.eventBus().send(to, event);
    }
    return true;
  }

  private void acknowledge(long seq) {
    lock.lock();
    try {
      if (seq > acked) {
        acked = seq;
        acknowledged.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }
}
