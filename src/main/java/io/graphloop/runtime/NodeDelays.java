package io.graphloop.runtime;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;

/**
 * The waits of one node instance's async executions ({@link io.graphloop.graph.NodeContext#delay}): one first-in
 * first-out queue per distinct delay, each with at most one Vert.x timer armed, for its earliest entry.
 *
 * <p>Why (issue 17, bursts): a node that waits with {@code vertx.timer(ms)} costs a Netty scheduled task, a Vert.x
 * timer and its promise per wait, each inserted into and removed from the event loop's priority queue of scheduled
 * tasks (a heap of every timer of the loop: 100,000 runs of the seed graph in flight keep 200,000 there), and every
 * young collection copies all of them. Waits of one length end in the order they began, so a queue per length needs
 * no ordering work: a wait is one entry appended to a list and one promise; the queue's timer, re-armed for the new
 * head after it fires, completes every entry that is due.
 *
 * <p>Timing: a wait never ends early; it ends when its queue's timer fires, which is when its head is due, rounded
 * up to the next millisecond (Vert.x timers count milliseconds): a wait ends at most about 1 ms later than a
 * {@code vertx.timer} of the same length would, plus whatever else its event loop is doing then.
 *
 * <p>Bounds: an instance keeps at most {@value #MAX_QUEUES} queues (distinct delays); a wait of another length past
 * that uses a Vert.x timer of its own, as before. A queue holds at most one entry per wait in flight, and waits in
 * flight are bounded by the node's executions in flight (the deployment's in-flight run limit).
 *
 * <p>Thread rules: confined to the hosting context's event loop: {@link #delay} must be called on it (callers check
 * with {@link #onLoop()}); timers fire on the hosting context, and promises complete there, so a node's listeners run
 * on its event loop as they would for {@code vertx.timer}. Not thread-safe otherwise.
 */
final class NodeDelays {

  /** The distinct delays one instance queues; waits of other lengths get a timer each. */
  static final int MAX_QUEUES = 16;
  /** Longer waits than this (a day) get a timer each: a queue's arithmetic counts nanoseconds. */
  static final long MAX_QUEUED_MS = 86_400_000L;
  private static final long NANOS_PER_MS = 1_000_000L;

  private final ContextInternal context;
  private final Queue[] queues = new Queue[MAX_QUEUES];
  private int count;

  NodeDelays(ContextInternal context) {
    this.context = context;
  }

  /** Whether the calling thread is the hosting context's event loop (where {@link #delay} may be called). */
  boolean onLoop() {
    return context.nettyEventLoop().inEventLoop();
  }

  /** A future completed with {@code value} on the hosting context once {@code delayMs} (at least 1) have passed. */
  <T> Future<T> delay(long delayMs, T value) {
    PromiseInternal<T> promise = context.promise();
    Queue queue = queue(delayMs);
    if (queue == null) { // more distinct delays than queues: a timer of its own
      context.setTimer(delayMs, id -> promise.complete(value));
    } else {
      queue.add(new Entry(System.nanoTime() + delayMs * NANOS_PER_MS, promise, value));
    }
    return promise.future();
  }

  /** The queue of {@code delayMs}, made on first use; null when {@value #MAX_QUEUES} other delays have queues. */
  private Queue queue(long delayMs) {
    for (int i = 0; i < count; i++) {
      if (queues[i].delayMs == delayMs) {
        return queues[i];
      }
    }
    if (count == MAX_QUEUES) {
      return null;
    }
    Queue made = new Queue(delayMs);
    queues[count++] = made;
    return made;
  }

  /** How many waits are queued (for tests). */
  int queued() {
    int sum = 0;
    for (int i = 0; i < count; i++) {
      for (Entry e = queues[i].head; e != null; e = e.next) {
        sum++;
      }
    }
    return sum;
  }

  /** One wait: when it is due, what completes, with what. */
  private static final class Entry {
    final long dueNanos;
    final PromiseInternal<Object> promise;
    final Object value;
    Entry next;

    @SuppressWarnings("unchecked")
    Entry(long dueNanos, PromiseInternal<?> promise, Object value) {
      this.dueNanos = dueNanos;
      this.promise = (PromiseInternal<Object>) promise;
      this.value = value;
    }
  }

  /** The waits of one length, oldest first (so due first), and the timer armed for the oldest. */
  private final class Queue implements Handler<Long> {
    final long delayMs;
    Entry head;
    Entry tail;
    boolean armed;

    Queue(long delayMs) {
      this.delayMs = delayMs;
    }

    void add(Entry entry) {
      if (tail == null) {
        head = entry;
        tail = entry;
        arm(System.nanoTime());
      } else {
        tail.next = entry;
        tail = entry;
      }
    }

    private void arm(long now) {
      long waitMs = Math.max(1, (head.dueNanos - now + NANOS_PER_MS - 1) / NANOS_PER_MS);
      armed = true;
      context.setTimer(waitMs, this);
    }

    /** The timer fired: completes every due entry, then arms for the next one. */
    @Override
    public void handle(Long timerId) {
      armed = false;
      long now = System.nanoTime();
      while (head != null && head.dueNanos - now <= 0) {
        Entry due = head;
        head = due.next;
        if (head == null) {
          tail = null;
        }
        due.next = null;
        try {
          due.promise.complete(due.value);
        } catch (Throwable t) { // a listener's failure must not strand the waits behind it
          context.reportException(t);
        }
      }
      if (head != null && !armed) {
        arm(now);
      }
    }
  }
}
