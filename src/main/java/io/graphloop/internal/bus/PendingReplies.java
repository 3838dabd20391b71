package io.graphloop.internal.bus;

import io.vertx.core.Completable;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replies a sender waits for, by correlation id, each with a deadline: node results at a coordinator, run
 * outcomes at a client, run deadlines. A correlation id is a key (the wait's slot in a {@link SlotTable} under 39
 * random bits from {@link SecureIds}) and a tag the caller chose (for answers that come over the bus: 64 more random
 * bits, see {@link Correlations}); an answer settles its wait only when both match, so an answer cannot be forged by
 * guessing, and a late answer does not settle a later wait that reuses its slot. A wrong tag leaves the wait as it
 * is (the real answer may still come). Instead of a Vert.x reply handler and a timer per request, there is one
 * list per distinct timeout, in insertion order, which for one timeout is deadline order; a single Vert.x timer is
 * armed for the earliest deadline and, when it fires, expires every due entry (failing it with a
 * {@link ReplyFailure#TIMEOUT} {@link ReplyException}) and re-arms. Entries that complete are removed at once, so
 * memory follows what is actually in flight. An entry is its list's node and sits in the slot its key names: about 60
 * bytes per wait, where a {@code HashMap<Long, ...>} beside a {@code LinkedHashMap} took about 170, and finding it is
 * one array read (issue 17: a hash table of random keys cost a cache miss per lookup in bursts).
 *
 * <p>Thread rules: confined to one event loop, its owner's (no locks).
 *
 * @param <T> the reply type
 */
public final class PendingReplies<T> {

  private static final long NO_TIMER = -1;

  /** A wait: also a node of its timeout's list. */
  private static final class Entry<T> {
    /** Its key, set once as it is added (the table chooses it). */
    long id;
    final long tag;
    final long deadlineNanos;
    final Completable<T> waiter;
    final Bucket<T> bucket;
    Entry<T> previous;
    Entry<T> next;

    Entry(long tag, long deadlineNanos, Completable<T> waiter, Bucket<T> bucket) {
      this.tag = tag;
      this.deadlineNanos = deadlineNanos;
      this.waiter = waiter;
      this.bucket = bucket;
    }

    void settle(T reply, Throwable failure) {
      waiter.complete(reply, failure);
    }
  }

  /** The waits of one timeout, oldest (earliest deadline) first. */
  private static final class Bucket<T> {
    Entry<T> first;
    Entry<T> last;

    void append(Entry<T> entry) {
      entry.previous = last;
      if (last == null) {
        first = entry;
      } else {
        last.next = entry;
      }
      last = entry;
    }

    void unlink(Entry<T> entry) {
      if (entry.previous == null) {
        first = entry.next;
      } else {
        entry.previous.next = entry.next;
      }
      if (entry.next == null) {
        last = entry.previous;
      } else {
        entry.next.previous = entry.previous;
      }
      entry.previous = null;
      entry.next = null;
    }
  }

  private final Vertx vertx;
  private final SlotTable<Entry<T>> byId = new SlotTable<>();
  private final Map<Long, Bucket<T>> byTimeout = new HashMap<>();
  private long lastTimeoutMs = -1; // the timeout of the last add, and its list: most adds repeat it (no boxing)
  private Bucket<T> lastBucket;
  private long timer = NO_TIMER;
  private long timerDeadlineNanos = Long.MAX_VALUE;

  public PendingReplies(Vertx vertx) {
    this.vertx = vertx;
  }

  /** What became of an answer. */
  public enum Answer {
    /** It settled its wait. */
    SETTLED,
    /** No wait has its key: it came after its deadline, after another answer, or was never asked for. */
    UNKNOWN,
    /** A wait has its key but another tag: a forged answer, or one for another attempt. The wait goes on. */
    WRONG_TAG
  }

  /** {@link #add(long, long, Completable)} with tag 0: for waits answered only from inside this JVM. */
  public long add(long timeoutMs, Completable<T> waiter) {
    return add(timeoutMs, 0, waiter);
  }

  /**
   * Registers a wait that times out after {@code timeoutMs}; returns its key (above 0, partly random: see
   * {@link SlotTable}), which with {@code tag} is its correlation id. {@code waiter} hears the outcome exactly once,
   * from here: the entry is removed as it settles (a promise given as waiter must not be completed elsewhere).
   *
   * @throws IllegalStateException when {@link SlotTable#MAX_SLOTS} waits are pending already
   */
  public long add(long timeoutMs, long tag, Completable<T> waiter) {
    long deadline = deadlineNanos(System.nanoTime(), timeoutMs);
    Bucket<T> bucket = lastBucket;
    if (timeoutMs != lastTimeoutMs || bucket == null) {
      bucket = byTimeout.computeIfAbsent(timeoutMs, t -> new Bucket<>());
      lastTimeoutMs = timeoutMs;
      lastBucket = bucket;
    }
    Entry<T> entry = new Entry<>(tag, deadline, waiter, bucket);
    entry.id = byId.add(entry);
    bucket.append(entry);
    if (deadline < timerDeadlineNanos) {
      arm(deadline);
    }
    return entry.id;
  }

  /**
   * {@code now} plus {@code timeoutMs}, saturated: a timeout too large for a nanosecond deadline (such as
   * {@code Long.MAX_VALUE}, the usual "no deadline") never expires instead of wrapping into the past.
   */
  static long deadlineNanos(long now, long timeoutMs) {
    if (timeoutMs >= Long.MAX_VALUE / 1_000_000L) {
      return Long.MAX_VALUE;
    }
    long deadline = now + timeoutMs * 1_000_000L;
    return deadline < now ? Long.MAX_VALUE : deadline;
  }

  /** Completes wait {@code id} (of tag 0) with its reply; unknown ids (late or foreign replies) are ignored. */
  public void succeed(long id, T reply) {
    answer(id, 0, reply, null);
  }

  /** Fails wait {@code id} (of tag 0); unknown ids are ignored. */
  public void fail(long id, Throwable failure) {
    answer(id, 0, null, failure);
  }

  /**
   * Settles wait {@code id} with {@code reply} or, when {@code failure} is not null, that failure, if its tag is
   * {@code tag}; says what became of the answer (the caller counts and logs those it drops).
   */
  public Answer answer(long id, long tag, T reply, Throwable failure) {
    Entry<T> entry = byId.get(id);
    if (entry == null) {
      return Answer.UNKNOWN;
    }
    if (entry.tag != tag) {
      return Answer.WRONG_TAG;
    }
    remove(id);
    entry.settle(reply, failure);
    return Answer.SETTLED;
  }

  /** Whether wait {@code id} is still pending with tag {@code tag} (e.g. a node attempt still in flight). */
  public boolean waits(long id, long tag) {
    Entry<T> entry = byId.get(id);
    return entry != null && entry.tag == tag;
  }

  /**
   * Drops wait {@code id} without settling it: its owner no longer wants the answer (the run ended), so nothing it
   * holds should live until the deadline. A later answer for it is {@link Answer#UNKNOWN}. Unknown ids are ignored.
   */
  public void forget(long id) {
    remove(id);
  }

  /** Fails every wait (the owner stops). */
  public void failAll(Throwable failure) {
    List<Entry<T>> all = byId.values();
    byId.clear();
    byTimeout.clear();
    lastBucket = null;
    all.forEach(entry -> entry.settle(null, failure));
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
      entry.bucket.unlink(entry);
    }
    return entry;
  }

  private void arm(long deadlineNanos) {
    if (timer != NO_TIMER) {
      vertx.cancelTimer(timer);
    }
    long delayMs = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000 + 1);
    timerDeadlineNanos = deadlineNanos;
    timer = vertx.setTimer(delayMs, id -> expire());
  }

  private void expire() {
    timer = NO_TIMER;
    timerDeadlineNanos = Long.MAX_VALUE;
    long now = System.nanoTime();
    long next = Long.MAX_VALUE;
    List<Entry<T>> expired = new ArrayList<>();
    for (Bucket<T> bucket : byTimeout.values()) {
      Entry<T> entry = bucket.first;
      while (entry != null && entry.deadlineNanos <= now) {
        Entry<T> following = entry.next;
        bucket.unlink(entry);
        byId.remove(entry.id);
        expired.add(entry);
        entry = following;
      }
      if (entry != null) {
        next = Math.min(next, entry.deadlineNanos);
      }
    }
    if (next != Long.MAX_VALUE) {
      arm(next);
    }
    for (Entry<T> entry : expired) {
      entry.settle(null, new ReplyException(ReplyFailure.TIMEOUT, "No reply within the deadline"));
    }
  }
}
