package io.graphloop.runtime;

import io.graphloop.graph.NodeContext;
import io.graphloop.protocol.NodeRequest;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;

import java.util.Map;

/**
 * The {@link NodeContext} of one node execution.
 *
 * <p>Immutable; may be read from any thread.
 */
final class ExecutionContext implements NodeContext {

  private final Vertx vertx;
  private final NodeRequest request;
  private final HttpClients httpClients;

  ExecutionContext(Vertx vertx, NodeRequest request, HttpClients httpClients) {
    this.vertx = vertx;
    this.request = request;
    this.httpClients = httpClients;
  }

  @Override
  public String graph() {
    return request.graph();
  }

  @Override
  public String runId() {
    return request.runId();
  }

  @Override
  public int step() {
    return request.step();
  }

  @Override
  public String node() {
    return request.node();
  }

  @Override
  public int attempt() {
    return request.attempt();
  }

  @Override
  public int maxAttempts() {
    return request.maxAttempts();
  }

  @Override
  public Map<String, Object> config() {
    return request.config();
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public WebClient webClient() {
    return httpClients.defaultClient();
  }

  @Override
  public WebClient webClient(String name) {
    return httpClients.named(name);
  }
}
