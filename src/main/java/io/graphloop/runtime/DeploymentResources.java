package io.graphloop.runtime;

import io.graphloop.cache.NodeCacheOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * The option group of {@link GraphRuntimeOptions} for what a deployment is given rather than how it behaves: the
 * checkpoint store's configuration ({@code checkpointer}), the node cache over that store ({@code nodeCache}), the
 * named HTTP clients of its nodes ({@code httpClients}) and the long-term store handed to them (an object, not part of
 * the JSON form). Same checks and errors as the options' setters, which delegate here.
 *
 * <p>Thread rules: immutable; the JSON objects and cache options are copied in (here) and out (by the options'
 * getters), so no caller holds this group's own; any thread.
 */
record DeploymentResources(JsonObject checkpointer, NodeCacheOptions nodeCache, JsonObject httpClients,
                           io.graphloop.store.Store store) {

  /** No checkpointer, node cache, HTTP client or store. */
  static final DeploymentResources NONE = new DeploymentResources(null, null, new JsonObject(), null);

  DeploymentResources {
    checkpointer = checkpointer == null ? null : checkpointer.copy();
    nodeCache = nodeCache == null ? null : new NodeCacheOptions(nodeCache);
    Objects.requireNonNull(httpClients, "httpClients");
    for (String name : httpClients.fieldNames()) {
      HttpClients.checkOptions(name, httpClients.getValue(name));
    }
    httpClients = httpClients.copy();
  }

  DeploymentResources withCheckpointer(JsonObject checkpointer) {
    return new DeploymentResources(checkpointer, nodeCache, httpClients, store);
  }

  DeploymentResources withNodeCache(NodeCacheOptions nodeCache) {
    return new DeploymentResources(checkpointer, nodeCache, httpClients, store);
  }

  DeploymentResources withHttpClients(JsonObject httpClients) {
    return new DeploymentResources(checkpointer, nodeCache, httpClients, store);
  }

  /** With HTTP client {@code name} added (or replaced). */
  DeploymentResources withHttpClient(String name, JsonObject options) {
    HttpClients.checkOptions(Objects.requireNonNull(name, "name"), options);
    return withHttpClients(httpClients.copy().put(name, options.copy()));
  }

  DeploymentResources withStore(io.graphloop.store.Store store) {
    return new DeploymentResources(checkpointer, nodeCache, httpClients, store);
  }
}
