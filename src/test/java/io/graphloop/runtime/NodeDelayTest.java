package io.graphloop.runtime;

import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code NodeContext.delay} (issue 17, bursts): an async node's waits share one queue per length on its instance
 * ({@link NodeDelays}); they never end early, end on the node's event loop, and complete with their value, however
 * many lengths are in use (past {@link NodeDelays#MAX_QUEUES} a wait gets a timer of its own); elsewhere (a blocking
 * node) a wait is a Vert.x timer.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NodeDelayTest {

  /** START -> wait -> END: "wait" waits state.ms and records how long it waited and where it resumed. */
  private static CompiledGraph waiting(Map<Long, Long> waitedNanos, AtomicInteger elsewhere) {
    return new StateGraph("delays")
        .addNode("wait", (state, ctx) -> {
          long ms = state.getLong("ms");
          long began = System.nanoTime();
          Thread loop = Thread.currentThread();
          return ctx.delay(ms, Map.<String, Object>of("waited", ms)).map(update -> {
            waitedNanos.put(state.getLong("id"), System.nanoTime() - began);
            if (Thread.currentThread() != loop) {
              elsewhere.incrementAndGet();
            }
            return update;
          });
        })
        .addEdge(START, "wait").addEdge("wait", END).compile();
  }

  @Test
  void waitsOfManyLengthsEndWithTheirValueNeverEarlyOnTheNodesLoop(VertxTestContext test) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    Map<Long, Long> waited = new ConcurrentHashMap<>();
    AtomicInteger elsewhere = new AtomicInteger();
    int runs = 300;
    int lengths = NodeDelays.MAX_QUEUES + 8; // some lengths past the queues: timers of their own
    GraphRuntime.deploy(vertx, waiting(waited, elsewhere), new GraphRuntimeOptions())
        .compose(runtime -> {
          List<Future<State>> all = new ArrayList<>();
          for (long id = 0; id < runs; id++) {
            all.add(runtime.client().invoke(Map.of("id", id, "ms", 1 + (id % lengths) * 3)));
          }
          return Future.all(all).map(done -> {
            test.verify(() -> {
              for (int i = 0; i < runs; i++) {
                long ms = 1 + (i % lengths) * 3;
                State state = all.get(i).result();
                assertEquals(ms, state.getLong("waited"), "run " + i + " got its own wait's value");
                long tookMs = TimeUnit.NANOSECONDS.toMillis(waited.get((long) i));
                assertTrue(tookMs >= ms, "run " + i + " waited " + tookMs + " ms of its " + ms);
              }
              assertEquals(0, elsewhere.get(), "every wait ended on the node's event loop");
            });
            return runtime;
          });
        })
        .compose(GraphRuntime::undeploy)
        .eventually(vertx::close)
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aNegativeDelayFailsTheNodeSayingSoAndZeroEndsAtOnce(VertxTestContext test) {
    Vertx vertx = Vertx.vertx();
    CompiledGraph graph = new StateGraph("zero")
        .addNode("wait", (state, ctx) -> ctx.delay(state.getLong("ms"), Map.<String, Object>of("done", true)))
        .addEdge(START, "wait").addEdge("wait", END).compile();
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(Map.of("ms", 0L))
            .compose(zero -> runtime.client().invoke(Map.of("ms", -5L)).transform(negative -> {
              test.verify(() -> {
                assertEquals(true, zero.get("done"));
                assertTrue(negative.failed(), "a negative delay is refused");
                assertInstanceOf(NodeFailedException.class, negative.cause());
                assertTrue(negative.cause().getMessage().contains("delayMs must be 0 or more, not -5 (node 'wait')"),
                    negative.cause().getMessage());
              });
              return Future.succeededFuture(runtime);
            })))
        .compose(GraphRuntime::undeploy)
        .eventually(vertx::close)
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aBlockingNodesDelayIsATimerOfItsOwn(VertxTestContext test) {
    Vertx vertx = Vertx.vertx();
    CompiledGraph graph = new StateGraph("blocking")
        .addBlockingNode("wait", (state, ctx) -> {
          long began = System.nanoTime();
          String value = ctx.delay(30, "later").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
          return Map.of("value", value, "tookMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        })
        .addEdge(START, "wait").addEdge("wait", END).compile();
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions())
        .compose(runtime -> runtime.client().invoke(Map.of()).map(state -> {
          test.verify(() -> {
            assertEquals("later", state.get("value"));
            assertTrue(state.getLong("tookMs") >= 30, "waited " + state.getLong("tookMs") + " ms of 30");
          });
          return runtime;
        }))
        .compose(GraphRuntime::undeploy)
        .eventually(vertx::close)
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void aListenerThatThrowsDoesNotStrandTheWaitsBehindIt(VertxTestContext test) {
    Vertx vertx = Vertx.vertx();
    ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
    List<Throwable> reported = new ArrayList<>();
    context.exceptionHandler(reported::add);
    context.runOnContext(v -> {
      NodeDelays delays = new NodeDelays(context);
      assertTrue(delays.onLoop());
      Future<Integer> first = delays.delay(5, 0);
      first.onSuccess(value -> {
        throw new IllegalStateException("a listener's bug");
      });
      List<Future<Integer>> waits = new ArrayList<>();
      for (int i = 1; i < 1_000; i++) {
        waits.add(delays.delay(5, i));
      }
      test.verify(() -> assertEquals(1_000, delays.queued()));
      Future.all(waits).onComplete(done -> {
        test.verify(() -> {
          assertTrue(done.succeeded());
          assertEquals(0, first.result());
          for (int i = 0; i < waits.size(); i++) {
            assertEquals(i + 1, waits.get(i).result());
          }
          assertEquals(0, delays.queued(), "nothing left queued");
          assertTrue(reported.isEmpty() || reported.get(0).getMessage().equals("a listener's bug"), reported::toString);
        });
        vertx.close().onComplete(test.succeedingThenComplete());
      });
    });
  }
}
