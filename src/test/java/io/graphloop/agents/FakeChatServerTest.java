package io.graphloop.agents;

import io.graphloop.support.OnLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link FakeChatServer}'s event loops: by default one HTTP server per event loop of its Vert.x sharing the port, so
 * connections (and the tokens written on them) spread over the loops; with one server, every connection is on one
 * loop. Real HTTP on 127.0.0.1, several connections at once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FakeChatServerTest {

  private static final int CONNECTIONS = 8;

  @Test
  void servesOnEveryEventLoopOfItsVertx(Vertx vertx, VertxTestContext test) {
    FakeChatServer.start(vertx, 0).onComplete(test.succeeding(fake -> {
      int loops = eventLoops(vertx);
      test.verify(() -> assertEquals(loops, fake.servers(), "one HTTP server per event loop"));
      writers(vertx, fake).onComplete(test.succeeding(threads -> test.verify(() -> {
        // Vert.x hands new connections to the port's servers in turn: 8 connections reach every one of them
        assertEquals(Math.min(loops, CONNECTIONS), threads.size(), "the event loops that wrote tokens: " + threads);
        fake.close().onComplete(test.succeedingThenComplete());
      })));
    }));
  }

  @Test
  void oneServerWritesEveryConnectionFromOneLoop(Vertx vertx, VertxTestContext test) {
    FakeChatServer.start(vertx, 0, 1).onComplete(test.succeeding(fake -> {
      test.verify(() -> assertEquals(1, fake.servers()));
      writers(vertx, fake).onComplete(test.succeeding(threads -> test.verify(() -> {
        assertEquals(1, threads.size(), "the event loops that wrote tokens: " + threads);
        fake.close().onComplete(test.succeedingThenComplete());
      })));
    }));
  }

  @Test
  void closingFreesThePortForAnotherServer(Vertx vertx, VertxTestContext test) {
    FakeChatServer.start(vertx, 0).compose(first -> {
      int port = first.port();
      return first.close().compose(v -> FakeChatServer.start(vertx, port))
          .compose(second -> {
            test.verify(() -> assertEquals(port, second.port()));
            return second.close();
          });
    }).onComplete(test.succeedingThenComplete());
  }

  @Test
  void aServerCountOutOfRangeIsRefused(Vertx vertx) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FakeChatServer.start(vertx, 0, 0));
    assertTrue(e.getMessage().contains("must be 1 to 1024, were 0"), e.getMessage());
  }

  /**
   * Streams an answer on each of {@link #CONNECTIONS} connections at once (each answer's tokens 20 ms apart, so the
   * connections overlap) and returns the names of the threads that wrote the tokens; checks every answer's words.
   */
  private static Future<Set<String>> writers(Vertx vertx, FakeChatServer fake) {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    fake.responderDelays(20, 20).onEventWritten(event -> threads.add(Thread.currentThread().getName()));
    HttpClient http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(CONNECTIONS));
    return OnLoop.run(vertx, () -> {
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < CONNECTIONS; i++) {
        JsonObject body = new JsonObject().put("model", "fake").put("stream", true).put("messages",
            new JsonArray().add(new JsonObject().put("role", "user").put("content", "echo w" + i)));
        answers.add(http.request(new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                .setPort(fake.port()).setURI("/v1/chat/completions").putHeader("Content-Type", "application/json"))
            .compose(request -> request.send(body.encode()))
            .compose(response -> response.body().map(b -> b.toString())));
      }
      return Future.all(answers).map(all -> {
        for (int i = 0; i < CONNECTIONS; i++) {
          String answer = all.resultAt(i);
          if (!answer.contains("w" + i) || !answer.contains("[DONE]")) {
            throw new IllegalStateException("answer " + i + " is not the echo of its question: " + answer);
          }
        }
        return threads;
      });
    }).eventually(() -> http.close());
  }

  private static int eventLoops(Vertx vertx) {
    int count = 0;
    for (io.netty.util.concurrent.EventExecutor loop : ((io.vertx.core.internal.VertxInternal) vertx)
        .nettyEventLoopGroup()) {
      count++;
    }
    return count;
  }
}
