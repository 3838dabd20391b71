package io.graphloop.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
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
 * <p>Thread-safe: Vert.x web clients may be used from any thread; the clients are created before the node
 * verticles that hand them out are deployed, and the closed flag is volatile.
 */
final class HttpClients {

  private static final String DEFAULT = "default";
  /** The field of a client's JSON that holds its connection pool's {@code PoolOptions} (e.g. http1MaxSize). */
  static final String POOL = "pool";

  private final Map<String, WebClient> named = new LinkedHashMap<>();
  private final WebClient defaultClient;
  private volatile boolean closed;

  HttpClients(Vertx vertx, JsonObject options) {
    WebClient configuredDefault = null;
    for (String name : options.fieldNames()) {
      JsonObject clientOptions = options.getJsonObject(name).copy();
      Object pool = clientOptions.remove(POOL);
      WebClient client = pool == null
          ? WebClient.create(vertx, new WebClientOptions(clientOptions))
          : WebClient.create(vertx, new WebClientOptions(clientOptions), poolOptions((JsonObject) pool));
      if (name.equals(DEFAULT)) {
        configuredDefault = client;
      } else {
        named.put(name, client);
      }
    }
    defaultClient = configuredDefault != null ? configuredDefault : WebClient.create(vertx, new WebClientOptions());
  }

  /** Vert.x's PoolOptions(JsonObject) leaves unnamed fields unset (null units): start from the defaults. */
  private static PoolOptions poolOptions(JsonObject json) {
    return new PoolOptions(new PoolOptions().toJson().mergeIn(json));
  }

  WebClient defaultClient() {
    if (closed) {
      throw new IllegalStateException("The graph was undeployed; its HTTP clients are closed.");
    }
    return defaultClient;
  }

  WebClient named(String name) {
    if (DEFAULT.equals(name)) {
      return defaultClient();
    }
    if (closed) {
      throw new IllegalStateException("The graph was undeployed; its HTTP clients are closed.");
    }
    WebClient client = named.get(name);
    if (client == null) {
      throw new IllegalArgumentException("No HTTP client named '" + name + "'; configured clients are "
          + named.keySet() + " (add one with GraphRuntimeOptions.addHttpClient(name, webClientOptionsJson)).");
    }
    return client;
  }

  synchronized Future<Void> close() {
    closed = true;
    List<WebClient> all = new ArrayList<>(named.values());
    if (defaultClient != null) {
      all.add(defaultClient);
    }
    all.forEach(WebClient::close);
    return Future.succeededFuture();
  }
}
