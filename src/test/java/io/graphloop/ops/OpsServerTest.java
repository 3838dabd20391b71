package io.graphloop.ops;

import io.graphloop.support.PrometheusText;

import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operations endpoints over real HTTP on 127.0.0.1: liveness, readiness that turns DOWN when draining, metrics. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class OpsServerTest {

  @Test
  void readinessIsUpThenDownWhileDrainingAndMetricsAreScraped(VertxTestContext ctx) {
    PrometheusMeterRegistry registry = PrometheusMetrics.registry();
    Vertx vertx = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();
    StateGraph graph = new StateGraph("ops-ready").addEdge(START, "a").addEdge("a", END)
        .addNode("a", (state, c) -> Future.succeededFuture(Map.of("a", 1)));
    WebClient web = WebClient.create(vertx);
    GraphRuntime.deploy(vertx, graph.compile(), new GraphRuntimeOptions()
        .setCheckpointer(new JsonObject().put("type", "memory"))).compose(runtime -> {
          GraphloopMeters.bind(registry, runtime);
          Readiness readiness = new Readiness(vertx, 2_000).add(runtime);
          OpsServer server = new OpsServer("127.0.0.1", 0, readiness, registry);
          return vertx.deployVerticle(server)
              .compose(id -> OpsRoutes.serveOnBus(vertx, readiness))
              .compose(c -> runtime.client().invoke(Map.of()))
              .compose(state -> get(web, server, "/health/live"))
              .compose(live -> {
                ctx.verify(() -> {
                  assertEquals(200, live.statusCode());
                  assertEquals("UP", live.bodyAsJsonObject().getString("status"));
                });
                return get(web, server, "/health/ready");
              })
              .compose(ready -> {
                ctx.verify(() -> {
                  assertEquals(200, ready.statusCode(), ready.bodyAsString());
                  JsonObject body = ready.bodyAsJsonObject();
                  assertEquals("UP", body.getString("outcome"));
                  assertTrue(body.encode().contains("graph.ops-ready"), body.encode());
                  assertTrue(body.encode().contains("memory") || body.encode().contains("checkpointer"),
                      "the store was read: " + body.encode());
                });
                return get(web, server, "/metrics");
              })
              .compose(metrics -> {
                ctx.verify(() -> {
                  assertEquals(200, metrics.statusCode());
                  assertTrue(metrics.getHeader("content-type").startsWith("text/plain"));
                  PrometheusText text = new PrometheusText(metrics.bodyAsString());
                  assertEquals(1, text.value("graphloop_runs_ended_total",
                      Map.of("graph", "ops-ready", "outcome", "success")));
                  assertTrue(text.hasPrefix("vertx_http_server_"), "Vert.x's HTTP metrics alongside");
                });
                return runtime.drain(10_000);
              })
              .compose(left -> get(web, server, "/health/ready"))
              .compose(draining -> {
                ctx.verify(() -> {
                  assertEquals(503, draining.statusCode(), draining.bodyAsString());
                  assertEquals("DOWN", draining.bodyAsJsonObject().getString("outcome"));
                  assertTrue(draining.bodyAsString().contains("draining"), draining.bodyAsString());
                });
                readiness.draining();
                return vertx.eventBus().<JsonObject>request(OpsRoutes.healthAddress(vertx), "ready?");
              })
              .map(reply -> {
                ctx.verify(() -> {
                  assertEquals("graphloop.health.local", OpsRoutes.healthAddress(vertx));
                  assertEquals("DOWN", reply.body().getString("outcome"));
                  assertTrue(reply.body().encode().contains("the member is shutting down"), reply.body().encode());
                });
                return reply;
              });
        })
        .eventually(() -> vertx.close())
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void badArgumentsAreRefusedClearly() {
    Vertx vertx = Vertx.vertx();
    try {
      IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class, () -> new Readiness(vertx, 0));
      assertTrue(timeout.getMessage().contains("more than 0"), timeout.getMessage());
      IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
          () -> new OpsServer("127.0.0.1", 70000, new Readiness(vertx, 100), null));
      assertTrue(port.getMessage().contains("0 to 65535"), port.getMessage());
    } finally {
      vertx.close();
    }
  }

  private static Future<HttpResponse<Buffer>> get(WebClient web, OpsServer server, String path) {
    return web.get(server.actualPort(), "127.0.0.1", path).send();
  }
}
