package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The server closes a kept-alive connection with no request in flight after {@link ServerOptions#getKeepAliveTimeoutMs}
 * ({@link KeepAliveTimeouts}), and never one with a request in flight: real server on 127.0.0.1 with a 300 ms
 * timeout, Vert.x's HTTP client with one kept-alive connection (its own keep-alive timeout far longer), the
 * connection's close seen by the client. A {@code POST /runs/wait} of a run that takes far longer than the timeout
 * (two 1 s nodes, nothing written meanwhile) is answered on its connection, which closes only afterwards.
 */
@ExtendWith(VertxExtension.class)
class KeepAliveTimeoutTest {

  private Vertx vertx;

  @AfterEach
  void stop(VertxTestContext test) {
    if (vertx == null) { // the options' test starts no server
      test.completeNow();
      return;
    }
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  /** A server with a 300 ms keep-alive timeout; a client with one connection, counting its closes in {@code closed}. */
  private Future<HttpClient> start(Promise<Void> closed, AtomicInteger connections) {
    vertx = Vertx.vertx();
    List<CompiledGraph> graphs = List.of(SdkGraphs.slow());
    ServerVerticle server = new ServerVerticle(graphs, new ServerOptions().setHost("127.0.0.1").setPort(0)
        .setKeepAliveTimeoutMs(300));
    return GraphRuntime.deploy(vertx, graphs.get(0), new GraphRuntimeOptions().setCheckpointer(new JsonObject()
            .put("type", "memory")))
        .compose(runtime -> vertx.deployVerticle(server))
        .map(id -> vertx.httpClientBuilder()
            .with(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.actualPort())
                .setKeepAlive(true).setKeepAliveTimeout(600))
            .with(new PoolOptions().setHttp1MaxSize(1))
            .withConnectHandler(connection -> {
              connections.incrementAndGet();
              connection.closeHandler(v -> closed.tryComplete());
            })
            .build());
  }

  @Test
  void anIdleConnectionIsClosed(VertxTestContext test) {
    Promise<Void> closed = Promise.promise();
    AtomicInteger connections = new AtomicInteger();
    start(closed, connections)
        .compose(client -> client.request(HttpMethod.GET, "/ok").compose(request -> request.send())
            .compose(response -> response.body().map(body -> response.statusCode())))
        .onComplete(test.succeeding(status -> test.verify(() -> assertEquals(200, status))))
        .compose(status -> closed.future())
        .onComplete(test.succeeding(v -> test.verify(() -> {
          assertEquals(1, connections.get());
          test.completeNow();
        })));
  }

  @Test
  void aRequestInFlightIsNotCut(VertxTestContext test) {
    Promise<Void> closed = Promise.promise();
    AtomicInteger connections = new AtomicInteger();
    AtomicBoolean answered = new AtomicBoolean();
    String run = new JsonObject().put("assistant_id", "slow").put("input", new JsonObject().put("delayMs", 1000))
        .encode();
    start(closed, connections)
        .compose(client -> client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/runs/wait")
                .putHeader("Content-Type", "application/json"))
            .compose(request -> request.send(run))
            .compose(response -> response.body().map(body -> {
              test.verify(() -> {
                assertEquals(200, response.statusCode(), body.toString());
                assertFalse(closed.future().isComplete(), "the connection closed while its run was in flight");
              });
              answered.set(true);
              return new JsonObject(body);
            })))
        .onComplete(test.succeeding(outcome -> test.verify(() -> assertEquals(new JsonArray().add("first")
            .add("second"), outcome.getJsonArray("trail")))))
        .compose(outcome -> closed.future()) // then idle: closed by the timeout
        .onComplete(test.succeeding(v -> test.verify(() -> {
          assertEquals(1, connections.get());
          assertEquals(true, answered.get());
          test.completeNow();
        })));
  }

  @Test
  void theTimeoutIsAnOption() {
    assertEquals(ServerOptions.DEFAULT_KEEP_ALIVE_TIMEOUT_MS, new ServerOptions().getKeepAliveTimeoutMs());
    assertEquals(5_000, ServerOptions.DEFAULT_KEEP_ALIVE_TIMEOUT_MS);
    assertEquals(0, new ServerOptions(new JsonObject().put("keepAliveTimeoutMs", 0)).getKeepAliveTimeoutMs());
    assertEquals(1_500, new ServerOptions(new ServerOptions().setKeepAliveTimeoutMs(1_500)).getKeepAliveTimeoutMs());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> new ServerOptions().setKeepAliveTimeoutMs(-1));
    assertEquals("keepAliveTimeoutMs must be at least 0 (0: never), was -1", negative.getMessage());
  }
}
