package io.graphloop.protocol;

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
 * Replies a sender waits for, by correlation id, each with a deadline: node results at a coordinator, run
 * outcomes at a client, run deadlines. Instead of a Vert.x reply handler and a timer per request, there is one
 * map per distinct timeout, in insertion order, which for one timeout is deadline order; a single Vert.x timer is
 * armed for the earliest deadline and, when it fires, expires every due entry (failing it with a
 * {@link ReplyFailure#TIMEOUT} {@link ReplyException}) and re-arms. Entries that complete are removed at once, so
 * memory follows what is actually in flight.
 *
 * <p>Thread rules: confined to one event loop, its owner's (no locks).
 *
 * @param <T> the reply type
 */
public final class PendingReplies<T> {

  private static final long NO_TIMER = -1;

  private static final class Entry<T> {
    final long id;
    final long deadlineNanos;
    final Promise<T> promise;
    final LinkedHashMap<Long, Entry<T>> bucket;

    Entry(long id, long deadlineNanos, Promise<T> promise, LinkedHashMap<Long, Entry<T>> bucket) {
      this.id = id;
      this.deadlineNanos = deadlineNanos;
      this.promise = promise;
      this.bucket = bucket;
    }
  }

  private final Vertx vertx;
  private final Map<Long, Entry<T>> byId = new HashMap<>();
  private final Map<Long, LinkedHashMap<Long, Entry<T>>> byTimeout = new HashMap<>();
  private long nextId = 1;
  private long timer = NO_TIMER;
  private long timerDeadlineNanos = Long.MAX_VALUE;

  public PendingReplies(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Registers a wait that times out after {@code timeoutMs}; returns its correlation id. */
  public long add(long timeoutMs, Promise<T> promise) {
    long id = nextId++;
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    LinkedHashMap<Long, Entry<T>> bucket = byTimeout.computeIfAbsent(timeoutMs, t -> new LinkedHashMap<>());
    Entry<T> entry = new Entry<>(id, deadline, promise, bucket);
    bucket.put(id, entry);
    byId.put(id, entry);
    if (deadline < timerDeadlineNanos) {
      arm(deadline);
    }
    return id;
  }

  /** Completes wait {@code id} with its reply; unknown ids (late or foreign replies) are ignored. */
  public void succeed(long id, T reply) {
    Entry<T> entry = remove(id);
    if (entry != null) {
      entry.promise.tryComplete(reply);
    }
  }

  /** Fails wait {@code id}; unknown ids are ignored. */
  public void fail(long id, Throwable failure) {
    Entry<T> entry = remove(id);
    if (entry != null) {
      entry.promise.tryFail(failure);
    }
  }

  /** Fails every wait (the owner stops). */
  public void failAll(Throwable failure) {
    List<Entry<T>> all = new ArrayList<>(byId.values());
    byId.clear();
    byTimeout.clear();
    all.forEach(entry -> entry.promise.tryFail(failure));
    if (timer != NO_TIMER) {
      vertx.cancelTimer(timer);
      timer = NO_TIMER;
      timerDeadlineNanos = Long.MAX_VALUE;
    }
  }

  /** How many waits are pending. */
  public int size() {
    return byId.size();
  }

  private Entry<T> remove(long id) {
    Entry<T> entry = byId.remove(id);
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
    List<Entry<T>> expired = new ArrayList<>();
    for (LinkedHashMap<Long, Entry<T>> bucket : byTimeout.values()) {
      Iterator<Entry<T>> it = bucket.values().iterator();
      while (it.hasNext()) {
        Entry<T> entry = it.next();
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
    for (Entry<T> entry : expired) {
      entry.promise.tryFail(new ReplyException(ReplyFailure.TIMEOUT, "No reply within the deadline"));
    }
  }
}
