package io.graphloop.runtime;

import io.graphloop.checkpoint.MemoryCheckpointStore;
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
}
