package io.graphloop.server;

import io.vertx.core.Vertx;

/**
 * Adds routes to every server that {@code serve} starts, found with {@link java.util.ServiceLoader} (list the class
 * in {@code META-INF/services/io.graphloop.server.ServerExtension}): a studio page, health checks, metrics. An app
 * that deploys {@link ServerVerticle} itself calls {@link ServerVerticle#publicRoutes} and
 * {@link ServerVerticle#routes} directly instead.
 *
 * <pre>{@code
 * public final class HealthRoutes implements ServerExtension {
 *   public void install(Vertx vertx, ServerVerticle server) {
 *     server.publicRoutes(router -> router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("ok", true))));
 *   }
 * }
 * }</pre>
 *
 * <p>Thread rules: {@link #install} runs once per server on the thread that builds it, before the verticle is
 * deployed; the installers it registers run on the verticle's event loop and must not block.
 */
public interface ServerExtension {

  /** Registers this extension's route installers on {@code server} (deployed next, on {@code vertx}). */
  void install(Vertx vertx, ServerVerticle server);
}
