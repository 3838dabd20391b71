package io.graphloop.server;

import io.graphloop.support.OnLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One heartbeat timer for all of a server's event streams ({@link SseHeartbeats}), and a stateless run's events
 * dropped once its stream has them ({@link RunRecord}), over a real HTTP server on 127.0.0.1 read by Vert.x's client.
 * Each stream is an {@link Sse#open} response; the server side runs on one context, as the server verticle's does.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SseHeartbeatsTest {

  private static final long PERIOD_MS = 50;

  /** A server on a free port whose every request opens an event stream and hands its response to {@code opened}. */
  private static Future<HttpServer> server(Vertx vertx, java.util.function.Consumer<HttpServerResponse> opened) {
    return vertx.createHttpServer().requestHandler(request -> {
      HttpServerResponse response = request.response();
      Sse.open(response, "/runs/r", false, 64 * 1024);
      opened.accept(response);
    }).listen(0, "127.0.0.1");
  }

  private static Future<HttpClientResponse> open(HttpClient client, int port) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI("/stream")).compose(request -> request.send());
  }

  @Test
  void everyOpenStreamGetsHeartbeatsFromOneTimerThatStopsWhenTheyEnd(Vertx vertx, VertxTestContext ctx) {
    List<HttpServerResponse> responses = new ArrayList<>();
    SseHeartbeats[] heartbeats = new SseHeartbeats[1];
    HttpClient client = vertx.createHttpClient();
    server(vertx, response -> {
      heartbeats[0].start(response);
      response.endHandler(ended -> heartbeats[0].stop(response));
      responses.add(response);
    }).onComplete(ctx.succeeding(server -> {
      heartbeats[0] = new SseHeartbeats(vertx, PERIOD_MS);
      int streams = 3;
      List<Future<Void>> twoBeatsEach = new ArrayList<>();
      for (int i = 0; i < streams; i++) {
        twoBeatsEach.add(open(client, server.actualPort()).compose(response -> {
          io.vertx.core.Promise<Void> beats = io.vertx.core.Promise.promise();
          StringBuilder text = new StringBuilder();
          response.handler(chunk -> {
            text.append(chunk.toString());
            if (text.toString().split(": heartbeat\n\n", -1).length - 1 >= 2) {
              beats.tryComplete();
            }
          });
          return beats.future();
        }));
      }
      Future.all(twoBeatsEach).onComplete(ctx.succeeding(all -> vertx.runOnContext(v -> {
        ctx.verify(() -> {
          assertEquals(streams, heartbeats[0].size());
          assertTrue(heartbeats[0].ticking());
        });
        responses.forEach(HttpServerResponse::end);
        // the next tick finds no stream open and stops the timer
        vertx.setTimer(PERIOD_MS * 4, id -> ctx.verify(() -> {
          assertEquals(0, heartbeats[0].size());
          assertFalse(heartbeats[0].ticking(), "the timer runs only while streams are open");
          ctx.completeNow();
        }));
      })));
    }));
  }

  /**
   * A stream gets its first heartbeat only once it has been open for most of the period (3/4 of it, whatever the
   * phase of the loop's ticks when it opened), so a short stream gets none; one open longer gets them. Two streams,
   * the second opened while the first's timer is mid-period; times taken on the client, which opens a stream before
   * the server starts its heartbeats, so a late timer can only make the measured wait longer.
   */
  @Test
  void aStreamGetsItsFirstHeartbeatOnlyAfterMostOfThePeriod(Vertx vertx, VertxTestContext ctx) {
    long period = 400;
    SseHeartbeats heartbeats = new SseHeartbeats(vertx, period);
    HttpClient client = vertx.createHttpClient();
    server(vertx, response -> {
      heartbeats.start(response);
      response.write("event: metadata\ndata: {}\n\n"); // the headers go out with it
    }).onComplete(ctx.succeeding(server -> {
      List<Future<Long>> waits = new ArrayList<>();
      for (long delay : new long[] {1, period / 3}) {
        io.vertx.core.Promise<Long> waited = io.vertx.core.Promise.promise();
        waits.add(waited.future());
        vertx.setTimer(delay, id -> {
          long opened = System.nanoTime();
          open(client, server.actualPort()).onComplete(ctx.succeeding(response -> response.handler(chunk -> {
            if (chunk.toString().contains(": heartbeat")) {
              waited.tryComplete((System.nanoTime() - opened) / 1_000_000);
            }
          })));
        });
      }
      Future.all(waits).onComplete(ctx.succeeding(all -> ctx.verify(() -> {
        for (Future<Long> waited : waits) {
          assertTrue(waited.result() >= period * 3 / 4, "first heartbeat after " + waited.result() + " ms, "
              + "before 3/4 of the period (" + period + " ms)");
        }
        ctx.completeNow();
      })));
    }));
  }

  @Test
  void aStreamWhoseClientLeftGetsNoMoreHeartbeats(Vertx vertx, VertxTestContext ctx) {
    SseHeartbeats heartbeats = new SseHeartbeats(vertx, PERIOD_MS);
    HttpClient client = vertx.createHttpClient();
    List<HttpServerResponse> responses = new ArrayList<>();
    server(vertx, response -> {
      heartbeats.start(response); // no stop: the tick must notice the closed connection itself
      responses.add(response);
    }).compose(server -> open(client, server.actualPort()))
        .compose(response -> response.request().connection().close())
        .onComplete(ctx.succeeding(closed -> vertx.setTimer(PERIOD_MS * 6, id -> ctx.verify(() -> {
          assertTrue(responses.get(0).closed());
          assertEquals(0, heartbeats.size(), "a closed stream is dropped at the next tick");
          ctx.completeNow();
        }))));
  }

  @Test
  void noHeartbeatsWhenThePeriodIsZero(Vertx vertx, VertxTestContext ctx) {
    SseHeartbeats heartbeats = new SseHeartbeats(vertx, 0);
    HttpClient client = vertx.createHttpClient();
    // on a loop: the response's handler is set in a later step (see OnLoop)
    OnLoop.run(vertx, () -> server(vertx, response -> {
      heartbeats.start(response);
      response.write("event: values\ndata: {}\n\n"); // the headers go out with it
    }).compose(server -> open(client, server.actualPort())).onComplete(ctx.succeeding(response -> {
      StringBuilder text = new StringBuilder();
      response.handler(chunk -> text.append(chunk.toString()));
      vertx.setTimer(PERIOD_MS * 4, id -> ctx.verify(() -> {
        assertTrue(text.toString().contains("event: values"), text.toString());
        assertFalse(text.toString().contains("heartbeat"), text.toString());
        assertEquals(0, heartbeats.size());
        assertFalse(heartbeats.ticking());
        ctx.completeNow();
      }));
    })));
  }

  @Test
  void aStatelessRunDropsItsEventsOnceItsStreamHasThemAndEnded(Vertx vertx, VertxTestContext ctx) {
    RunRecord stateless = run(null);
    RunRecord onThread = run("t1");
    HttpClient client = vertx.createHttpClient();
    List<RunRecord> order = new ArrayList<>(List.of(stateless, onThread));
    server(vertx, response -> {
      RunRecord run = order.remove(0);
      run.emit("metadata", "{\"run_id\":\"" + run.runId + "\",\"attempt\":1}");
      run.join(response, -1);
      run.emit("values", "{\"n\":1}");
      run.finish(RunRecord.SUCCESS, new JsonObject().put("n", 1), null, null);
    }).compose(server -> open(client, server.actualPort()).compose(HttpClientResponse::body)
            .compose(first -> open(client, server.actualPort()).compose(HttpClientResponse::body)
                .map(second -> List.of(first.toString(), second.toString()))))
        .onComplete(ctx.succeeding(bodies -> vertx.runOnContext(v -> ctx.verify(() -> {
          for (String body : bodies) {
            assertTrue(body.contains("event: metadata") && body.contains("event: values"), body);
          }
          assertEquals(List.of(), stateless.framesAfter(-1, Long.MAX_VALUE),
              "nothing can join a stateless run: its ended stream's events are not kept");
          assertEquals(2, onThread.framesAfter(-1, Long.MAX_VALUE).size(), "a thread's run keeps them for joins");
          ctx.completeNow();
        }))));
  }

  @Test
  void aStatelessRunKeepsItsEventsUntilItsStreamJoins() {
    RunRecord stateless = run(null);
    stateless.emit("metadata", "{}");
    stateless.finish(RunRecord.SUCCESS, new JsonObject(), null, null);
    assertEquals(1, stateless.framesAfter(-1, Long.MAX_VALUE).size(), "ended before its stream joined: kept for it");
  }

  private static RunRecord run(String threadId) {
    return new RunRecord(Ids.uuid7(), threadId, "a", "g", null, new JsonObject(), new JsonObject(), "reject", 100,
        1 << 20);
  }
}
