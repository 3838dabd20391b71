package io.graphloop.runtime;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
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
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A deployment's HTTP clients are one per event loop (issue 15): a node's requests go over connections made on its
 * own loop, so a model's streamed answer is read on the node's loop instead of being handed over, chunk by chunk,
 * from the loop of whichever pooled connection Vert.x picked. {@code "perEventLoop": false} keeps one shared pool.
 * Real HTTP on 127.0.0.1; the server tells connections apart by their client port.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class HttpClientsTest {

  private static final String HOST = "127.0.0.1";

  /** A server answering every request; {@code ports} gets each request's client port (one per connection). */
  private static Future<HttpServer> server(Vertx vertx, Set<Integer> ports) {
    return vertx.createHttpServer().requestHandler(request -> {
      ports.add(request.connection().remoteAddress().port());
      request.response().end("ok");
    }).listen(0, HOST);
  }

  /** Event-loop contexts on two different loops of {@code vertx}. */
  private static List<ContextInternal> twoLoops(Vertx vertx) {
    List<ContextInternal> contexts = new ArrayList<>();
    for (EventExecutor loop : ((VertxInternal) vertx).nettyEventLoopGroup()) {
      contexts.add(((VertxInternal) vertx).contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
          .withEventLoop((EventLoop) loop).build());
      if (contexts.size() == 2) {
        break;
      }
    }
    assertEquals(2, contexts.size(), "the test needs two event loops");
    return contexts;
  }

  /** One request with the default client of {@code context}'s loop, sent from that context; the client used. */
  private static Future<WebClient> call(HttpClients clients, ContextInternal context, int port) {
    Promise<WebClient> used = Promise.promise();
    context.runOnContext(v -> {
      WebClient client = clients.defaultClient();
      client.get(port, HOST, "/").send().onComplete(sent -> {
        if (sent.failed()) {
          used.fail(sent.cause());
        } else {
          used.complete(client);
        }
      });
    });
    return used.future();
  }

  /** Requests from loop A, then B, then A, then B, one after the other; the clients each used. */
  private static Future<List<WebClient>> alternate(HttpClients clients, List<ContextInternal> loops, int port) {
    List<WebClient> used = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < 4; i++) {
      ContextInternal context = loops.get(i % 2);
      chain = chain.compose(v -> call(clients, context, port).map(client -> {
        used.add(client);
        return null;
      }));
    }
    return chain.map(v -> used);
  }

  @Test
  void eachLoopUsesItsOwnClientWhoseConnectionsAreMadeOnThatLoop(Vertx vertx, VertxTestContext test) {
    Set<Integer> ports = ConcurrentHashMap.newKeySet();
    HttpClients clients = new HttpClients(vertx, new JsonObject());
    List<ContextInternal> loops = twoLoops(vertx);
    server(vertx, ports).compose(server -> alternate(clients, loops, server.actualPort()))
        .onComplete(test.succeeding(used -> test.verify(() -> {
          assertSame(used.get(0), used.get(2), "a loop keeps its client");
          assertSame(used.get(1), used.get(3));
          assertNotSame(used.get(0), used.get(1), "another loop has another");
          // one shared pool would have served B's request on the connection A made (kept alive, idle): one port
          assertEquals(2, ports.size(), "one connection per loop: " + ports);
          clients.close();
          test.completeNow();
        })));
  }

  @Test
  void aClientSharedByEveryLoopHasOnePool(Vertx vertx, VertxTestContext test) {
    Set<Integer> ports = ConcurrentHashMap.newKeySet();
    HttpClients clients = new HttpClients(vertx, new JsonObject().put("default", new JsonObject()
        .put("perEventLoop", false).put("pool", new JsonObject().put("http1MaxSize", 1))));
    List<ContextInternal> loops = twoLoops(vertx);
    server(vertx, ports).compose(server -> alternate(clients, loops, server.actualPort()))
        .onComplete(test.succeeding(used -> test.verify(() -> {
          assertEquals(1, used.stream().distinct().count(), "one client for every loop");
          assertEquals(1, ports.size(), "one pool of one connection: " + ports);
          clients.close();
          test.completeNow();
        })));
  }

  @Test
  void perEventLoopMustBeABoolean() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GraphRuntimeOptions()
        .addHttpClient("model", new JsonObject().put("perEventLoop", "yes")));
    assertTrue(e.getMessage().contains("httpClients.model.perEventLoop must be true"), e.getMessage());
  }
}
