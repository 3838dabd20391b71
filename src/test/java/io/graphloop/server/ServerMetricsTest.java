package io.graphloop.server;

import io.graphloop.ops.PrometheusMetrics;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.support.OnLoop;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With Vert.x metrics on (as {@code serve} runs by default), {@code vertx_http_server_active_connections} is one gauge
 * that counts the connections of every HTTP instance of the server (one per event loop on one port), in the registry
 * and in its Prometheus scrape, and it is registered once: vertx-micrometer re-registered it at each new connection
 * (vert-x3/vertx-micrometer-metrics#259), which made Micrometer log "This Gauge has been already registered" (once
 * per JVM as a warning, then at debug level) through SLF4J when an application has it, where no JDK log filter can
 * drop it. Real HTTP server on 127.0.0.1 with 4 event loops, 4 keep-alive connections; every re-registration Micrometer
 * logs (any level) is captured on the JDK logger it writes to here (no SLF4J provider on the test class path).
 */
class ServerMetricsTest {

  private static final int LOOPS = 4;

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void theHttpInstancesShareTheirMeters() throws Throwable {
    List<String> warnings = new CopyOnWriteArrayList<>();
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          warnings.add(record.getLoggerName() + ": " + record.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
    Logger micrometer = Logger.getLogger("io.micrometer.core.instrument.MeterRegistry");
    micrometer.addHandler(capture); // directly on its logger: it is checked before any handler of the root
    java.util.logging.Level level = micrometer.getLevel();
    micrometer.setLevel(java.util.logging.Level.ALL); // the re-registrations after Micrometer's first: debug level
    List<String> reRegistered = new CopyOnWriteArrayList<>();
    PrometheusMeterRegistry registry = PrometheusMetrics.registry();
    Vertx vertx = PrometheusMetrics.vertxBuilder(new VertxOptions().setEventLoopPoolSize(LOOPS), registry).build();
    Vertx clientVertx = Vertx.vertx(); // the clients' pools have meters of their own: not on the server's registry
    java.util.logging.Filter quiet = micrometer.getFilter(); // GraphloopMetricsFactory's, which drops them: see all
    micrometer.setFilter(record -> {
      if (String.valueOf(record.getMessage()).contains("already registered")) {
        reRegistered.add(record.getLevel() + " " + record.getMessage());
      }
      return false;
    });
    VertxTestContext test = new VertxTestContext();
    try {
      ServerVerticle server = new ServerVerticle(List.of(SdkGraphs.echo()), new ServerOptions().setHost("127.0.0.1")
          .setPort(0));
      List<HttpClient> clients = new ArrayList<>();
      GraphRuntime.deploy(vertx, SdkGraphs.echo(), new GraphRuntimeOptions()
              .setCheckpointer(new JsonObject().put("type", "memory")))
          .compose(runtime -> vertx.deployVerticle(server))
          .compose(deployed -> OnLoop.run(clientVertx, () -> { // not from the server's loop: another Vert.x's
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < LOOPS; i++) {
              HttpClient client = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                  new PoolOptions().setHttp1MaxSize(1));
              clients.add(client);
              calls.add(client.request(HttpMethod.GET, server.actualPort(), "127.0.0.1", "/ok")
                  .compose(request -> request.send()).compose(response -> response.body()));
            }
            return Future.all(calls);
          }))
          .onComplete(test.succeeding(all -> test.verify(() -> {
            assertEquals(LOOPS, server.httpInstances());
            double open = 0;
            for (Gauge gauge : registry.find("vertx.http.server.active.connections").gauges()) {
              open += gauge.value();
            }
            assertEquals(LOOPS, open, "every instance's connections are counted: " + registry.scrape());
            assertEquals(1, registry.find("vertx.http.server.active.connections").gauges().size());
            assertTrue(registry.scrape().lines().anyMatch(line -> line.equals("vertx_http_server_active_connections "
                + (double) LOOPS)), "the scrape shows them: " + registry.scrape());
            assertEquals(List.of(), reRegistered, "no gauge is registered twice");
            micrometer.setFilter(quiet);
            assertTrue(warnings.stream().noneMatch(line -> line.contains("already registered")), "warned: " + warnings);
            // Micrometer warns once per JVM: whatever ran before in this JVM, the filter must drop exactly that warning
            java.util.logging.Filter filter = micrometer.getFilter();
            assertTrue(filter != null && !filter.isLoggable(new LogRecord(java.util.logging.Level.WARNING, "This Gauge "
                + "has been already registered (MeterId{name='vertx.http.server.active.connections', tags=[]}), the "
                + "registration will be ignored.")), "vertx-micrometer's re-registration warning is dropped");
            assertTrue(filter.isLoggable(new LogRecord(java.util.logging.Level.WARNING, "This Gauge has been already "
                + "registered (MeterId{name='graphloop.runs.active', tags=[]})")), "other gauges' warnings are kept");
            test.completeNow();
          })));
      assertTrue(test.awaitCompletion(25, TimeUnit.SECONDS), "the server answered");
      if (test.failed()) {
        throw test.causeOfFailure();
      }
    } finally {
      micrometer.setFilter(quiet);
      micrometer.setLevel(level);
      micrometer.removeHandler(capture);
      clientVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
