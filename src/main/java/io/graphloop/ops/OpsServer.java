package io.graphloop.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * An HTTP server of its own for the operations endpoints ({@link OpsRoutes}: {@code /health/live},
 * {@code /health/ready}, {@code /metrics} when a registry is given), for a member that serves no API ({@code graphloop
 * member --ops-port 9090}). Anything else is 404.
 *
 * <p>Thread rules: one instance, confined to its event-loop context.
 */
public final class OpsServer extends VerticleBase {

  private final String host;
  private final int port;
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;
  private HttpServer server;

  /**
   * @param registry the metrics to serve, or {@code null} for health only
   */
  public OpsServer(String host, int port, Readiness readiness, PrometheusMeterRegistry registry) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("The operations port is 0 to 65535 (0 picks a free one), was " + port + ".");
    }
    this.host = host;
    this.port = port;
    this.readiness = readiness;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    OpsRoutes.mountHealth(router, readiness);
    if (registry != null) {
      OpsRoutes.mountMetrics(router, registry);
    }
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(port, host);
  }

  /** The port it listens on (the one picked when it was given 0). */
  public int actualPort() {
    return server.actualPort();
  }
}
