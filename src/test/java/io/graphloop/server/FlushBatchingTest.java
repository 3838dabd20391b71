package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HTTP/2 connections batch their socket writes ({@link FlushBatching}) and HTTP/1.1 ones do not, over a real HTTP server
 * on 127.0.0.1: the streams of one HTTP/2 connection, each written to in its own task of the loop (as a run's events
 * are) and ended in another, all arrive whole and in order; and the setting's JSON form.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class FlushBatchingTest {

  private static final int STREAMS = 200;

  /** A server whose connections get {@link FlushBatching#install}; each request's event stream is written in tasks. */
  private static Future<HttpServer> server(Vertx vertx, List<HttpConnection> connections) {
    return vertx.createHttpServer().connectionHandler(connection -> {
      FlushBatching.install(connection);
      connections.add(connection);
    }).requestHandler(request -> {
      HttpServerResponse response = request.response();
      Sse.open(response, "/runs/r", false, 64 * 1024);
      String id = request.getParam("id");
      vertx.runOnContext(first -> {
        response.write("event: metadata\ndata: {\"id\":\"" + id + "\"}\n\n");
        vertx.runOnContext(second -> response.end("event: values\ndata: {\"id\":\"" + id + "\"}\n\n"));
      });
    }).listen(0, "127.0.0.1");
  }

  private static boolean batched(HttpConnection connection) {
    return FlushBatching.channel(connection).pipeline().get(FlushBatching.NAME) != null;
  }

  @Test
  void theStreamsOfABatchedHttp2ConnectionArriveWholeAndInOrder(Vertx vertx, VertxTestContext ctx) {
    List<HttpConnection> connections = new ArrayList<>();
    server(vertx, connections).compose(server -> {
      HttpClientAgent client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2)
          .setHttp2ClearTextUpgrade(false).setHttp2MultiplexingLimit(STREAMS));
      List<Future<Buffer>> bodies = new ArrayList<>();
      for (int i = 0; i < STREAMS; i++) {
        bodies.add(client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
            .setPort(server.actualPort()).setURI("/s?id=" + i)).compose(request -> request.send())
            .compose(HttpClientResponse::body));
      }
      return Future.all(bodies).map(all -> bodies);
    }).onComplete(ctx.succeeding(bodies -> vertx.runOnContext(v -> ctx.verify(() -> {
      for (int i = 0; i < STREAMS; i++) {
        assertEquals("event: metadata\ndata: {\"id\":\"" + i + "\"}\n\nevent: values\ndata: {\"id\":\"" + i
            + "\"}\n\n", bodies.get(i).result().toString());
      }
      assertEquals(1, connections.size(), "one HTTP/2 connection carried every stream");
      assertTrue(batched(connections.get(0)), "an HTTP/2 connection batches its flushes");
      ctx.completeNow();
    }))));
  }

  @Test
  void anHttp11ConnectionIsNotBatched(Vertx vertx, VertxTestContext ctx) {
    List<HttpConnection> connections = new ArrayList<>();
    server(vertx, connections).compose(server -> vertx.createHttpClient().request(new RequestOptions()
            .setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(server.actualPort()).setURI("/s?id=1"))
        .compose(request -> request.send()).compose(HttpClientResponse::body))
        .onComplete(ctx.succeeding(body -> vertx.runOnContext(v -> ctx.verify(() -> {
          assertTrue(body.toString().endsWith("event: values\ndata: {\"id\":\"1\"}\n\n"), body.toString());
          assertFalse(batched(connections.get(0)), "one stream at a time: nothing to batch");
          ctx.completeNow();
        }))));
  }

  @Test
  void theSettingIsOnByDefaultAndReadFromJson() {
    assertTrue(FlushBatching.available(), "on the class path, as serve's jar runs");
    assertTrue(new ServerOptions().isHttp2BatchFlushes());
    ServerOptions off = new ServerOptions(new JsonObject().put("http2BatchFlushes", false));
    assertFalse(off.isHttp2BatchFlushes());
    assertFalse(new ServerOptions(off).isHttp2BatchFlushes(), "kept by the copy (through toJson)");
    IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
        () -> new ServerOptions(new JsonObject().put("http2BatchFlushes", "yes")));
    assertEquals("Field 'http2BatchFlushes' of server options must be true or false.", wrong.getMessage());
  }
}
