package io.graphloop.server;

import io.graphloop.internal.bus.SecureIds;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * Servers that share their records serve each other's runs. A run's events reach only the server that started it
 * (its {@code origin}, stored with the run: {@link StoredRun}), so another server sends what needs them there, on the
 * event bus: {@code join} (the run's outcome once it has ended), {@code frames} (its SSE events after a given id, for
 * join-stream and {@code Last-Event-ID}) and {@code cancel} (with {@code interrupt} or {@code rollback}). Each request
 * shows the run's stored secret. The origin answers at once when it has news, else after
 * {@link ServerOptions#getPeerWaitMs} (long polling: the asking server asks again), so a join or a stream through any
 * server is paced by its client (the next {@code frames} request is sent once the client's response has drained).
 *
 * <p>A run whose origin no longer answers for it (that server stopped: no handler at its address, or it does not know
 * the run) has lost its follower: its stored record is ended as {@code error} ({@code ServerGone}), which joins then
 * answer. An origin that is there but does not answer within the wait plus {@link ServerOptions#getPeerGraceMs} is a
 * 503.
 *
 * <p>Thread rules: confined to the server verticle's context (the consumer is registered there); a stream's response
 * may be served by another loop: its writes are Vert.x's (thread-safe), its drain is handed back ({@link Confined}).
 */
final class PeerRuns {

  /** The error of a run whose origin server stopped. */
  static final String GONE = "ServerGone";

  private final Vertx vertx;
  private final Registry registry;
  private final RunService runs;
  private final ServerOptions options;
  private MessageConsumer<JsonObject> consumer;
  private final io.vertx.core.Context home = Confined.current();

  PeerRuns(Vertx vertx, Registry registry, RunService runs, ServerOptions options) {
    this.vertx = vertx;
    this.registry = registry;
    this.runs = runs;
    this.options = options;
  }

  /** A new address for a server's peer requests. */
  static String newAddress() {
    return "graphloop.server." + SecureIds.uuid() + ".runs";
  }

  /** Answers the other servers' requests for this server's runs at {@link Registry#origin()}. */
  Future<Void> listen() {
    consumer = vertx.eventBus().consumer(registry.origin(), this::handle);
    return consumer.completion();
  }

  Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  // ---- the origin's side

  private void handle(Message<JsonObject> message) {
    JsonObject body = message.body();
    String runId = body == null ? null : body.getString("runId");
    RunRecord run = runId == null ? null : registry.localRun(runId);
    if (run == null || run.removed || !SecureIds.sameToken(run.secret(), body.getValue("secret"))) {
      message.fail(404, "Run '" + runId + "' is not followed by this server.");
      return;
    }
    long waitMs = Math.max(0, Math.min(body.getLong("waitMs", 0L), options.getPeerWaitMs()));
    switch (body.getString("op", "")) {
      case "join":
        answerJoin(message, run, waitMs);
        break;
      case "frames":
        answerFrames(message, run, body.getLong("after", -1L), waitMs, true);
        break;
      case "cancel":
        runs.cancelRun(run, body.getString("action"), body.getBoolean("wait", false)).onComplete(done -> {
          if (done.succeeded()) {
            message.reply(new JsonObject());
          } else {
            ApiException failure = ApiException.of(done.cause());
            message.fail(failure.status(), failure.getMessage());
          }
        });
        break;
      default:
        message.fail(400, "Unknown peer request '" + body.getString("op") + "'.");
    }
  }

  private void answerJoin(Message<JsonObject> message, RunRecord run, long waitMs) {
    if (!run.isActive() || waitMs == 0) {
      run.saving.onComplete(saved -> message.reply(outcome(run)));
      return;
    }
    boolean[] answered = {false};
    long timer = vertx.setTimer(waitMs, id -> {
      if (!answered[0]) {
        answered[0] = true;
        message.reply(new JsonObject().put("active", true));
      }
    });
    run.done().transform(ended -> run.saving).onComplete(ended -> {
      if (!answered[0]) {
        answered[0] = true;
        vertx.cancelTimer(timer);
        message.reply(outcome(run));
      }
    });
  }

  private static JsonObject outcome(RunRecord run) {
    if (run.isActive()) {
      return new JsonObject().put("active", true);
    }
    JsonObject outcome = run.error() != null ? new JsonObject().put("__error__", run.error())
        : run.values() == null ? new JsonObject() : run.values();
    return new JsonObject().put("active", false).put("outcome", outcome);
  }

  private void answerFrames(Message<JsonObject> message, RunRecord run, long after, long waitMs, boolean mayWait) {
    List<Sse.Frame> frames = run.framesAfter(after, options.getStreamWriteQueueBytes());
    if (!frames.isEmpty() || !run.isActive() || !mayWait || waitMs == 0) {
      JsonArray list = new JsonArray();
      frames.forEach(frame -> list.add(new JsonArray().add(frame.id()).add(frame.event()).add(frame.data())));
      long last = frames.isEmpty() ? after : frames.get(frames.size() - 1).id();
      message.reply(new JsonObject().put("frames", list).put("ended", !run.isActive() && last >= run.nextEventId() - 1));
      return;
    }
    boolean[] answered = {false};
    long timer = vertx.setTimer(waitMs, id -> {
      if (!answered[0]) {
        answered[0] = true;
        answerFrames(message, run, after, 0, false);
      }
    });
    run.nextChange().onComplete(changed -> {
      if (!answered[0]) {
        answered[0] = true;
        vertx.cancelTimer(timer);
        answerFrames(message, run, after, 0, false);
      }
    });
  }

  // ---- the asking server's side

  private Future<JsonObject> ask(StoredRun run, JsonObject request, long waitMs) {
    request.put("runId", run.runId()).put("secret", run.secret()).put("waitMs", waitMs);
    DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(waitMs + options.getPeerGraceMs());
    return vertx.eventBus().<JsonObject>request(run.origin(), request, delivery).map(Message::body)
        .recover(failure -> gone(failure) ? orphaned(run).compose(ended -> Future.failedFuture(new Gone(ended)))
            : Future.failedFuture(apiFailure(run, failure, waitMs + options.getPeerGraceMs())));
  }

  private static boolean gone(Throwable failure) {
    if (!(failure instanceof ReplyException)) {
      return false;
    }
    ReplyException reply = (ReplyException) failure;
    return reply.failureType() == ReplyFailure.NO_HANDLERS
        || reply.failureType() == ReplyFailure.RECIPIENT_FAILURE && reply.failureCode() == 404;
  }

  private static ApiException apiFailure(StoredRun run, Throwable failure, long timeoutMs) {
    if (failure instanceof ReplyException) {
      ReplyException reply = (ReplyException) failure;
      if (reply.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        return new ApiException(reply.failureCode() >= 400 && reply.failureCode() < 600 ? reply.failureCode() : 500,
            reply.getMessage());
      }
      if (reply.failureType() == ReplyFailure.TIMEOUT) {
        return new ApiException(503, "The server that runs run '" + run.runId() + "' did not answer within "
            + timeoutMs + " ms (ServerOptions.peerWaitMs plus peerGraceMs); retry later.");
      }
    }
    return ApiException.of(failure);
  }

  /**
   * The stored run whose origin is gone, as stored now: ended as an error (and stored so) if it was still active; one
   * deleted meanwhile (rolled back) is not stored again. Never fails.
   */
  private Future<StoredRun> orphaned(StoredRun run) {
    ThreadStore shared = registry.shared();
    return shared.getRun(run.runId()).transform(read -> {
      StoredRun now = read.succeeded() && read.result() != null ? read.result() : run;
      if (!now.isActive()) {
        return Future.succeededFuture(now);
      }
      StoredRun ended = now.ended(RunRecord.ERROR, RunService.errorBody(GONE, "Run " + run.runId()
          + " was followed by a server that has stopped (" + run.origin() + "); its outcome is unknown. Read the "
          + "thread's state to see where it stands."));
      if (read.succeeded() && read.result() == null) {
        return Future.succeededFuture(ended);
      }
      return shared.saveRun(ended).transform(saved -> Future.succeededFuture(ended));
    });
  }

  private static boolean isGone(StoredRun run) {
    return run.error() != null && GONE.equals(run.error().getString("error"));
  }

  /** A run whose origin no longer answers for it, as stored now. */
  static final class Gone extends RuntimeException {
    final transient StoredRun run;

    Gone(StoredRun run) {
      super("Run '" + run.runId() + "' has lost its server.", null, false, false);
      this.run = run;
    }
  }

  /** Whether {@code run} is still running (asked of its origin at once); false when its origin is gone. */
  Future<Boolean> isActive(StoredRun run) {
    return ask(run, new JsonObject().put("op", "join"), 0).map(reply -> reply.getBoolean("active", false))
        .recover(failure -> failure instanceof Gone ? Future.succeededFuture(false) : Future.failedFuture(failure));
  }

  /** What a join of {@code run} answers once it has ended: its final values or {@code {"__error__": ...}}. */
  Future<JsonObject> join(StoredRun run) {
    return ask(run, new JsonObject().put("op", "join"), options.getPeerWaitMs()).transform(reply -> {
      if (reply.failed()) {
        return reply.cause() instanceof Gone ? Future.succeededFuture(((Gone) reply.cause()).run.outcome())
            : Future.failedFuture(reply.cause());
      }
      return reply.result().getBoolean("active", false) ? join(run)
          : Future.succeededFuture(reply.result().getJsonObject("outcome", new JsonObject()));
    });
  }

  /** When {@code run} has ended (or its origin is gone); never fails. */
  Future<Void> ended(StoredRun run) {
    return join(run).transform(joined -> Future.succeededFuture());
  }

  /** Cancels {@code run} at its origin ({@code action}: interrupt or rollback; {@code wait}: until it has ended). */
  Future<Void> cancel(StoredRun run, String action, boolean wait) {
    JsonObject request = new JsonObject().put("op", "cancel").put("wait", wait);
    if (action != null) {
      request.put("action", action);
    }
    return ask(run, request, options.getPeerWaitMs()).<Void>mapEmpty().recover(failure -> failure instanceof Gone
        ? Future.failedFuture(new ApiException(409, "Run '" + run.runId() + "' has already ended (its server "
        + "stopped); there is nothing to cancel.")) : Future.failedFuture(failure));
  }

  /**
   * {@code run}'s events after event {@code after}, once there are some or the run has ended (long polling, at most
   * {@link ServerOptions#getPeerWaitMs}): {@code {"frames": [[id, event, data], ...], "ended": true|false}} ({@code
   * ended}: none will follow). Fails with {@link Gone} when its server no longer answers for it.
   */
  Future<JsonObject> frames(StoredRun run, long after) {
    return ask(run, new JsonObject().put("op", "frames").put("after", after), options.getPeerWaitMs());
  }

  /** The error a run whose server is gone ended with ({@code ServerGone}), or {@code null} for one that had ended. */
  static JsonObject goneError(Gone gone) {
    return isGone(gone.run) ? gone.run.error() : null;
  }

  /**
   * Writes {@code run}'s events after {@code lastEventId} (of {@code streamModes}, see {@link SseFanOut#wanted}) to
   * {@code response} (an open event stream) as they come,
   * paced by the response's write queue, and ends it when the run has ended; a run whose origin is gone ends with an
   * {@code error} event.
   */
  void stream(StoredRun run, HttpServerResponse response, long lastEventId, java.util.Set<String> streamModes) {
    if (response.closed() || response.ended()) {
      return;
    }
    ask(run, new JsonObject().put("op", "frames").put("after", lastEventId), options.getPeerWaitMs())
        .onComplete(reply -> {
          if (response.closed() || response.ended()) {
            return;
          }
          if (reply.failed()) {
            JsonObject error = !(reply.cause() instanceof Gone)
                ? RunService.errorBody("ServerError", ApiException.of(reply.cause()).getMessage())
                : isGone(((Gone) reply.cause()).run) ? ((Gone) reply.cause()).run.error() : null;
            if (error != null) { // else: an ended run whose events left with its server; nothing more to send
              response.write(new Sse.Frame(lastEventId + 1, "error", error.encode()).encode());
            }
            response.end();
            return;
          }
          long last = lastEventId;
          for (Object item : reply.result().getJsonArray("frames", new JsonArray())) {
            JsonArray frame = (JsonArray) item;
            last = frame.getLong(0);
            if (SseFanOut.wanted(streamModes, frame.getString(1))) {
              response.write(new Sse.Frame(last, frame.getString(1), frame.getString(2)).encode());
            }
          }
          if (reply.result().getBoolean("ended", false)) {
            response.end();
            return;
          }
          long next = last;
          if (response.writeQueueFull()) {
            response.drainHandler(Confined.handler(home, drained -> stream(run, response, next, streamModes)));
          } else {
            stream(run, response, next, streamModes);
          }
        });
  }
}
