package io.graphloop.server;

import io.graphloop.support.OnLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
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

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's events reach its stream in as few writes as they can without waiting ({@link RunRecord}): the events that
 * arrive in one batch of the run's context's tasks go out in one write (one HTTP chunk, one flush), the run's last
 * events go out with the response's end, and an event that arrives alone is written at once, not held for the next.
 * The bytes are exactly the SSE frames, in order. Real HTTP server on 127.0.0.1, read by Vert.x's client, which hands
 * its handler one buffer per HTTP chunk (so the chunks counted are the server's writes). The record is made on the
 * server's context, as the server makes a run's.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class SseWritesTest {

  /** A server on a free port whose every request opens an event stream and hands it to {@code opened}, on its loop. */
  private static Future<HttpServer> server(Vertx vertx, java.util.function.Consumer<HttpServerResponse> opened) {
    return vertx.createHttpServer().requestHandler(request -> {
      HttpServerResponse response = request.response();
      Sse.open(response, "/runs/r", false, 64 * 1024);
      opened.accept(response);
    }).listen(0, "127.0.0.1");
  }

  /** The non-empty chunks of one stream, as the client received them, once it ended. */
  private static Future<List<String>> chunks(HttpClient client, int port) {
    return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
        .setURI("/stream")).compose(request -> request.send()).compose((HttpClientResponse response) -> {
      List<String> chunks = new CopyOnWriteArrayList<>();
      Promise<List<String>> ended = Promise.promise();
      response.handler(chunk -> {
        if (chunk.length() > 0) {
          chunks.add(chunk.toString());
        }
      });
      response.endHandler(v -> ended.complete(chunks));
      response.exceptionHandler(ended::tryFail);
      return ended.future();
    });
  }

  private static RunRecord run() {
    return new RunRecord(Ids.uuid7(), null, "a", "g", null, new JsonObject(), new JsonObject(), "reject", 100,
        1 << 20);
  }

  private static String frame(long id, String event, String data) {
    return "event: " + event + "\ndata: " + data + "\nid: " + id + "\n\n";
  }

  @Test
  void eventsOfOneBatchAreOneWriteAndTheLastGoWithTheEnd(Vertx vertx, VertxTestContext ctx) {
    server(vertx, response -> {
      RunRecord run = run(); // on the server's loop: its record is confined there, as a stateless run's
      run.emit("metadata", "{\"run_id\":\"r\",\"attempt\":1}");
      run.join(response, -1);
      run.emit("values", "{\"n\":1}");
      run.emit("values", "{\"n\":2}");
      vertx.setTimer(50, id -> { // a later superstep: its event and the run's end
        run.emit("values", "{\"n\":3}");
        run.finish(RunRecord.SUCCESS, new JsonObject().put("n", 3), null, null);
      });
    }).compose(server -> chunks(vertx.createHttpClient(), server.actualPort()))
        .onComplete(ctx.succeeding(chunks -> ctx.verify(() -> {
          assertEquals(List.of(frame(0, "metadata", "{\"run_id\":\"r\",\"attempt\":1}") + frame(1, "values",
                  "{\"n\":1}") + frame(2, "values", "{\"n\":2}"), frame(3, "values", "{\"n\":3}")), chunks,
              "one write for the events buffered at the join and those of the same batch; the last with the end");
          ctx.completeNow();
        })));
  }

  @Test
  void anEventThatArrivesAloneIsWrittenAtOnce(Vertx vertx, VertxTestContext ctx) {
    RunRecord[] runs = new RunRecord[1];
    Context[] serverContext = new Context[1];
    Promise<Void> firstSeen = Promise.promise();
    // on a loop: the response's handlers are set in a later step (see OnLoop)
    OnLoop.run(vertx, () -> server(vertx, response -> {
      serverContext[0] = vertx.getOrCreateContext();
      runs[0] = run();
      runs[0].join(response, -1);
      runs[0].emit("values", "{\"n\":1}");
    }).compose(server -> vertx.createHttpClient().request(new RequestOptions().setMethod(HttpMethod.GET)
            .setHost("127.0.0.1").setPort(server.actualPort()).setURI("/stream")))
        .compose(request -> request.send()).onComplete(ctx.succeeding(response -> {
          StringBuilder text = new StringBuilder();
          response.handler(chunk -> {
            text.append(chunk);
            if (!firstSeen.future().isComplete() && text.toString().contains("{\"n\":1}")) {
              firstSeen.complete();
              ctx.verify(() -> assertFalse(text.toString().contains("{\"n\":2}"), text.toString()));
              // only now does the run go on: the first event was not held back for a later one
              serverContext[0].runOnContext(v -> {
                runs[0].emit("values", "{\"n\":2}");
                runs[0].finish(RunRecord.SUCCESS, new JsonObject(), null, null);
              });
            }
          });
          response.endHandler(v -> ctx.verify(() -> {
            assertTrue(firstSeen.future().isComplete());
            assertEquals(frame(0, "values", "{\"n\":1}") + frame(1, "values", "{\"n\":2}"), text.toString());
            ctx.completeNow();
          }));
        })));
  }

  @Test
  void aTokensEventsAreWrittenAtOnceWithThoseAlreadyPendingInOneWrite(Vertx vertx, VertxTestContext ctx) {
    long[] written = new long[3];
    server(vertx, response -> {
      RunRecord run = run();
      run.join(response, -1);
      run.emit("values", "{\"n\":1}"); // batched: its write is a task queued on the loop
      written[0] = response.bytesWritten();
      run.writingAtOnce(() -> { // a token in messages mode: two events of one bus event
        run.emit("messages/metadata", "{\"m\":1}");
        run.emit("messages/partial", "[\"a\"]");
      });
      written[1] = response.bytesWritten(); // before any queued task ran
      vertx.setTimer(50, id -> {
        run.writingAtOnce(() -> run.emit("messages/partial", "[\"ab\"]"));
        written[2] = response.bytesWritten();
        run.finish(RunRecord.SUCCESS, new JsonObject(), null, null);
      });
    }).compose(server -> chunks(vertx.createHttpClient(), server.actualPort()))
        .onComplete(ctx.succeeding(chunks -> ctx.verify(() -> {
          String first = frame(0, "values", "{\"n\":1}") + frame(1, "messages/metadata", "{\"m\":1}")
              + frame(2, "messages/partial", "[\"a\"]");
          String second = frame(3, "messages/partial", "[\"ab\"]");
          assertEquals(0, written[0], "the values event waits for its queued write");
          assertEquals(first.length(), written[1], "the token's events and the pending one, written at once");
          assertEquals(first.length() + second.length(), written[2]);
          assertEquals(List.of(first, second), chunks, "one write each time, in order");
          ctx.completeNow();
        })));
  }

  @Test
  void aJoinWithStreamModesGetsOnlyTheirEventsInTheSameBatching(Vertx vertx, VertxTestContext ctx) {
    server(vertx, response -> {
      RunRecord run = run();
      run.emit("metadata", "{}");
      run.emit("values", "{\"n\":1}");
      run.join(response, -1, java.util.Set.of("updates"));
      run.emit("updates", "{\"a\":{}}");
      run.emit("values", "{\"n\":2}");
      run.emit("updates|sub:1", "{\"b\":{}}");
      run.finish(RunRecord.SUCCESS, new JsonObject(), null, null);
    }).compose(server -> chunks(vertx.createHttpClient(), server.actualPort()))
        .onComplete(ctx.succeeding(chunks -> ctx.verify(() -> {
          assertEquals(List.of(frame(0, "metadata", "{}") + frame(2, "updates", "{\"a\":{}}")
              + frame(4, "updates|sub:1", "{\"b\":{}}")), chunks);
          ctx.completeNow();
        })));
  }
}
