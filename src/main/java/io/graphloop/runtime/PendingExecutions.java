package io.graphloop.runtime;

import io.graphloop.protocol.NodeReply;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node executions a coordinator waits for, by correlation id, each with a deadline. Instead of a reply
 * handler and a timer per request, there is one map per distinct timeout, in insertion order, which for one
 * timeout is deadline order; a single Vert.x timer is armed for the earliest deadline and, when it fires,
 * expires every due entry (failing it with a {@link ReplyFailure#TIMEOUT}) and re-arms. Entries that complete
 * are removed at once, so memory follows the executions actually in flight.
 *
 * <p>Thread rules: confined to the coordinator's event loop (no locks).
 */
final class PendingExecutions {

  private static final long NO_TIMER = -1;

  private static final class Entry {
    final long id;
    final long deadlineNanos;
    final Promise<NodeReply> promise;
    final LinkedHashMap<Long, Entry> bucket;

    Entry(long id, long deadlineNanos, Promise<NodeReply> promise, LinkedHashMap<Long, Entry> bucket) {
      this.id = id;
      this.deadlineNanos = deadlineNanos;
      this.promise = promise;
      this.bucket = bucket;
    }
  }

  private final Vertx vertx;
  private final Map<Long, Entry> byId = new HashMap<>();
  private final Map<Long, LinkedHashMap<Long, Entry>> byTimeout = new HashMap<>();
  private long nextId = 1;
  private long timer = NO_TIMER;
  private long timerDeadlineNanos = Long.MAX_VALUE;

  PendingExecutions(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Registers an execution that times out after {@code timeoutMs}; returns its correlation id. */
  long add(long timeoutMs, Promise<NodeReply> promise) {
    long id = nextId++;
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    LinkedHashMap<Long, Entry> bucket = byTimeout.computeIfAbsent(timeoutMs, t -> new LinkedHashMap<>());
    Entry entry = new Entry(id, deadline, promise, bucket);
    bucket.put(id, entry);
    byId.put(id, entry);
    if (deadline < timerDeadlineNanos) {
      arm(deadline);
    }
    return id;
  }

  /** Completes execution {@code id} with its reply; unknown ids (late or foreign results) are ignored. */
  void succeed(long id, NodeReply reply) {
    Entry entry = remove(id);
    if (entry != null) {
      entry.promise.tryComplete(reply);
    }
  }

  /** Fails execution {@code id}; unknown ids are ignored. */
  void fail(long id, Throwable failure) {
    Entry entry = remove(id);
    if (entry != null) {
      entry.promise.tryFail(failure);
    }
  }

  /** Fails every execution still waiting (the coordinator stops). */
  void failAll(Throwable failure) {
    List<Entry> all = new ArrayList<>(byId.values());
    byId.clear();
    byTimeout.clear();
    all.forEach(entry -> entry.promise.tryFail(failure));
    if (timer != NO_TIMER) {
      vertx.cancelTimer(timer);
      timer = NO_TIMER;
      timerDeadlineNanos = Long.MAX_VALUE;
    }
  }

  /** How many executions are waiting. */
  int size() {
    return byId.size();
  }

  private Entry remove(long id) {
    Entry entry = byId.remove(id);
    if (entry != null) {
      entry.bucket.remove(id);
    }
    return entry;
  }

  private void arm(long deadlineNanos) {
    if (timer != NO_TIMER) {
      vertx.cancelTimer(timer);
    }
    long delayMs = Math.max(1, (deadlineNanos - System.nanoTime() + 999_999) / 1_000_000);
    timerDeadlineNanos = deadlineNanos;
    timer = vertx.setTimer(delayMs, id -> expire());
  }

  private void expire() {
    timer = NO_TIMER;
    timerDeadlineNanos = Long.MAX_VALUE;
    long now = System.nanoTime();
    long next = Long.MAX_VALUE;
    List<Entry> expired = new ArrayList<>();
    for (LinkedHashMap<Long, Entry> bucket : byTimeout.values()) {
      Iterator<Entry> it = bucket.values().iterator();
      while (it.hasNext()) {
        Entry entry = it.next();
        if (entry.deadlineNanos > now) {
          next = Math.min(next, entry.deadlineNanos);
          break;
        }
        it.remove();
        byId.remove(entry.id);
        expired.add(entry);
      }
    }
    if (next != Long.MAX_VALUE) {
      arm(next);
    }
    for (Entry entry : expired) {
      entry.promise.tryFail(new ReplyException(ReplyFailure.TIMEOUT, "No reply within the node's deadline"));
    }
  }
}
