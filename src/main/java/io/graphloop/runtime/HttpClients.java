package io.graphloop.runtime;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP clients of one deployment, handed to nodes through {@code NodeContext.webClient()}: created
 * once when the graph is deployed (the {@code "default"} one lazily, named ones from
 * {@code GraphRuntimeOptions.httpClients}), closed when it is undeployed. Nodes never build a client per call.
 *
 * <p>Thread-safe: Vert.x web clients may be used from any thread; creation of the default is synchronized.
 */
final class HttpClients {

  private static final String DEFAULT = "default";

  private final Vertx vertx;
  private final Map<String, WebClient> named = new LinkedHashMap<>();
  private WebClient defaultClient;
  private boolean closed;

  HttpClients(Vertx vertx, JsonObject options) {
    this.vertx = vertx;
    for (String name : options.fieldNames()) {
      WebClient client = WebClient.create(vertx, new WebClientOptions(options.getJsonObject(name)));
      if (name.equals(DEFAULT)) {
        defaultClient = client;
      } else {
        named.put(name, client);
      }
    }
  }

  synchronized WebClient defaultClient() {
    if (closed) {
      throw new IllegalStateException("The graph was undeployed; its HTTP clients are closed.");
    }
    if (defaultClient == null) {
      defaultClient = WebClient.create(vertx, new WebClientOptions());
    }
    return defaultClient;
  }

  WebClient named(String name) {
    if (DEFAULT.equals(name)) {
      return defaultClient();
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
