package io.graphloop.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;

/**
 * The operations endpoints, on any vertx-web {@link Router}:
 * <ul>
 *   <li>{@code GET /health/live}: liveness, {@code 200 {"status":"UP"}} while the event loop answers;</li>
 *   <li>{@code GET /health/ready}: readiness ({@link Readiness}), {@code 200} with {@code "outcome":"UP"} or
 *       {@code 503} with {@code "outcome":"DOWN"} and each check's status and data;</li>
 *   <li>{@code GET /metrics}: the Prometheus text format of a {@link PrometheusMeterRegistry}.</li>
 * </ul>
 * and readiness on the event bus at {@link #healthAddress} (reply: the same JSON as {@code /health/ready}).
 *
 * <p>Thread rules: the handlers run on the router's event loop and never block (a scrape formats the registry in
 * memory).
 */
public final class OpsRoutes {

  /** The content type of Prometheus' text format. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  /** The prefix of a member's health address; the member's cluster node id (or {@code local}) follows. */
  public static final String HEALTH_ADDRESS_PREFIX = "graphloop.health.";

  private OpsRoutes() {
  }

  /** Mounts {@code /health/live} and {@code /health/ready}, meant to need no credentials (orchestrators' probes). */
  public static void mountHealth(Router router, Readiness readiness) {
    mountLiveness(router);
    router.get("/health/ready").handler(HealthCheckHandler.createWithHealthChecks(readiness.healthChecks()));
  }

  /** Mounts {@code /health/live} only. */
  public static void mountLiveness(Router router) {
    router.get("/health/live").handler(ctx -> ctx.json(new JsonObject().put("status", "UP")));
  }

  /** Mounts {@code /metrics}. */
  public static void mountMetrics(Router router, PrometheusMeterRegistry registry) {
    router.get("/metrics").handler(ctx -> ctx.response().putHeader("content-type", PROMETHEUS_TEXT)
        .end(registry.scrape()));
  }

  /** This member's health address: {@code graphloop.health.<cluster node id>}, or {@code graphloop.health.local}. */
  public static String healthAddress(Vertx vertx) {
    io.vertx.core.spi.cluster.ClusterManager manager = vertx.isClustered()
        ? ((io.vertx.core.internal.VertxInternal) vertx).clusterManager() : null;
    return HEALTH_ADDRESS_PREFIX + (manager == null ? "local" : manager.getNodeId());
  }

  /**
   * Answers readiness requests at {@link #healthAddress} (any body): the reply is the readiness JSON, its
   * {@code outcome} {@code UP} or {@code DOWN}.
   */
  public static Future<MessageConsumer<Object>> serveOnBus(Vertx vertx, Readiness readiness) {
    MessageConsumer<Object> consumer = vertx.eventBus().consumer(healthAddress(vertx), message ->
        readiness.check().onComplete(result -> message.reply(result.succeeded() ? result.result().toJson()
            : new JsonObject().put("outcome", "DOWN").put("error", String.valueOf(result.cause())))));
    return consumer.completion().map(v -> consumer);
  }
}
