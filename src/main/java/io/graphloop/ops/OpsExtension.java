package io.graphloop.ops;

import io.graphloop.server.ServerExtension;
import io.graphloop.server.ServerVerticle;
import io.vertx.core.Vertx;

/**
 * Mounts the operations endpoints on {@code serve}'s HTTP server (a {@link ServerExtension}, listed in
 * {@code META-INF/services/io.graphloop.server.ServerExtension}): {@code /health/live} and {@code /health/ready} as
 * public routes (orchestrators' probes carry no credentials), {@code /metrics} after the server's authentication like
 * the API. It serves the {@link Operations} started on the same Vert.x ({@link Operations#of}); a server on a Vert.x
 * without them gets liveness only.
 *
 * <p>Thread rules: {@link #install} runs once on the thread that builds the server; the routes run on its event loop
 * and never block.
 */
public final class OpsExtension implements ServerExtension {

  @Override
  public void install(Vertx vertx, ServerVerticle server) {
    Operations ops = Operations.of(vertx);
    if (ops == null) {
      server.publicRoutes(OpsRoutes::mountLiveness);
      return;
    }
    server.publicRoutes(ops::mountHealth);
    server.routes(ops::mountMetrics);
  }
}
