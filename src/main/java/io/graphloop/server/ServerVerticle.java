package io.graphloop.server;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
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
 * <p>HTTP is served on every event loop: the verticle deploys {@link ServerOptions#getHttpInstances} HTTP instances
 * (one per event loop by default), each a router and a server sharing the port, so parsing, routing, authenticating
 * and writing responses spread over the loops. The server's state is confined, not locked ({@link Confined}): the
 * thread and run records, multitask strategies, thread streams and the other servers' runs live on this verticle's
 * own context (its home), where the instances hand every route but the stateless runs; a stateless run
 * ({@code /runs/stream}, {@code /runs/wait}, {@code /runs}, {@code /runs/batch}) is created and streamed on the loop
 * of its connection, from start to end.
 *
 * <p>Thread rules: deploy it once per server; its state lives on its context. The installers of
 * {@link #publicRoutes} and {@link #routes} run once per HTTP instance, each on its own loop, and their handlers run
 * there (make them safe to share, or give each call its own state).
 */
public final class ServerVerticle extends VerticleBase {

  private final List<CompiledGraph> graphs;
  private final ServerOptions options;
  /** The negative ports (Vert.x's shared random ports) the server verticles of this JVM listening on port 0 use. */
  private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORT_GROUPS =
      new java.util.concurrent.atomic.AtomicInteger();
  private static final int RANDOM_PORT_GROUP_BASE = 1 << 20;
  private final List<Consumer<Router>> publicRoutes = new ArrayList<>();
  private final List<Consumer<Router>> routes = new ArrayList<>();
  private io.graphloop.store.Store store;
  private JsonObject threadRecords;
  private ThreadStore sharedThreads;
  /** The HTTP instances, the first one (which bound the port) first. */
  private final List<HttpVerticle> servers = new ArrayList<>();
  // the server's state, made on its context (home) in start(), before any HTTP instance is deployed
  private io.vertx.core.Context home;
  private final Map<String, GraphClient> clients = new LinkedHashMap<>();
  private Assistants assistants;
  private Registry registry;
  private RunService runs;
  private PeerRuns peers;
  /** The event streams open on every instance ({@link ServerOptions#getMaxStreams}). */
  private final java.util.concurrent.atomic.AtomicInteger openStreams = new java.util.concurrent.atomic.AtomicInteger();

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
   * reaches the server may call them. Installers run in the order added, once per HTTP instance on its loop
   * (their handlers run there), during {@link #start()}; call this before deploying.
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
   * {@code {"detail": ...}}. Installers run in the order added, once per HTTP instance on its loop
   * (their handlers run there), during {@link #start()}; call this before deploying.
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
    home = Confined.current();
    graphs.forEach(graph -> clients.put(graph.name(), GraphClient.create(vertx, graph.name())));
    assistants = new Assistants(graphs);
    registry = new Registry(options.getMaxThreads(), options.getMaxRuns(), shared,
        shared == null ? null : PeerRuns.newAddress());
    runs = new RunService(clients, registry, assistants, options);
    peers = shared == null ? null : new PeerRuns(vertx, registry, runs, options);
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
    int instances = options.getHttpInstances() > 0 ? options.getHttpInstances() : eventLoops(vertx);
    // Vert.x shares one listening socket between the servers of one Vert.x instance listening on the same host and
    // port, and hands each connection to one of them in turn; port 0 is never shared (each server would get a port of
    // its own), a negative port is Vert.x's shared random port: the servers listening on the same negative port share
    // one free port. Each server verticle takes a negative port of its own.
    int port = options.getPort() != 0 ? options.getPort()
        : -(RANDOM_PORT_GROUP_BASE + RANDOM_PORT_GROUPS.incrementAndGet());
    Future<Void> listening = peers == null ? Future.succeededFuture() : peers.listen();
    return listening.compose(v -> vertx.deployVerticle(() -> {
      HttpVerticle instance = new HttpVerticle(this::requests, http(port), options.getKeepAliveTimeoutMs(),
          options.isHttp2BatchFlushes());
      synchronized (servers) {
        servers.add(instance);
      }
      return instance;
    }, new DeploymentOptions().setInstances(instances)));
  }

  /** The event loops of {@code vertx} ({@code VertxOptions.eventLoopPoolSize}). */
  static int eventLoops(io.vertx.core.Vertx vertx) {
    int count = 0;
    for (io.netty.util.concurrent.EventExecutor loop : ((io.vertx.core.internal.VertxInternal) vertx)
        .nettyEventLoopGroup()) {
      count++;
    }
    return Math.max(1, count);
  }

  /** How many HTTP instances serve the port ({@link ServerOptions#setHttpInstances}, resolved). */
  public int httpInstances() {
    synchronized (servers) {
      return servers.size();
    }
  }

  private HttpServerOptions http(int port) {
    // no WebSocket compression: the API has no WebSocket, and the extension handler Vert.x puts on every
    // connection's pipeline for it sees every write (every SSE chunk) and costs a handler per connection
    HttpServerOptions http = new HttpServerOptions().setHost(options.getHost()).setPort(port)
        .setCompressionSupported(false).setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
    http.getInitialSettings().setMaxConcurrentStreams(options.getHttp2MaxStreams());
    if (options.getAcceptBacklog() > 0) {
      http.setAcceptBacklog(options.getAcceptBacklog());
    }
    return http;
  }

  /**
   * The request handler of one HTTP instance, made on its loop: {@code POST /runs/stream} and {@code /runs/wait}
   * straight ({@link StatelessRuns}, without vertx-web, when nothing in front of them in the router could take
   * them), every other request through the instance's router.
   */
  private io.vertx.core.Handler<io.vertx.core.http.HttpServerRequest> requests(io.vertx.core.Vertx vertx) {
    List<io.vertx.ext.web.Route> installed = new ArrayList<>();
    Auth auth = new Auth(vertx, options);
    RunRoutes runRoutes = new RunRoutes(vertx, registry, runs, options, peers, openStreams, home);
    Router router = router(vertx, auth, runRoutes, installed);
    StatelessRuns direct = new StatelessRuns(runRoutes, auth, options, installed);
    return request -> {
      if (!direct.handle(request)) {
        router.handle(request);
      }
    };
  }

  /**
   * The router of one HTTP instance, made on its loop: what needs no server state runs there (authentication, body
   * limits, {@code /ok}, {@code /info}, the installers' routes, the stateless runs); then every other route is handed
   * to the server verticle's context, where the thread and run records live ({@link Confined}).
   *
   * @param installed receives the routes the installers added
   */
  private Router router(io.vertx.core.Vertx vertx, Auth auth, RunRoutes runRoutes,
                        List<io.vertx.ext.web.Route> installed) {
    Router router = Router.router(vertx);
    if (!options.getCorsOrigins().isEmpty()) {
      router.route().handler(cors());
    }
    int before = router.getRoutes().size();
    publicRoutes.forEach(installer -> installer.accept(router));
    installed.addAll(router.getRoutes().subList(before, router.getRoutes().size()));
    router.route().handler(BodyHandler.create(false).setBodyLimit(options.getMaxBodyBytes()));
    router.route().handler(auth::handle);
    before = router.getRoutes().size();
    routes.forEach(installer -> installer.accept(router));
    installed.addAll(router.getRoutes().subList(before, router.getRoutes().size()));
    router.get("/ok").handler(ctx -> ctx.json(new JsonObject().put("ok", true)));
    router.get("/info").handler(ctx -> ctx.json(info()));
    // vertx-web tries routes in order, a path with parameters by a regex match: the runs endpoints (the hot ones)
    // come first, the stateless ones (exact paths) before any pattern; thread runs after the thread adoption they need
    runRoutes.mountStateless(router);
    // from here on, on the home context: the records of threads and their runs are confined to it
    router.route().handler(ctx -> Confined.run(home, ctx::next));
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
    UnsupportedRoutes.mount(router);
    router.route().last().handler(ctx -> ctx.fail(new ApiException(404, "No route " + ctx.request().method() + " "
        + ctx.normalizedPath() + "; see LangGraph Server's API.")));
    router.route().failureHandler(ServerVerticle::failure);
    return router;
  }

  /** The port the server listens on (the one picked when {@link ServerOptions#setPort} was 0). */
  public int actualPort() {
    synchronized (servers) {
      return servers.get(0).actualPort();
    }
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
    answer(ctx.response(), ctx.failure(), ctx.statusCode(), ctx.request().getHeader("Origin"));
  }

  /**
   * Answers {@code failure} on {@code response} as LangGraph's {@code {"detail": "..."}} with its status (an
   * {@link ApiException}'s, else {@code statusCode}, the status a vertx-web handler failed with); resets the
   * response when its head was already written. Call on the response's event loop.
   *
   * @param origin the request's {@code Origin} header, named in a CORS refusal
   */
  static void answer(io.vertx.core.http.HttpServerResponse response, Throwable failure, int statusCode,
                     String origin) {
    int status;
    String detail;
    if (failure instanceof ApiException) {
      status = ((ApiException) failure).status();
      detail = failure.getMessage();
    } else if (failure != null && statusCode == 403 && String.valueOf(failure.getMessage()).startsWith("CORS")) {
      status = 403; // vertx-web's CorsHandler: an origin not in ServerOptions.corsOrigins
      detail = "Origin '" + origin + "' may not call this server (CORS); the allowed "
          + "origins are ServerOptions.corsOrigins ('server.corsOrigins' in serve's --conf).";
    } else if (failure != null && !(failure instanceof io.vertx.ext.web.handler.HttpException)) {
      ApiException api = ApiException.of(failure);
      status = api.status();
      detail = api.getMessage();
    } else {
      status = statusCode > 0 ? statusCode : 500;
      detail = status == 413 ? "The request body is larger than the server's limit (ServerOptions.maxBodyBytes)."
          : status == 401 ? "Authentication required." : status == 403 ? "Forbidden." : status == 404 ? "Not Found."
          : status == 405 ? "Method Not Allowed." : "Request failed with status " + status + ".";
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    if (response.ended() || response.closed()) {
      return;
    }
    response.setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("detail", detail).encode());
  }
}
