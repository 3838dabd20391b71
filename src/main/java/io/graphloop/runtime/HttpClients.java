package io.graphloop.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP clients of one deployment, handed to nodes through {@code NodeContext.webClient()}: created
 * once when the graph is deployed (the {@code "default"} one with default options unless configured, named
 * ones from {@code GraphRuntimeOptions.httpClients}), closed when it is undeployed. Nodes never build a client
 * per call. The default is not created lazily on a node's first call: that would run client creation (and its
 * class loading, ~100+ ms the first time in a JVM) on the node's event loop, under a lock other loops wait on,
 * and the node would be reported as having blocked its event loop.
 *
 * <p>Each name has one client per event loop ({@link #PER_EVENT_LOOP}, the default), and a node gets its own loop's:
 * a client creates its connections on the loop that asks for one, so every connection of a loop's client lives on
 * that loop, and the response a node reads (a model's streamed tokens) is read on the node's own loop instead of
 * being handed over from whichever loop a shared pool's connection was made on (Vert.x's pool picks the connection
 * used last, whatever its loop: a thread wake-up per chunk). The {@code pool} options (e.g. {@code http1MaxSize})
 * then bound each loop's client: a deployment on 4 event loops may open 4 times as many connections to a host. A
 * client configured with {@code "perEventLoop": false} is one client with one pool for every loop (an exact
 * bound on connections, at a hop per response chunk when a connection of another loop serves a node).
 *
 * <p>Thread-safe: Vert.x web clients may be used from any thread; the clients are created before the node
 * verticles that hand them out are deployed, the per-loop maps are not changed after, and the closed flag is
 * volatile.
 */
final class HttpClients {

  private static final String DEFAULT = "default";
  /** The field of a client's JSON that holds its connection pool's {@code PoolOptions} (e.g. http1MaxSize). */
  static final String POOL = "pool";
  /** The field of a client's JSON that says whether it is one client per event loop (default true) or one shared. */
  static final String PER_EVENT_LOOP = "perEventLoop";

  private final Map<String, Clients> named = new LinkedHashMap<>();
  private final Clients defaultClients;
  private volatile boolean closed;

  HttpClients(Vertx vertx, JsonObject options) {
    Clients configuredDefault = null;
    for (String name : options.fieldNames()) {
      JsonObject clientOptions = options.getJsonObject(name).copy();
      Object pool = clientOptions.remove(POOL);
      Object perLoop = clientOptions.remove(PER_EVENT_LOOP);
      Clients clients = new Clients(vertx, !Boolean.FALSE.equals(perLoop), () -> pool == null
          ? WebClient.create(vertx, new WebClientOptions(clientOptions))
          : WebClient.create(vertx, new WebClientOptions(clientOptions), poolOptions((JsonObject) pool)));
      if (name.equals(DEFAULT)) {
        configuredDefault = clients;
      } else {
        named.put(name, clients);
      }
    }
    defaultClients = configuredDefault != null ? configuredDefault
        : new Clients(vertx, true, () -> WebClient.create(vertx, new WebClientOptions()));
  }

  /** Vert.x's PoolOptions(JsonObject) leaves unnamed fields unset (null units): start from the defaults. */
  private static PoolOptions poolOptions(JsonObject json) {
    return new PoolOptions(new PoolOptions().toJson().mergeIn(json));
  }

  /** The default client of the calling thread's event loop (see the class comment). */
  WebClient defaultClient() {
    if (closed) {
      throw new IllegalStateException("The graph was undeployed; its HTTP clients are closed.");
    }
    return defaultClients.current();
  }

  /** The client {@code name} of the calling thread's event loop. */
  WebClient named(String name) {
    if (DEFAULT.equals(name)) {
      return defaultClient();
    }
    if (closed) {
      throw new IllegalStateException("The graph was undeployed; its HTTP clients are closed.");
    }
    Clients clients = named.get(name);
    if (clients == null) {
      throw new IllegalArgumentException("No HTTP client named '" + name + "'; configured clients are "
          + named.keySet() + " (add one with GraphRuntimeOptions.addHttpClient(name, webClientOptionsJson)).");
    }
    return clients.current();
  }

  synchronized Future<Void> close() {
    closed = true;
    List<WebClient> all = new ArrayList<>();
    named.values().forEach(clients -> all.addAll(clients.all()));
    all.addAll(defaultClients.all());
    all.forEach(WebClient::close);
    return Future.succeededFuture();
  }

  /**
   * The clients of one name: one per event loop of the Vert.x instance, found by the calling context's loop (a worker
   * context's too: Vert.x gives each an event loop, where its connections are made), or a single shared one.
   */
  private static final class Clients {
    private final WebClient shared;
    /** The client of each event loop (by identity), or {@code null} when shared; never changed after construction. */
    private final Map<Object, WebClient> byLoop;

    Clients(Vertx vertx, boolean perLoop, java.util.function.Supplier<WebClient> create) {
      this.shared = create.get();
      Map<Object, WebClient> clients = null;
      if (perLoop && vertx instanceof VertxInternal internal) {
        clients = new IdentityHashMap<>();
        boolean first = true;
        for (EventExecutor loop : internal.nettyEventLoopGroup()) {
          clients.put(loop, first ? shared : create.get());
          first = false;
        }
      }
      this.byLoop = clients;
    }

    WebClient current() {
      if (byLoop == null) {
        return shared;
      }
      io.vertx.core.Context context = Vertx.currentContext();
      WebClient own = context instanceof ContextInternal internal ? byLoop.get(internal.nettyEventLoop()) : null;
      return own != null ? own : shared; // (no context: a plain thread, whose requests Vert.x puts on a loop of its own)
    }

    List<WebClient> all() {
      return byLoop == null ? List.of(shared) : new ArrayList<>(byLoop.values());
    }
  }

  /**
   * Checks one named client's options of {@code GraphRuntimeOptions.httpClients}: a JSON object whose {@link #POOL}, if
   * any, is an object and whose {@link #PER_EVENT_LOOP}, if any, is a boolean.
   *
   * @throws IllegalArgumentException naming the client and the field
   */
  static void checkOptions(String name, Object options) {
    if (!(options instanceof JsonObject json)) {
      throw new IllegalArgumentException("httpClients." + name + " must be a JSON object of WebClientOptions");
    }
    Object pool = json.getValue(POOL);
    if (pool != null && !(pool instanceof JsonObject)) {
      throw new IllegalArgumentException("httpClients." + name + ".pool must be a JSON object of PoolOptions "
          + "(e.g. {\"http1MaxSize\": 100}), was " + pool);
    }
    Object perLoop = json.getValue(PER_EVENT_LOOP);
    if (perLoop != null && !(perLoop instanceof Boolean)) {
      throw new IllegalArgumentException("httpClients." + name + "." + PER_EVENT_LOOP + " must be true "
          + "(one client per event loop, the default) or false (one client shared by every loop), was " + perLoop);
    }
  }
}
