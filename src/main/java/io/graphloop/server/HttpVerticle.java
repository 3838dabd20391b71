package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

import java.util.function.Function;

/**
 * One HTTP instance of a {@link ServerVerticle}: a request handler (its router, and the direct stateless runs) and an
 * HTTP server on the port the server verticle's
 * instances share, deployed on an event loop of its own. Vert.x hands each accepted connection to one of the
 * instances listening on the same host and port (round robin), and every request of that connection is parsed,
 * routed and answered on that instance's loop.
 *
 * <p>Thread rules: confined to its own context; {@link #actualPort} may be read from any thread once deployed.
 */
final class HttpVerticle extends VerticleBase {

  private final Function<Vertx, Handler<HttpServerRequest>> routes;
  private final HttpServerOptions options;
  private final long keepAliveTimeoutMs;
  private final boolean batchFlushes;
  private volatile HttpServer server;

  /**
   * @param routes  makes this instance's request handler, on its context
   * @param options where to listen (the port the other instances share)
   * @param keepAliveTimeoutMs how long a connection may stay without a request in flight ({@link KeepAliveTimeouts})
   * @param batchFlushes       whether HTTP/2 connections batch their socket writes ({@link FlushBatching})
   */
  HttpVerticle(Function<Vertx, Handler<HttpServerRequest>> routes, HttpServerOptions options,
               long keepAliveTimeoutMs, boolean batchFlushes) {
    this.routes = routes;
    this.options = new HttpServerOptions(options);
    this.keepAliveTimeoutMs = keepAliveTimeoutMs;
    this.batchFlushes = batchFlushes;
  }

  @Override
  public Future<?> start() {
    Handler<HttpServerRequest> requests = routes.apply(vertx);
    HttpServer created = vertx.createHttpServer(options);
    server = created;
    KeepAliveTimeouts idle = new KeepAliveTimeouts(vertx, keepAliveTimeoutMs);
    return created.connectionHandler(connection -> {
      idle.opened(connection);
      if (batchFlushes) {
        FlushBatching.install(connection);
      }
    }).requestHandler(request -> {
      idle.request(request);
      requests.handle(request);
    }).listen();
  }

  /** The port this instance listens on. */
  int actualPort() {
    return server.actualPort();
  }
}
