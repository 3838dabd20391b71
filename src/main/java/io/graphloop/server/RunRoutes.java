package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The runs endpoints of LangGraph Server: create in the background, stream, wait, join, join-stream (with
 * {@code Last-Event-ID}), cancel, get, list, delete, on a thread ({@code /threads/{thread_id}/runs...}) and
 * stateless ({@code /runs/stream}, {@code /runs/wait}, {@code /runs}, {@code /runs/batch}).
 *
 * <p>Thread rules: one instance per HTTP loop, made on it. The stateless routes run on that loop (their runs are
 * confined to it); the routes of a thread's runs run on the server verticle's context (the router hands them there,
 * see {@link ServerVerticle}). Each stream's heartbeats are the loop's ({@link SseHeartbeats}); a response's close
 * is handed to the context of what it followed ({@link Confined}); the open streams are counted across the loops.
 */
final class RunRoutes {

  private static final int MAX_BATCH = 100;

  private final Vertx vertx;
  private final Registry registry;
  private final RunService runs;
  private final ServerOptions options;
  /** Runs other servers follow (servers sharing their records), or {@code null}. */
  private final PeerRuns peers;
  /** SSE responses open on every loop of the server (see {@link #reserveStream}). */
  private final java.util.concurrent.atomic.AtomicInteger openStreams;
  private final SseHeartbeats heartbeats;
  /** The server verticle's context, where thread streams and other servers' runs are followed. */
  private final io.vertx.core.Context home;

  RunRoutes(Vertx vertx, Registry registry, RunService runs, ServerOptions options) {
    this(vertx, registry, runs, options, null, new java.util.concurrent.atomic.AtomicInteger(), Confined.current());
  }

  /**
   * @param openStreams the server's count of open event streams, shared by the loops' instances
   * @param home        the server verticle's context
   */
  RunRoutes(Vertx vertx, Registry registry, RunService runs, ServerOptions options, PeerRuns peers,
            java.util.concurrent.atomic.AtomicInteger openStreams, io.vertx.core.Context home) {
    this.vertx = vertx;
    this.registry = registry;
    this.runs = runs;
    this.options = options;
    this.peers = peers;
    this.openStreams = openStreams;
    this.home = home;
    this.heartbeats = new SseHeartbeats(vertx, options.getHeartbeatMs());
  }

  /**
   * Mounts the stateless runs endpoints ({@code /runs/stream}, {@code /runs/wait}, {@code /runs/batch},
   * {@code /runs}): exact paths, mounted before the routes with path parameters so that a stateless run's request is
   * not tested against each of their patterns (a regex match, and its allocations, per route per request).
   */
  void mountStateless(Router router) {
    router.post("/runs/stream").handler(ctx -> stream(ctx, null));
    router.post("/runs/wait").handler(ctx -> await(ctx, null));
    router.post("/runs/batch").handler(this::batch);
    router.post("/runs").handler(ctx -> background(ctx, null));
  }

  /** Mounts the runs endpoints of a thread ({@code /threads/{thread_id}/runs...}, {@code /threads/{id}/stream}). */
  void mountThreadRuns(Router router) {
    router.post("/threads/:thread_id/runs/stream").handler(ctx -> stream(ctx, ctx.pathParam("thread_id")));
    router.post("/threads/:thread_id/runs/wait").handler(ctx -> await(ctx, ctx.pathParam("thread_id")));
    router.post("/threads/:thread_id/runs").handler(ctx -> background(ctx, ctx.pathParam("thread_id")));
    router.get("/threads/:thread_id/runs").handler(new RunList(registry)::list);
    router.get("/threads/:thread_id/runs/:run_id").handler(ctx -> find(ctx)
        .onSuccess(found -> ctx.json(found.toJson())).onFailure(ctx::fail));
    router.delete("/threads/:thread_id/runs/:run_id").handler(this::delete);
    router.get("/threads/:thread_id/runs/:run_id/join").handler(this::join);
    router.get("/threads/:thread_id/runs/:run_id/stream").handler(this::joinStream);
    router.post("/threads/:thread_id/runs/:run_id/cancel").handler(this::cancel);
    router.get("/threads/:thread_id/stream").handler(this::threadStream);
  }

  /**
   * A run as a route finds it: followed by this server ({@code local}, live), and/or as the shared records store it
   * ({@code stored}: servers sharing their records, where any server's run is found).
   */
  private record Found(RunRecord local, StoredRun stored) {

    JsonObject toJson() {
      return local != null ? local.toJson() : stored.toJson();
    }

    boolean isActive() {
      return local != null ? local.isActive() : stored.isActive();
    }

    String path() {
      return local != null ? local.path() : stored.path();
    }
  }

  /**
   * The run the request names, as its user sees it, else 404. With shared records the stored record is the truth
   * (after this server's own saves of the run): a run another server started is found there, a run deleted through
   * another server is gone.
   */
  private Future<Found> find(RoutingContext ctx) {
    String threadId = ctx.pathParam("thread_id");
    String runId = ctx.pathParam("run_id");
    String user = Auth.user(ctx);
    registry.requireThread(threadId, user);
    RunRecord local = registry.localRun(runId);
    RunRecord kept = local != null && Objects.equals(local.threadId, threadId) && Registry.visible(local.owner, user)
        ? local : null;
    ApiException notFound = ApiException.notFound("Run '" + runId + "' of thread '" + threadId + "'");
    ThreadStore shared = registry.shared();
    if (shared == null) {
      return kept == null ? Future.failedFuture(notFound) : Future.succeededFuture(new Found(kept, null));
    }
    return (kept == null ? Future.<Void>succeededFuture() : kept.saving).compose(saved -> shared.getRun(runId))
        .recover(failure -> Future.failedFuture(new ApiException(503, "The shared run records could not be read: "
            + failure.getMessage())))
        .compose(stored -> {
          if (stored == null || !threadId.equals(stored.threadId()) || !Registry.visible(stored.owner(), user)) {
            if (kept != null && kept.isActive()) {
              return Future.succeededFuture(new Found(kept, null)); // its save failed: this server still follows it
            }
            if (kept != null) {
              registry.forgetRun(kept); // deleted through another server
            }
            return Future.failedFuture(notFound);
          }
          return Future.succeededFuture(new Found(kept, stored));
        });
  }

  private void join(RoutingContext ctx) {
    find(ctx).onSuccess(found -> {
      if (found.local() != null) {
        respondOutcome(ctx.response(), found.local());
        return;
      }
      Future<JsonObject> outcome = found.stored().isActive() && peers != null ? peers.join(found.stored())
          : Future.succeededFuture(found.stored().outcome());
      outcome.onSuccess(body -> {
        if (!ctx.response().closed() && !ctx.response().ended()) {
          ctx.response().putHeader("Content-Location", found.path());
          // a run another server followed: its outcome in the form respondOutcome gives a local one
          ctx.json(!body.containsKey("__error__") && runs.entrypoints().shows(found.stored().graphId())
              ? EntrypointValues.chunk(body.getMap()) : body);
        }
      }).onFailure(ctx::fail);
    }).onFailure(ctx::fail);
  }

  /** The run request of {@code ctx}, with the headers its run's config records. */
  private static RunBody runBody(RoutingContext ctx, String threadId) {
    return runBody(ctx.request(), ctx.body() == null ? null : ctx.body().buffer(), threadId);
  }

  /** The run request of {@code body} (as sent to {@code request}), with the headers its run's config records. */
  static RunBody runBody(io.vertx.core.http.HttpServerRequest request, io.vertx.core.buffer.Buffer body,
                         String threadId) {
    return new RunBody(Bodies.object(body), threadId != null, RunFields.headers(request.headers()));
  }

  private Future<RunRecord> create(RoutingContext ctx, String threadId) {
    RunBody body = runBody(ctx, threadId);
    return runs.create(body, threadId, Auth.user(ctx));
  }

  private void stream(RoutingContext ctx, String threadId) {
    stream(ctx.response(), runBody(ctx, threadId), threadId, Auth.user(ctx), ctx::fail);
  }

  /**
   * Streams a new run of {@code body} on {@code response} ({@code POST .../runs/stream}); {@code fail} answers a
   * refusal that comes after this returns (the run's start), a refusal before is thrown ({@link ApiException}).
   * Also called by {@link StatelessRuns}, without vertx-web.
   */
  void stream(HttpServerResponse response, RunBody body, String threadId, String user,
              io.vertx.core.Handler<Throwable> fail) {
    Runnable release = reserveStream(response);
    runs.create(body, threadId, user).onSuccess(run -> {
      Sse.open(response, run.path(), run.threadId != null, options.getStreamWriteQueueBytes());
      attach(response, run, -1, "cancel".equals(body.onDisconnect) && !body.streamResumable, release);
    }).onFailure(fail);
  }

  /**
   * Counts an event stream about to open on {@code ctx}'s response, released once when the response ends or its
   * connection closes; refuses it (503, {@code Retry-After}) when {@link ServerOptions#getMaxStreams} are open.
   */
  private Runnable reserveStream(HttpServerResponse response) {
    int open = openStreams.incrementAndGet();
    if (open > options.getMaxStreams()) {
      openStreams.decrementAndGet();
      response.putHeader("Retry-After", "1");
      throw new ApiException(503, "The server already has " + (open - 1) + " event streams open, its limit "
          + "(ServerOptions.maxStreams; serve: --max-streams or 'server.maxStreams' in --conf). Retry later, or "
          + "wait for the run with POST .../runs/wait instead of streaming it.");
    }
    java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable release = () -> {
      if (released.compareAndSet(false, true)) {
        openStreams.decrementAndGet();
      }
    };
    response.endHandler(ended -> release.run());
    response.closeHandler(closed -> release.run());
    return release;
  }

  /**
   * {@link #reserveStream} where a refusal cannot be thrown (in a future's callback): the refusal fails {@code ctx}
   * and {@code null} is returned.
   */
  private Runnable reserveStreamOrFail(RoutingContext ctx) {
    try {
      return reserveStream(ctx.response());
    } catch (ApiException full) {
      ctx.fail(full);
      return null;
    }
  }

  /** The event streams open now, on every loop. */
  int openStreams() {
    return openStreams.get();
  }

  /** Joins {@code response} to the run's events, with heartbeats, until the run ends or the client leaves. */
  private void attach(HttpServerResponse response, RunRecord run, long lastEventId, boolean cancelOnDisconnect,
                      Runnable release) {
    attach(response, () -> run.join(response, lastEventId), Confined.handler(run.context(), closed -> {
      run.leave(response);
      if (cancelOnDisconnect && run.isActive()) {
        runs.cancel(run);
      }
    }), release);
  }

  /**
   * Runs {@code join}, with heartbeats on {@code response} until it ends ({@link SseHeartbeats}: one timer for every
   * stream of this loop); {@code onClose} if its client leaves (called on the response's loop: it hands itself to the
   * context of what it touches, {@link Confined#handler}).
   */
  private void attach(HttpServerResponse response, Runnable join, io.vertx.core.Handler<Void> onClose,
                      Runnable release) {
    heartbeats.start(response);
    response.endHandler(ended -> {
      heartbeats.stop(response);
      release.run();
    });
    response.closeHandler(closed -> {
      heartbeats.stop(response);
      release.run();
      onClose.handle(null);
    });
    join.run();
  }

  /** The heartbeats of the event streams open here. */
  SseHeartbeats heartbeats() {
    return heartbeats;
  }

  private void await(RoutingContext ctx, String threadId) {
    await(ctx.response(), runBody(ctx, threadId), threadId, Auth.user(ctx), ctx::fail);
  }

  /**
   * Runs {@code body} and answers its outcome on {@code response} ({@code POST .../runs/wait}); {@code fail} answers
   * a refusal of the run's start. Also called by {@link StatelessRuns}, without vertx-web.
   */
  void await(HttpServerResponse response, RunBody body, String threadId, String user,
             io.vertx.core.Handler<Throwable> fail) {
    runs.create(body, threadId, user).onSuccess(run -> {
      if ("cancel".equals(body.onDisconnect)) {
        response.closeHandler(closed -> {
          if (run.isActive()) {
            runs.cancel(run);
          }
        });
      }
      respondOutcome(response, run);
    }).onFailure(fail);
  }

  /** When the run has ended: its final values, or {@code {"__error__": {"error", "message"}}} (status 200, as LangGraph). */
  private void respondOutcome(HttpServerResponse response, RunRecord run) {
    // the thread's new status and values are stored (when shared) before the answer: any server then lists them
    run.done().transform(ended -> registry.saved(run.threadId)).transform(saved -> run.saving).onComplete(ended -> {
      if (response.closed() || response.ended()) {
        return;
      }
      response.putHeader("Content-Location", run.path());
      JsonObject outcome = run.error() != null ? new JsonObject().put("__error__", run.error())
          : run.values() == null ? new JsonObject() : run.values();
      // an entrypoint's output is the value it returned (with __interrupt__ when interrupted), as LangGraph's
      json(response, run.error() == null && runs.entrypoints().shows(run.graphId)
          ? EntrypointValues.chunk(outcome.getMap()) : outcome);
    });
  }

  /** Ends {@code response} with {@code value} as JSON, as vertx-web's {@code RoutingContext.json} does. */
  static void json(HttpServerResponse response, Object value) {
    if (!response.headers().contains("Content-Type")) {
      response.putHeader("Content-Type", "application/json");
    }
    io.vertx.core.buffer.Buffer encoded;
    try {
      encoded = io.vertx.core.json.Json.encodeToBuffer(value);
    } catch (RuntimeException e) {
      ServerVerticle.answer(response, e, 500, null);
      return;
    }
    response.end(encoded);
  }

  private void background(RoutingContext ctx, String threadId) {
    create(ctx, threadId).onSuccess(run -> {
      ctx.response().putHeader("Content-Location", run.path());
      ctx.json(run.toJson());
    }).onFailure(ctx::fail);
  }

  private void batch(RoutingContext ctx) {
    Object value = ctx.body().buffer() == null ? null : io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
    if (!(value instanceof JsonArray)) {
      throw ApiException.invalid("POST /runs/batch takes a JSON array of stateless run requests, was "
          + Bodies.describe(value) + ".");
    }
    JsonArray requests = (JsonArray) value;
    if (requests.size() > MAX_BATCH) {
      throw ApiException.invalid("POST /runs/batch takes at most " + MAX_BATCH + " runs, was " + requests.size() + ".");
    }
    List<RunBody> bodies = new ArrayList<>();
    JsonObject headers = RunFields.headers(ctx.request().headers());
    for (int i = 0; i < requests.size(); i++) {
      if (!(requests.getValue(i) instanceof JsonObject)) {
        throw ApiException.invalid("Run " + i + " of the batch must be a JSON object, was "
            + Bodies.describe(requests.getValue(i)) + ".");
      }
      try {
        bodies.add(new RunBody(requests.getJsonObject(i), false, headers));
      } catch (ApiException e) {
        throw new ApiException(e.status(), "Run " + i + " of the batch: " + e.getMessage());
      }
    }
    List<Future<RunRecord>> started = new ArrayList<>();
    bodies.forEach(body -> started.add(runs.create(body, null, Auth.user(ctx))));
    Future.join(started).onComplete(all -> {
      JsonArray created = new JsonArray();
      for (Future<RunRecord> run : started) {
        if (run.failed()) {
          ctx.fail(run.cause());
          return;
        }
        created.add(run.result().toJson());
      }
      ctx.json(created);
    });
  }

  private void delete(RoutingContext ctx) {
    find(ctx).compose(found -> {
      if (found.isActive()) {
        return Future.<Void>failedFuture(new ApiException(409, "Run '" + ctx.pathParam("run_id") + "' is still "
            + found.toJson().getString("status") + "; cancel it first."));
      }
      return found.local() != null ? registry.removeRun(found.local())
          : registry.shared().deleteRun(found.stored().runId());
    }).onSuccess(deleted -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }

  private void joinStream(RoutingContext ctx) {
    long lastEventId = -1;
    String header = ctx.request().getHeader("Last-Event-ID");
    if (header != null && !header.isBlank()) {
      try {
        lastEventId = Long.parseLong(header.trim());
      } catch (NumberFormatException e) {
        throw ApiException.invalid("Header 'Last-Event-ID' must be the id of an event of this run (a whole "
            + "number), was '" + header + "'.");
      }
    }
    boolean cancelOnDisconnect = Bodies.boolParam(ctx.request().getParam("cancel_on_disconnect"),
        "cancel_on_disconnect", false);
    java.util.Set<String> streamModes = streamModes(ctx);
    long after = lastEventId;
    find(ctx).onSuccess(found -> {
      Runnable release = reserveStreamOrFail(ctx);
      if (release == null) {
        return;
      }
      Sse.open(ctx.response(), found.path(), true, options.getStreamWriteQueueBytes());
      if (found.local() != null || peers == null) {
        RunRecord run = found.local();
        attach(ctx.response(), () -> run.join(ctx.response(), after, streamModes),
            Confined.handler(run.context(), closed -> {
              run.leave(ctx.response());
              if (cancelOnDisconnect && run.isActive()) {
                runs.cancel(run);
              }
            }), release);
        return;
      }
      StoredRun stored = found.stored();
      attach(ctx.response(), () -> peers.stream(stored, ctx.response(), after, streamModes),
          Confined.handler(home, closed -> {
            if (cancelOnDisconnect) {
              peers.cancel(stored, null, false);
            }
          }), release);
    }).onFailure(ctx::fail);
  }

  /**
   * {@code GET /threads/{thread_id}/stream}: the thread's runs, one after another, until the client leaves
   * ({@link ThreadStreams}); {@code stream_mode} (or the spec's {@code stream_modes}) and {@code Last-Event-ID}.
   */
  private void threadStream(RoutingContext ctx) {
    String threadId = ctx.pathParam("thread_id");
    String user = Auth.user(ctx);
    List<String> values = new ArrayList<>(ctx.queryParam("stream_mode"));
    values.addAll(ctx.queryParam("stream_modes"));
    java.util.Set<String> modes = ThreadStreams.modes(values);
    String lastEventId = ctx.request().getHeader("Last-Event-ID");
    ThreadStreams streams = runs.threadStreams();
    registry.findThread(threadId, user).onSuccess(found -> {
      Runnable release = reserveStreamOrFail(ctx);
      if (release == null) {
        return;
      }
      HttpServerResponse response = ctx.response();
      Sse.open(response, "/threads/" + threadId, true, options.getStreamWriteQueueBytes());
      Object[] handle = new Object[1];
      attach(response, () -> handle[0] = streams.follow(response, threadId, user,
          lastEventId == null || lastEventId.isBlank() ? null : lastEventId.trim(), modes),
          Confined.handler(home, closed -> streams.leave(handle[0])), release);
    }).onFailure(ctx::fail);
  }

  /**
   * The {@code stream_mode} query parameters of a join-stream (repeated, or comma-separated), or {@code null} when
   * there is none (every event); 422 for an unknown mode.
   */
  private static java.util.Set<String> streamModes(RoutingContext ctx) {
    List<String> values = ctx.queryParam("stream_mode");
    if (values.isEmpty()) {
      return null;
    }
    java.util.Set<String> modes = new java.util.LinkedHashSet<>();
    for (String value : values) {
      for (String mode : value.split(",")) {
        String name = mode.trim();
        if (name.isEmpty()) {
          continue;
        }
        if (!RunBody.MODES.contains(name)) {
          throw ApiException.invalid("Unknown stream mode '" + name + "' in parameter 'stream_mode'; stream modes "
              + "are " + RunBody.MODES + ".");
        }
        modes.add(name);
      }
    }
    return modes.isEmpty() ? null : modes;
  }

  /**
   * Cancels the named run: 202 once the cancel is sent, or with {@code wait} 204 once the run has ended (and is rolled
   * back), as LangGraph Server answers (the spec's 200 is FastAPI's default, not what the server sends; both SDKs
   * accept 202 and 204 without a body). 409 when the run has already ended, 503 when the server that runs it does not
   * answer.
   */
  private void cancel(RoutingContext ctx) {
    boolean wait = Bodies.boolParam(ctx.request().getParam("wait"), "wait", false);
    String action = Bodies.cancelAction(ctx.request().getParam("action"));
    find(ctx).compose(found -> runs.cancel(found.local(), found.stored(), action, wait))
        .onSuccess(done -> ctx.response().setStatusCode(wait ? 204 : 202).end()).onFailure(ctx::fail);
  }
}
