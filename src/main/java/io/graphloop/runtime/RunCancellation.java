package io.graphloop.runtime;

import io.graphloop.internal.bus.SecureIds;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * A coordinator's cancellation: the capability token of each of its runs, the runs still waiting for their thread
 * (queued behind its run, or loading it) with what cancels each, and the cancel requests on
 * {@code graphloop.<graph>.cancel}. A request that shows the run's token cancels it and is acknowledged to its
 * {@code replyTo}; a wrong or missing token is counted and logged and gets no answer, as an unknown run gets none (so
 * nobody learns which runs exist).
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

  /** @param running the coordinator's runs in flight by id (read here, kept by the coordinator) */
  RunCancellation(Map<String, RunDriver> running, EventBus bus, DroppedResults dropped) {
    this.running = running;
    this.bus = bus;
    this.dropped = dropped;
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
    Object replyTo = body.getValue("replyTo");
    if (replyTo instanceof String) {
      bus.send((String) replyTo, new JsonObject().put("runId", runId).put("cancelled", cancelled));
    }
  }
}
