package io.graphloop.ops;

import io.graphloop.support.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link HttpServerMeters} through {@link PrometheusMetrics#vertxBuilder}: for the same requests, the same
 * {@code vertx_http_server_*} series (names, labels, types) and the same counts, byte sums and active requests as
 * Vert.x's own HTTP server metrics (vertx-micrometer-metrics); Vert.x's implementation kept whole when a label whose
 * values are unbounded ({@code path}) is on; two servers on one registry adding up their active requests.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HttpServerMetersTest {

  private static final String PREFIX = "vertx_http_server_";

  @Test
  void theSameSeriesAndValuesAsVertxOwnHttpServerMetrics(VertxTestContext ctx) {
    PrometheusMeterRegistry vertxOwn = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx plain = Vertx.builder().with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true).setRegistryName("http-server-meters-vertx-own"))) // not the default: another test uses that
        .withMetrics(new MicrometerMetricsFactory(vertxOwn)).build();
    PrometheusMeterRegistry ours = PrometheusMetrics.registry();
    Vertx metered = PrometheusMetrics.vertxBuilder(new VertxOptions(), ours).build();
    traffic(plain).compose(v -> traffic(metered)).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      PrometheusText theirs = new PrometheusText(vertxOwn.scrape());
      PrometheusText mine = new PrometheusText(ours.scrape());
      Set<String> theirSeries = series(theirs);
      assertTrue(theirSeries.contains("vertx_http_server_requests_total{code=201,method=POST}"),
          theirSeries::toString);
      assertEquals(theirSeries, series(mine), "the same series");
      for (String family : families(theirs)) {
        assertEquals(theirs.type(family), mine.type(family), "type of " + family);
      }
      int compared = 0;
      for (PrometheusText.Sample sample : theirs.samples()) {
        String name = sample.name();
        if (name.startsWith(PREFIX) && !name.contains("_seconds") && !name.contains("bytes_read")
            && !name.contains("bytes_written")) { // durations differ; connection bytes count the ports' digits
          assertEquals(sample.value(), mine.value(name, sample.labels()), name + sample.labels());
          compared++;
        }
      }
      assertTrue(compared >= 20, "compared " + compared);
      assertEquals(3, mine.value("vertx_http_server_requests_total", Map.of("code", "200", "method", "GET")));
      assertEquals(2, mine.value("vertx_http_server_request_bytes_count", Map.of("method", "POST")));
      assertEquals(2 * 11, mine.value("vertx_http_server_request_bytes_sum", Map.of("method", "POST")));
      assertEquals(2 * 11, mine.value("vertx_http_server_response_bytes_sum", Map.of("code", "201", "method",
          "POST")), "the echoed bodies");
      assertEquals(0, mine.value("vertx_http_server_active_requests", Map.of("method", "GET")));
      assertEquals(theirs.value("vertx_http_server_response_time_seconds_count", Map.of("code", "404", "method",
          "GET")), mine.value("vertx_http_server_response_time_seconds_count", Map.of("code", "404", "method",
          "GET")));
      plain.close().compose(c -> metered.close()).onComplete(ctx.succeedingThenComplete());
    })));
  }

  @Test
  void aPathLabelKeepsVertxOwnImplementation(VertxTestContext ctx) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true)
        .setRegistryName("http-server-meters-path").addLabels(Label.HTTP_PATH);
    Vertx vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(options))
        .withMetrics(new GraphloopMetricsFactory(registry)).build();
    traffic(vertx).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      PrometheusText scrape = new PrometheusText(registry.scrape());
      assertEquals(3, scrape.value("vertx_http_server_requests_total", Map.of("code", "200", "method", "GET",
          "path", "/ok")));
      assertEquals(1, scrape.value("vertx_http_server_requests_total", Map.of("code", "404", "method", "GET",
          "path", "/missing")));
      vertx.close().onComplete(ctx.succeedingThenComplete());
    })));
  }

  @Test
  void twoServersOnOneRegistryAddUpTheirActiveRequests(VertxTestContext ctx) {
    PrometheusMeterRegistry registry = PrometheusMetrics.registry();
    Vertx vertx = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();
    List<HttpServerRequest> held = new ArrayList<>();
    double[] activeWhileHeld = {-1};
    Promise<Void> bothHeld = Promise.promise();
    io.vertx.core.Handler<HttpServerRequest> hold = request -> {
      synchronized (held) {
        held.add(request);
        if (held.size() == 2) {
          activeWhileHeld[0] = new PrometheusText(registry.scrape()).value("vertx_http_server_active_requests",
              Map.of("method", "GET"));
          held.forEach(r -> r.response().end("done"));
          bothHeld.complete();
        }
      }
    };
    HttpServer first = vertx.createHttpServer().requestHandler(hold);
    HttpServer second = vertx.createHttpServer().requestHandler(hold);
    HttpClient client = vertx.createHttpClient();
    Future.all(first.listen(0, "127.0.0.1"), second.listen(0, "127.0.0.1")).compose(listening -> Future.all(
            send(client, HttpMethod.GET, first.actualPort(), "/hold", null),
            send(client, HttpMethod.GET, second.actualPort(), "/hold", null)))
        .compose(sent -> bothHeld.future()).compose(done -> vertx.timer(50))
        .onComplete(ctx.succeeding(v -> ctx.verify(() -> {
          assertEquals(2, activeWhileHeld[0], "both servers' held requests in one gauge");
          PrometheusText scrape = new PrometheusText(registry.scrape());
          assertEquals(0, scrape.value("vertx_http_server_active_requests", Map.of("method", "GET")));
          assertEquals(2, scrape.value("vertx_http_server_requests_total", Map.of("code", "200", "method", "GET")));
          assertFalse(series(scrape).stream().anyMatch(s -> s.startsWith("vertx_http_server_active_requests{}")),
              "no series without a method: no response was pushed");
          vertx.close().onComplete(ctx.succeedingThenComplete());
        })));
  }

  /**
   * A server on 127.0.0.1 (GET /ok: 200 "hello"; POST /made: 201 echoing the body; anything else 404) and, one after
   * another, three GET /ok, two POST /made of 11 bytes, one GET /missing, one DELETE /ok (405). Completes a little
   * after the last response, so that the server has ended every request.
   */
  private static Future<Void> traffic(Vertx vertx) {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      if (request.path().equals("/ok") && request.method() == HttpMethod.GET) {
        request.response().end("hello");
      } else if (request.path().equals("/ok")) {
        request.response().setStatusCode(405).end();
      } else if (request.path().equals("/made")) {
        request.body().onSuccess(body -> request.response().setStatusCode(201).end(body));
      } else {
        request.response().setStatusCode(404).end();
      }
    });
    HttpClient client = vertx.createHttpClient();
    return server.listen(0, "127.0.0.1").compose(listening -> {
      int port = server.actualPort();
      Future<?> chain = Future.succeededFuture();
      List<Object[]> requests = List.of(new Object[] {HttpMethod.GET, "/ok", null},
          new Object[] {HttpMethod.GET, "/ok", null}, new Object[] {HttpMethod.GET, "/ok", null},
          new Object[] {HttpMethod.POST, "/made", "hello world"},
          new Object[] {HttpMethod.POST, "/made", "hello world"},
          new Object[] {HttpMethod.GET, "/missing", null}, new Object[] {HttpMethod.DELETE, "/ok", null});
      for (Object[] r : requests) {
        chain = chain.compose(v -> send(client, (HttpMethod) r[0], port, (String) r[1], (String) r[2]));
      }
      return chain;
    }).compose(done -> vertx.timer(50)).mapEmpty();
  }

  private static Future<Buffer> send(HttpClient client, HttpMethod method, int port, String path, String body) {
    return client.request(new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path))
        .compose(request -> body == null ? request.send() : request.send(body))
        .compose(HttpClientResponse::body);
  }

  private static Set<String> families(PrometheusText scrape) {
    return scrape.samples().stream().map(PrometheusText.Sample::name).filter(n -> n.startsWith(PREFIX))
        .map(n -> n.replaceAll("_(count|sum|max|total)$", "")).filter(n -> scrape.type(n) != null)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** The {@code vertx_http_server_} series of a scrape, as {@code name{label=value,...}}. */
  private static Set<String> series(PrometheusText scrape) {
    return scrape.samples().stream().filter(s -> s.name().startsWith(PREFIX))
        .map(s -> s.name() + new TreeMap<>(s.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",", "{", "}")))
        .collect(Collectors.toSet());
  }
}
