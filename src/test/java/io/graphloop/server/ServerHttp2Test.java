package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/2 clients (cleartext, prior knowledge: vertx-web-client and Vert.x's HTTP client) get the same answers as
 * HTTP/1.1 ones, and nothing fails on the server after a response has ended: an HTTP/2 response throws ("Response has
 * already been written") from {@code writeQueueFull}, {@code drainHandler} and the other setters once ended, and its
 * stream can close inside {@code end()} (the request was complete), running the close handler at once: a run ending
 * its joined streams was asked by that handler whether the ended response's queue was full (the error logged after
 * HTTP/2 runs; {@link RunRecord#leave} now keeps its own set of full responses). Every exception a handler
 * of the server's Vert.x lets escape ({@code Vertx.exceptionHandler}) and every record logged at WARNING or above
 * (java.util.logging) is captured and must stay empty. Real HTTP server on 127.0.0.1.
 */
@ExtendWith(VertxExtension.class)
class ServerHttp2Test {

  private Vertx vertx;
  private ServerVerticle server;
  private final List<Throwable> escaped = new CopyOnWriteArrayList<>();
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
        logged.add(record.getLoggerName() + ": " + record.getMessage()
            + (record.getThrown() == null ? "" : " " + record.getThrown()));
      }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
  };

  @BeforeEach
  void start(VertxTestContext test) {
    Logger.getLogger("").addHandler(capture);
    vertx = Vertx.vertx();
    vertx.exceptionHandler(escaped::add);
    List<CompiledGraph> graphs = List.of(SdkGraphs.echo(), SdkGraphs.slow());
    GraphRuntimeOptions runtime = new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory"));
    server = new ServerVerticle(graphs, new ServerOptions().setHost("127.0.0.1").setPort(0).setHeartbeatMs(50));
    Future<Void> deployed = Future.succeededFuture();
    for (CompiledGraph graph : graphs) {
      deployed = deployed.compose(ready -> GraphRuntime.deploy(vertx, graph, runtime).mapEmpty());
    }
    deployed.compose(ready -> vertx.deployVerticle(server)).onComplete(test.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext test) {
    Logger.getLogger("").removeHandler(capture);
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  private WebClient h2() {
    return WebClient.create(vertx, new WebClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false).setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort()));
  }

  /** Succeeds after {@code ms} (the server's late callbacks, e.g. a stream's close after its end, have run). */
  private Future<Void> settle(long ms) {
    Promise<Void> later = Promise.promise();
    vertx.setTimer(ms, id -> later.complete());
    return later.future();
  }

  private void assertNothingFailed() {
    assertTrue(escaped.isEmpty(), "exceptions escaped the server's handlers: " + escaped);
    assertTrue(logged.stream().noneMatch(line -> line.contains("already been written")), "logged: " + logged);
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void waitStreamAndJoinOverHttp2LeaveNothingFailing(VertxTestContext test) {
    WebClient client = h2();
    JsonObject echo = new JsonObject().put("assistant_id", "echo").put("input", new JsonObject().put("text", "hi"));
    client.post("/runs/wait").sendJsonObject(echo).compose(waited -> {
      assertEquals(HttpVersion.HTTP_2, waited.version());
      assertEquals(200, waited.statusCode(), waited.bodyAsString());
      // a stateless stream ends on its connection's loop: its HTTP/2 stream closes inside end(), and the close
      // handler runs at once, while the run still lists the response as joined
      return client.post("/runs/stream").sendJsonObject(echo.copy().put("stream_mode", "values"));
    }).compose(streamed -> {
      assertEquals(200, streamed.statusCode());
      assertTrue(streamed.bodyAsString().contains("event: values"), streamed.bodyAsString());
      return client.post("/threads").sendJsonObject(new JsonObject());
    }).compose(thread -> {
      String runs = "/threads/" + thread.bodyAsJsonObject().getString("thread_id") + "/runs";
      return client.post(runs + "/wait").sendJsonObject(echo.copy().put("on_disconnect", "cancel"))
          .compose(waited -> client.post(runs + "/stream").sendJsonObject(echo.copy().put("stream_mode", "values")))
          .compose(streamed -> {
            assertEquals(200, streamed.statusCode());
            // the heartbeat tick is the loop's, not the stream's: it may come before the first event (SDKs skip it)
            String events = streamed.bodyAsString().replaceFirst("^(: heartbeat\\n\\n)+", "");
            assertTrue(events.startsWith("event: metadata"), streamed.bodyAsString());
            return client.get(runs).send();
          })
          .compose(listed -> {
            String runId = listed.bodyAsJsonArray().getJsonObject(0).getString("run_id");
            return client.get(runs + "/" + runId + "/stream").send() // joined once ended: ends at once
                .compose(joined -> client.get(runs + "/" + runId + "/join").send());
          });
    }).compose(joined -> client.post("/runs/wait").sendJsonObject(echo.copy().put("on_disconnect", "cancel")))
        .compose(waited -> { // the connection closes: every stream's close handler runs, after the responses ended
          client.close();
          return settle(300);
        }).onComplete(test.succeeding(v -> test.verify(() -> {
      assertNothingFailed();
      test.completeNow();
    })));
  }

  /**
   * {@link ServerOptions#setHttp2MaxStreams}: the server announces it to each HTTP/2 client, and that many event
   * streams are open at once over one connection (Vert.x's default, 100, would have made the client queue the rest:
   * their runs would not start until others ended). The runs wait 30 s, so every stream is open at once whatever the
   * machine's load; once all are, the client leaves and the runs are cancelled ({@code on_disconnect}).
   */
  @Test
  @Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
  void manyEventStreamsShareOneConnectionUpToHttp2MaxStreams(VertxTestContext test) {
    int streams = 250;
    ServerVerticle wide = new ServerVerticle(List.of(SdkGraphs.echo(), SdkGraphs.slow()), new ServerOptions()
        .setHost("127.0.0.1").setPort(0).setHttp2MaxStreams(streams));
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false), new io.vertx.core.http.PoolOptions().setHttp2MaxSize(1));
    JsonObject slow = new JsonObject().put("assistant_id", "slow").put("stream_mode", "values")
        .put("on_disconnect", "cancel").put("input", new JsonObject().put("delayMs", 30_000));
    java.util.Set<Object> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicLong announced = new java.util.concurrent.atomic.AtomicLong();
    Promise<Void> allOpen = Promise.promise();
    vertx.deployVerticle(wide).onComplete(test.succeeding(deployed -> {
      for (int i = 0; i < streams; i++) {
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(wide.actualPort()).setURI("/runs/stream").putHeader("Content-Type", "application/json"))
            .compose(request -> request.send(slow.encode())).onSuccess(response -> {
              connections.add(response.request().connection());
              announced.set(response.request().connection().remoteSettings().getMaxConcurrentStreams());
              response.handler(chunk -> { });
              if (response.statusCode() == 200 && open.incrementAndGet() == streams) {
                allOpen.tryComplete();
              }
            }).onFailure(allOpen::tryFail);
      }
      vertx.setTimer(40_000, id -> allOpen.tryFail("only " + open.get() + " of " + streams + " event streams were "
          + "open at once after 40 s"));
    }));
    allOpen.future().onComplete(test.succeeding(all -> test.verify(() -> {
      assertEquals(streams, announced.get(), "SETTINGS_MAX_CONCURRENT_STREAMS");
      assertEquals(1, connections.size(), "every stream on one connection");
      client.close().compose(closed -> settle(300)).onComplete(test.succeeding(v -> test.verify(() -> {
        assertNothingFailed();
        test.completeNow();
      })));
    })));
  }

  @Test
  @Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
  void anHttp2StreamResetWhileItsRunRunsLeavesNothingFailing(VertxTestContext test) {
    HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
        .setHttp2ClearTextUpgrade(false));
    JsonObject slow = new JsonObject().put("assistant_id", "slow").put("stream_mode", "updates")
        .put("input", new JsonObject().put("delayMs", 300));
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
        .setPort(server.actualPort()).setURI("/runs/stream").putHeader("Content-Type", "application/json");
    Promise<Void> reset = Promise.promise();
    client.request(request).compose(req -> req.send(slow.encode()).map(response -> {
      response.handler(chunk -> {
        if (!reset.future().isComplete()) { // the metadata event is in: the client leaves mid-run
          req.reset();
          reset.tryComplete();
        }
      });
      return response;
    })).compose(response -> reset.future())
        .compose(left -> settle(1_000))
        .compose(settled -> client.close())
        .compose(closed -> settle(200)) // the run goes on (on_disconnect continue), its events find no client
        .onComplete(test.succeeding(v -> test.verify(() -> {
          assertNothingFailed();
          test.completeNow();
        })));
  }
}
