package io.graphloop.server;

import io.graphloop.support.OnLoop;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KeepAliveTimeouts} follows a connection's responses in flight, not every response since its last sweep: a
 * bare Vert.x HTTP server on 127.0.0.1 whose request handler is the class's (as {@link HttpVerticle}'s), a timeout of
 * 600 s (its sweep, every 120 s, never runs in the test), and the responses it follows read on its loop. Over one
 * kept-alive HTTP/1.1 connection, 50 requests one after another leave at most 2 followed (there were 50); over one
 * HTTP/2 connection, 100 streams held open at once are all followed, and 400 more requests after they ended leave at
 * most twice that peak (there were 500).
 */
@ExtendWith(VertxExtension.class)
class KeepAliveTimeoutsTest {

  private Vertx vertx;
  private Server server;

  @BeforeEach
  void start(VertxTestContext test) {
    vertx = Vertx.vertx();
    server = new Server();
    vertx.deployVerticle(server).onComplete(test.succeedingThenComplete());
  }

  @AfterEach
  void stop(VertxTestContext test) {
    vertx.close().onComplete(test.succeedingThenComplete());
  }

  /** One HTTP server with a {@link KeepAliveTimeouts}; holds the responses of {@code /hold} until {@link #release}. */
  private static final class Server extends VerticleBase {
    private KeepAliveTimeouts idle;
    private HttpServer http;
    private final List<HttpServerResponse> held = new ArrayList<>();
    private Promise<Void> allHeld;
    private int holdCount;

    @Override
    public Future<?> start() {
      idle = new KeepAliveTimeouts(vertx, 600_000);
      HttpServerOptions options = new HttpServerOptions().setHost("127.0.0.1").setPort(0);
      options.getInitialSettings().setMaxConcurrentStreams(1_000);
      http = vertx.createHttpServer(options);
      return http.connectionHandler(idle::opened).requestHandler(request -> {
        idle.request(request);
        if (request.path().equals("/hold")) {
          held.add(request.response());
          if (held.size() == holdCount) {
            allHeld.complete();
          }
        } else {
          request.response().end("ok");
        }
      }).listen();
    }

    /** On the server's loop: the responses followed now, after checking that one connection is followed. */
    Future<Integer> followed() {
      return onLoop(() -> {
        assertEquals(1, idle.connections(), "one kept-alive connection followed");
        return idle.followedResponses();
      });
    }

    /** On the server's loop: expect {@code count} requests to {@code /hold}; the future completes once they came. */
    Future<Void> expectHeld(int count) {
      return onLoop(() -> {
        holdCount = count;
        allHeld = Promise.promise();
        return allHeld;
      }).compose(promise -> promise.future());
    }

    /** On the server's loop: ends the held responses. */
    Future<Void> release() {
      return onLoop(() -> {
        held.forEach(response -> response.end("ok"));
        held.clear();
        return null;
      });
    }

    private <T> Future<T> onLoop(java.util.function.Supplier<T> work) {
      Context loop = context;
      Promise<T> done = Promise.promise();
      loop.runOnContext(v -> {
        try {
          done.complete(work.get());
        } catch (RuntimeException | AssertionError e) {
          done.fail(e);
        }
      });
      return done.future();
    }
  }

  private HttpClientAgent client(boolean h2) {
    HttpClientOptions options = new HttpClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(server.http.actualPort()).setKeepAlive(true).setKeepAliveTimeout(600);
    if (h2) {
      options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false)
          .setHttp2MultiplexingLimit(1_000).setHttp2KeepAliveTimeout(600);
    }
    return vertx.httpClientBuilder().with(options)
        .with(new PoolOptions().setHttp1MaxSize(1).setHttp2MaxSize(1).setMaxWaitQueueSize(-1)).build();
  }

  private static Future<Void> get(HttpClientAgent client, String path) {
    return client.request(HttpMethod.GET, path).compose(request -> request.send())
        .compose(response -> response.body().map(body -> {
          assertEquals(200, response.statusCode());
          return null;
        }));
  }

  /** {@code count} requests of {@code /ok}, one after another. */
  private static Future<Void> sequence(HttpClientAgent client, int count) {
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < count; i++) {
      chain = chain.compose(v -> get(client, "/ok"));
    }
    return chain;
  }

  @Test
  void aKeptAliveConnectionFollowsItsRequestInFlightOnly(VertxTestContext test) {
    HttpClientAgent client = client(false);
    OnLoop.run(vertx, () -> sequence(client, 50)).compose(v -> server.followed())
        .onComplete(test.succeeding(followed -> test.verify(() -> {
          assertTrue(followed <= 2, "followed " + followed + " responses after 50 sequential requests");
          test.completeNow();
        })));
  }

  @Test
  void anHttp2ConnectionFollowsAboutItsStreamsInFlight(VertxTestContext test) {
    HttpClientAgent client = client(true);
    int streams = 100;
    Future<Void> held = server.expectHeld(streams);
    List<Future<Void>> holding = new ArrayList<>();
    OnLoop.run(vertx, () -> get(client, "/ok")).onComplete(test.succeeding(first -> { // the rest on its loop too
      for (int i = 0; i < streams; i++) {
        holding.add(get(client, "/hold"));
      }
      held.compose(v -> server.followed())
          .onComplete(test.succeeding(inFlight -> test.verify(() ->
              assertTrue(inFlight >= streams, "only " + inFlight + " followed of " + streams + " in flight"))))
          .compose(v -> server.release())
          .compose(v -> Future.all(holding))
          .compose(v -> sequence(client, 400))
          .compose(v -> server.followed())
          .onComplete(test.succeeding(followed -> test.verify(() -> {
            assertTrue(followed <= 2 * streams + 2, "followed " + followed + " responses after a peak of " + streams
                + " in flight and 400 requests more");
            test.completeNow();
          })));
    }));
  }
}
