package io.graphloop.server;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * LangGraph Server's HTTP API (the REST dialect of {@code langgraph dev} and LangGraph Platform) over graphs that run
 * on the event bus, so LangGraph's SDKs ({@code langgraph_sdk}, {@code @langchain/langgraph-sdk}) work unchanged:
 * deploy the graphs ({@code GraphRuntime.deploy}, here or on cluster members), then deploy this verticle with the
 * same graphs. Each graph is an assistant; runs, threads and their states go to the graphs' coordinators as
 * event-bus requests. The server keeps only what HTTP needs: thread and run records (ids, owners, metadata,
 * statuses) and bounded SSE buffers for resumption.
 *
 * <pre>{@code
 * GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory")))
 *     .compose(runtime -> vertx.deployVerticle(new ServerVerticle(List.of(graph), new ServerOptions().setPort(2024))));
 * }</pre>
 *
 * <p>Thread rules: one instance, confined to its own event-loop context (every route handler runs there); deploy it
 * once per server.
 */
public final class ServerVerticle extends VerticleBase {

  private final List<CompiledGraph> graphs;
  private final ServerOptions options;
  private final List<Consumer<Router>> publicRoutes = new ArrayList<>();
  private final List<Consumer<Router>> routes = new ArrayList<>();
  private io.graphloop.store.Store store;
  private JsonObject threadRecords;
  private ThreadStore sharedThreads;
  private HttpServer server;

  /**
   * Serves {@code store} on LangGraph's {@code /store/*} endpoints ({@link StoreRoutes}); without one they answer
   * 501. Pass the store the graphs' nodes use ({@code GraphRuntimeOptions.setStore}) so both see the same items.
   * Call before deploying.
   *
   * @return this
   */
  public ServerVerticle store(io.graphloop.store.Store store) {
    this.store = store;
    return this;
  }

  /**
   * Keeps the thread records (ids, owners, metadata, statuses, values) in the database of the checkpoint store
   * {@code checkpointer} describes (the graphs' {@code GraphRuntimeOptions.getCheckpointer()}), so that every server
   * on that database serves, lists and counts the same threads: a table in its PostgreSQL database, or a SQLite file
   * beside its checkpoint file ({@code <fileName>-threads.db}; threads then survive a restart). A {@code memory}
   * checkpointer (or none, or not calling this) keeps them in this server only. Call before deploying.
   *
   * @return this
   */
  public ServerVerticle sharedThreads(JsonObject checkpointer) {
    this.threadRecords = checkpointer == null ? null : checkpointer.copy();
    return this;
  }

  /**
   * @param graphs  the graphs to serve (each must be deployed, here or on the cluster, with a checkpointer for
   *                threads)
   * @param options where to listen, bounds and auth
   */
  public ServerVerticle(List<CompiledGraph> graphs, ServerOptions options) {
    if (graphs.isEmpty()) {
      throw new IllegalArgumentException("ServerVerticle needs at least one graph to serve.");
    }
    this.graphs = List.copyOf(graphs);
    this.options = new ServerOptions(options);
  }

  /**
   * Adds routes mounted before authentication (e.g. {@code /health/*}, a studio page's static files): anyone who
   * reaches the server may call them. Installers run in the order added, on the verticle's context, during
   * {@link #start()}; call this before deploying.
   *
   * @return this
   */
  public ServerVerticle publicRoutes(Consumer<Router> installer) {
    publicRoutes.add(Objects.requireNonNull(installer, "installer"));
    return this;
  }

  /**
   * Adds routes mounted after authentication and before LangGraph's API routes (e.g. {@code /metrics}): they see
   * the authenticated user ({@code ctx.user()}) and a parsed body; a failure ({@code ctx.fail}) is answered as
   * {@code {"detail": ...}}. Installers run in the order added, during {@link #start()}; call this before deploying.
   *
   * @return this
   */
  public ServerVerticle routes(Consumer<Router> installer) {
    routes.add(Objects.requireNonNull(installer, "installer"));
    return this;
  }

  @Override
  public Future<?> start() {
    if (!options.authEnabled() && !options.isAllowUnauthenticated() && !isLoopback(options.getHost())) {
      return Future.failedFuture(new IllegalArgumentException("The server would listen on '" + options.getHost()
          + "' with no authentication: anyone who reaches it could run your graphs. Listen on 127.0.0.1 (the "
          + "default), configure API keys or a JWT (ServerOptions.apiKeys/jwt; serve: 'server.apiKeys' or "
          + "'server.jwt' in --conf), or accept the risk with ServerOptions.allowUnauthenticated (serve: "
          + "--allow-unauthenticated)."));
    }
    return ThreadStore.open(vertx, threadRecords, options.getMaxThreads()).compose(shared -> {
      sharedThreads = shared;
      return serve(shared);
    });
  }

  @Override
  public Future<?> stop() {
    return sharedThreads == null ? Future.succeededFuture() : sharedThreads.close();
  }

  private Future<?> serve(ThreadStore shared) {
    Map<String, GraphClient> clients = new LinkedHashMap<>();
    graphs.forEach(graph -> clients.put(graph.name(), GraphClient.create(vertx, graph.name())));
    Assistants assistants = new Assistants(graphs);
    Registry registry = new Registry(options.getMaxThreads(), options.getMaxRuns(), shared,
        shared == null ? null : PeerRuns.newAddress());
    RunService runs = new RunService(clients, registry, assistants, options);
    PeerRuns peers = shared == null ? null : new PeerRuns(vertx, registry, runs, options);
    runs.peers(peers);
    runs.threadStreams(new ThreadStreams(vertx, registry, peers, options));
    // thread retention (or another server's delete) removed a thread's checkpoints: its record goes too
    vertx.eventBus().<JsonObject>consumer(io.graphloop.protocol.Addresses.threadDeleted(), deleted -> {
      Object threadId = deleted.body() == null ? null : deleted.body().getValue("threadId");
      if (!(threadId instanceof String) || !registry.activeRunsOf((String) threadId).isEmpty()) {
        return;
      }
      ThreadRecord thread = registry.anyThread((String) threadId);
      registry.removeThread((String) threadId);
      if (shared != null) { // its stored record goes too (each server deletes it; deleting twice is harmless)
        (thread == null ? shared.delete((String) threadId) : thread.saving.compose(v -> shared.delete(thread.threadId)))
            .onFailure(failure -> System.getLogger("io.graphloop.server.ServerVerticle").log(
                System.Logger.Level.WARNING, "Could not delete the stored record of deleted thread '" + threadId
                    + "': " + failure.getMessage()));
      }
    });
    Router router = Router.router(vertx);
    if (!options.getCorsOrigins().isEmpty()) {
      router.route().handler(cors());
    }
    publicRoutes.forEach(installer -> installer.accept(router));
    router.route().handler(BodyHandler.create(false).setBodyLimit(options.getMaxBodyBytes()));
    Auth auth = new Auth(vertx, options);
    router.route().handler(auth::handle);
    routes.forEach(installer -> installer.accept(router));
    router.get("/ok").handler(ctx -> ctx.json(new JsonObject().put("ok", true)));
    router.get("/info").handler(ctx -> ctx.json(info()));
    // vertx-web tries routes in order, a path with parameters by a regex match: the runs endpoints (the hot ones)
    // come first, the stateless ones (exact paths) before any pattern; thread runs after the thread adoption they need
    RunRoutes runRoutes = new RunRoutes(vertx, registry, runs, options, peers);
    runRoutes.mountStateless(router);
    new RunsCancel(registry, runs, peers, options.getMaxRuns()).mount(router);
    new ThreadAdoption(registry, clients).mount(router);
    runRoutes.mountThreadRuns(router);
    new ThreadRoutes(registry, clients, runs).mount(router);
    new AssistantRoutes(assistants).mount(router);
    if (store != null) {
      new StoreRoutes(store).mount(router);
    } else {
      router.route("/store/*").handler(ctx -> ctx.fail(new ApiException(501, "This server has no long-term store: "
          + "deploy the ServerVerticle with .store(store) (serve opens one from the 'store' section of --conf)")));
    }
    router.route("/runs/crons*").handler(ctx -> ctx.fail(new ApiException(501, "Crons are not supported yet.")));
    router.route("/threads/:thread_id/runs/crons").handler(ctx -> ctx.fail(new ApiException(501,
        "Crons are not supported yet.")));
    router.route().last().handler(ctx -> ctx.fail(new ApiException(404, "No route " + ctx.request().method() + " "
        + ctx.normalizedPath() + "; see LangGraph Server's API.")));
    router.route().failureHandler(ServerVerticle::failure);
    HttpServerOptions http = new HttpServerOptions().setHost(options.getHost()).setPort(options.getPort())
        .setCompressionSupported(false);
    if (options.getAcceptBacklog() > 0) {
      http.setAcceptBacklog(options.getAcceptBacklog());
    }
    server = vertx.createHttpServer(http);
    Future<Void> listening = peers == null ? Future.succeededFuture() : peers.listen();
    return listening.compose(v -> server.requestHandler(router).listen());
  }

  /** The port the server listens on (the one picked when {@link ServerOptions#setPort} was 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private static boolean isLoopback(String host) {
    return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
  }

  private CorsHandler cors() {
    CorsHandler cors = CorsHandler.create();
    if (options.getCorsOrigins().contains("*")) {
      cors.addOrigin("*");
    } else {
      cors.addOrigins(options.getCorsOrigins()).allowCredentials(true);
    }
    return cors.allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH,
            HttpMethod.DELETE, HttpMethod.OPTIONS))
        .allowedHeaders(Set.of("Content-Type", "Authorization", "x-api-key", "Last-Event-ID", "Accept",
            "Cache-Control", "x-auth-scheme"))
        .exposedHeaders(Set.of("Content-Location", "Location", "X-Pagination-Total", "X-Pagination-Next"));
  }

  private JsonObject info() {
    List<String> names = new ArrayList<>();
    graphs.forEach(graph -> names.add(graph.name()));
    return new JsonObject().put("version", "graphloop").put("context", "graphloop").put("graphs", names)
        .put("flags", new JsonObject().put("assistants", true).put("crons", false).put("langsmith", false)
            .put("store", false));
  }

  /** Every failure as LangGraph's {@code {"detail": "..."}}, with its status; never a stack trace. */
  private static void failure(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status;
    String detail;
    if (failure instanceof ApiException) {
      status = ((ApiException) failure).status();
      detail = failure.getMessage();
    } else if (failure != null && ctx.statusCode() == 403 && String.valueOf(failure.getMessage()).startsWith("CORS")) {
      status = 403; // vertx-web's CorsHandler: an origin not in ServerOptions.corsOrigins
      detail = "Origin '" + ctx.request().getHeader("Origin") + "' may not call this server (CORS); the allowed "
          + "origins are ServerOptions.corsOrigins ('server.corsOrigins' in serve's --conf).";
    } else if (failure != null && !(failure instanceof io.vertx.ext.web.handler.HttpException)) {
      ApiException api = ApiException.of(failure);
      status = api.status();
      detail = api.getMessage();
    } else {
      status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
      detail = status == 413 ? "The request body is larger than the server's limit (ServerOptions.maxBodyBytes)."
          : status == 401 ? "Authentication required." : status == 403 ? "Forbidden." : status == 404 ? "Not Found."
          : status == 405 ? "Method Not Allowed." : "Request failed with status " + status + ".";
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("detail", detail).encode());
  }
}
