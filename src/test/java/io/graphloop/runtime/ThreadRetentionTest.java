package io.graphloop.runtime;

import io.graphloop.checkpoint.MemoryCheckpointStore;
import io.graphloop.checkpoint.ThreadTtl;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Thread retention (issue 18; LangGraph Server's thread TTL): threads idle longer than {@code threadTtlMinutes} are
 * deleted by the sweep, what is younger stays, and the options are checked.
 */
@ExtendWith(VertxExtension.class)
class ThreadRetentionTest {

  private static CompiledGraph graph() {
    return new StateGraph("kept").addNode("a", (state, ctx) -> Future.succeededFuture(Map.of("done", true)))
        .addEdge(START, "a").addEdge("a", END).compile();
  }

  @Test
  void aThreadIdleLongerThanTheTtlIsDeletedAndAYoungerOneStays(Vertx vertx, VertxTestContext ctx) {
    MemoryCheckpointStore store = new MemoryCheckpointStore();
    GraphRuntime.deploy(vertx, graph(), new GraphRuntimeOptions(), store)
        .compose(runtime -> runtime.client().invoke(Map.of(), new RunOptions().setThreadId("old"))
            .compose(v -> {
              // seen from two hours later, "old" is idle; a retention with a 60-minute TTL on that clock deletes it
              Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
              ThreadRetention retention = ThreadRetention.start(vertx, store, 60, 0, 1, later);
              ThreadRetention now = ThreadRetention.start(vertx, store, 60, 0, 1, Clock.systemUTC());
              return now.sweep().compose(none -> {
                ctx.verify(() -> assertEquals(0, none, "nothing is an hour old yet"));
                return retention.sweep().map(deleted -> {
                  ctx.verify(() -> assertEquals(1, deleted));
                  return retention;
                });
              });
            })
            .compose(retention -> runtime.client().getState("old").transform(state -> {
              ctx.verify(() -> {
                assertInstanceOf(GraphloopException.class, state.cause(), "the thread is gone");
                assertEquals(FailureCode.UNKNOWN_TARGET, ((GraphloopException) state.cause()).code());
                assertEquals(1, retention.deleted());
              });
              return Future.succeededFuture();
            })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void theRuntimeStartsRetentionFromItsOptions(Vertx vertx, VertxTestContext ctx) {
    GraphRuntimeOptions options = new GraphRuntimeOptions(new JsonObject().put("threadTtlMinutes", 1440)
        .put("retentionSweepIntervalMs", 0).put("checkpointer", new JsonObject().put("type", "memory")));
    assertEquals(1440.0, options.getThreadTtlMinutes());
    assertThrows(IllegalArgumentException.class, () -> new GraphRuntimeOptions().setThreadTtlMinutes(0.0));
    assertThrows(IllegalArgumentException.class, () -> new GraphRuntimeOptions(new JsonObject()
        .put("threadTtlMinutes", "a day")));
    GraphRuntime.deploy(vertx, graph(), options)
        .compose(runtime -> {
          ctx.verify(() -> assertNotNull(runtime.retention(), "retention runs when threadTtlMinutes is set"));
          return runtime.retention().sweep().compose(deleted -> runtime.undeploy());
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  /** A thread's own TTL (set over the bus, as the server does) decides; delete and keep_latest both apply. */
  @Test
  void threadsOwnTtlsAreSweptByTheirStrategy(Vertx vertx, VertxTestContext ctx) {
    MemoryCheckpointStore store = new MemoryCheckpointStore();
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
    ThreadRetention retention = ThreadRetention.startPerThread(vertx, store, 0, 1, later);
    GraphRuntime.deploy(vertx, graph(), new GraphRuntimeOptions().setRetentionSweepIntervalMs(0), store)
        .compose(runtime -> runtime.client().invoke(Map.of(), new RunOptions().setThreadId("gone"))
            .compose(v -> runtime.client().invoke(Map.of(), new RunOptions().setThreadId("pruned")))
            .compose(v -> runtime.client().invoke(Map.of(), new RunOptions().setThreadId("pruned")))
            .compose(v -> runtime.client().invoke(Map.of(), new RunOptions().setThreadId("longer")))
            .compose(v -> runtime.client().setThreadTtl("gone", ThreadTtl.delete(60)))
            .compose(v -> runtime.client().setThreadTtl("pruned", new ThreadTtl(ThreadTtl.Strategy.KEEP_LATEST, 60)))
            .compose(v -> runtime.client().setThreadTtl("longer", ThreadTtl.delete(600)))
            .compose(v -> {
              ctx.verify(() -> assertNotNull(runtime.ttlRetention(), "a runtime with a checkpointer sweeps TTLs"));
              return runtime.ttlRetention().sweep(); // on the real clock: nothing has expired
            })
            .compose(none -> {
              ctx.verify(() -> assertEquals(0, none));
              return retention.sweep(); // two hours later, in batches of one
            })
            .compose(handled -> {
              ctx.verify(() -> {
                assertEquals(2, handled, "gone and pruned expired; longer has 600 minutes");
                assertEquals(1, retention.deleted());
                assertEquals(1, retention.pruned());
              });
              return runtime.client().getState("gone").transform(state -> {
                ctx.verify(() -> assertEquals(FailureCode.UNKNOWN_TARGET,
                    ((GraphloopException) state.cause()).code()));
                return store.list("pruned", 100, null);
              });
            })
            .compose(kept -> {
              ctx.verify(() -> assertEquals(1, kept.size(), "keep_latest keeps the newest checkpoint only"));
              return store.threadTtl("pruned");
            })
            .compose(ttl -> {
              ctx.verify(() -> assertEquals(ThreadTtl.Strategy.KEEP_LATEST, ttl.strategy(), "its TTL starts again"));
              return store.latest("longer");
            }))
        .onComplete(ctx.succeeding(longer -> ctx.verify(() -> {
          assertNotNull(longer, "a longer TTL has not expired");
          ctx.completeNow();
        })));
  }
}
