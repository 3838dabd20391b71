package io.graphloop.runtime;

import io.graphloop.internal.bus.SecureIds;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A coordinator's cancellation: the capability token of each of its runs, the runs still waiting for their thread
 * (queued behind its run, or loading it) with what cancels each, and the cancel requests on
 * {@code graphloop.<graph>.cancel}. A request that shows the run's token cancels it and is acknowledged to its
 * {@code replyTo}; a wrong or missing token is counted and logged and gets no answer, as an unknown run gets none (so
 * nobody learns which runs exist).
 *
 * <p>A cancel may come before its run: the submitter cancels a run it has sent (its id and token are known from the
 * submission on) whose request has not reached a coordinator yet, or went to another coordinator of the graph (cancels
 * are published to all of them). Such a cancel of an unknown run that shows a token is kept, by run id and token,
 * for {@code earlyCancelTtlMs} and at most {@code maxEarlyCancels} of them (the oldest is forgotten first); a run
 * admitted later with that id and token is refused as cancelled before it starts ({@link #cancelledEarly}), and the
 * cancel is acknowledged then, if its sender still listens. So a cancel accepted for a run always ends it, whatever
 * the order in which the run and its cancel travel. A kept cancel with a wrong token matches nothing and expires.
 *
 * <p>Thread rules: confined to its coordinator's event loop.
 */
final class RunCancellation {

  private final Map<String, RunDriver> running;
  /** Runs waiting for their thread (queued behind its run) or loading it, by id: what cancels each. */
  private final Map<String, Runnable> waiting = new HashMap<>();
  /** The capability token of each run running or waiting: what cancels and credits must show. */
  private final Map<String, String> tokens = new HashMap<>();
  private final EventBus bus;
  private final DroppedResults dropped;
  /** Cancels of runs not known here yet, by run id and token, oldest first (see the class). */
  private final LinkedHashMap<String, Early> early = new LinkedHashMap<>();
  private final int maxEarly;
  private final long earlyTtlNanos;

  /** A cancel that came before its run: where to acknowledge it, and until when it holds. */
  private record Early(Object replyTo, long expiresAtNanos) {
  }

  /**
   * @param running the coordinator's runs in flight by id (read here, kept by the coordinator)
   * @param maxEarly cancels of runs not known yet kept at most ({@code maxEarlyCancels}, at least 1)
   * @param earlyTtlMs how long such a cancel holds ({@code earlyCancelTtlMs})
   */
  RunCancellation(Map<String, RunDriver> running, EventBus bus, DroppedResults dropped, int maxEarly,
                  long earlyTtlMs) {
    this.running = running;
    this.bus = bus;
    this.dropped = dropped;
    this.maxEarly = Math.max(1, maxEarly);
    this.earlyTtlNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, earlyTtlMs));
  }

  /** How many cancels of runs not known yet are kept. */
  int earlyCancels() {
    return early.size();
  }

  /**
   * Whether run {@code runId} with capability token {@code token}, about to start, was cancelled before it came
   * here: the kept cancel is used up (and acknowledged); the caller refuses the run as cancelled.
   */
  boolean cancelledEarly(String runId, String token) {
    if (early.isEmpty() || runId == null || token == null) {
      return false;
    }
    Early cancel = early.remove(key(runId, token));
    if (cancel == null || cancel.expiresAtNanos - System.nanoTime() < 0) {
      return false;
    }
    acknowledge(cancel.replyTo, runId, true);
    return true;
  }

  /** Keeps the cancel of run {@code runId}, not known here, until its run comes (see the class). */
  private void keepEarly(String runId, Object token, Object replyTo) {
    if (!(token instanceof String)) {
      return; // without a token it could cancel nothing
    }
    long now = System.nanoTime();
    for (Iterator<Early> it = early.values().iterator(); it.hasNext(); ) {
      if (it.next().expiresAtNanos - now >= 0) {
        break; // kept in arrival order, so in expiry order
      }
      it.remove();
    }
    String key = key(runId, (String) token);
    early.remove(key); // a repeated cancel goes to the end, with a new expiry
    while (early.size() >= maxEarly) {
      Iterator<String> oldest = early.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    early.put(key, new Early(replyTo, now + earlyTtlNanos));
  }

  private static String key(String runId, String token) {
    return runId + '\u0000' + token;
  }

  private void acknowledge(Object replyTo, String runId, boolean cancelled) {
    if (replyTo instanceof String) {
      bus.send((String) replyTo, new JsonObject().put("runId", runId).put("cancelled", cancelled));
    }
  }

  /** How many runs wait for their thread. */
  int waitingRuns() {
    return waiting.size();
  }

  /** Whether run {@code runId} waits for its thread. */
  boolean isWaiting(String runId) {
    return waiting.containsKey(runId);
  }

  /** Run {@code runId} waits for its thread from now on; {@code cancel} answers it as cancelled. */
  void waiting(String runId, String token, Runnable cancel) {
    waiting.put(runId, cancel);
    holds(runId, token);
  }

  /** Run {@code runId} stopped waiting with {@code cancel} (its id may already be another run's). */
  void doneWaiting(String runId, Runnable cancel) {
    waiting.remove(runId, cancel);
  }

  /** Run {@code runId} holds {@code token} ({@code null}: it has none, and nobody can cancel it). */
  void holds(String runId, String token) {
    if (token != null) {
      tokens.put(runId, token);
    }
  }

  /** Run {@code runId} ended or gave up: its token {@code token} cancels nothing any more. */
  void release(String runId, String token) {
    if (token != null) {
      tokens.remove(runId, token);
    }
  }

  /** A cancel request (see the class). */
  void onCancel(Message<Object> message) {
    if (!(message.body() instanceof JsonObject)) {
      return;
    }
    JsonObject body = (JsonObject) message.body();
    Object id = body.getValue("runId");
    String runId = id instanceof String ? (String) id : null;
    RunDriver run = runId == null ? null : running.get(runId);
    Runnable queued = runId == null || run != null ? null : waiting.get(runId);
    if (run == null && queued == null) {
      if (runId != null) {
        keepEarly(runId, body.getValue("token"), body.getValue("replyTo"));
      }
      return;
    }
    if (!SecureIds.sameToken(tokens.get(runId), body.getValue("token"))) {
      dropped.refusedControl("cancel", runId);
      return;
    }
    if (queued != null) {
      waiting.remove(runId);
    }
    boolean cancelled = true;
    if (run != null) {
      cancelled = run.cancel("cancelled on request.");
    } else {
      queued.run();
    }
    acknowledge(body.getValue("replyTo"), runId, cancelled);
  }
}
