package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link GraphClient#deleteThread}: the thread's checkpoints are gone (its state and history are "not found", a new
 * run starts it afresh), another owner's thread is "not found" and stays, a thread with a run in flight is refused
 * (423) and stays, and a thread that does not exist is "not found".
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ThreadDeleteTest {

  private static <T> Future<GraphloopException> failsWith(Future<T> future, FailureCode code) {
    return future.transform(done -> {
      if (done.succeeded()) {
        return Future.failedFuture(new AssertionError("expected " + code + ", it succeeded"));
      }
      if (!(done.cause() instanceof GraphloopException) || ((GraphloopException) done.cause()).code() != code) {
        return Future.failedFuture(new AssertionError("expected " + code + ", was " + done.cause()));
      }
      return Future.succeededFuture((GraphloopException) done.cause());
    });
  }

  @Test
  void deletesTheThreadsCheckpointsForItsOwnerOnly(Vertx vertx, VertxTestContext test) {
    Promise<Void> release = Promise.promise();
    Promise<Void> holding = Promise.promise();
    CompiledGraph graph = new StateGraph("deletable")
        .channel("count", io.graphloop.state.Channels.reducer((a, b) -> ((Number) a).intValue()
            + ((Number) b).intValue(), 0))
        .addNode("add", state -> {
          if (!"hold".equals(state.getString("mode"))) {
            return Future.succeededFuture(Map.of("count", 1));
          }
          holding.tryComplete(); // the run holds the thread while this node waits
          return release.future().map(v -> Map.of("count", 1));
        })
        .addEdge(START, "add").addEdge("add", END).compile();
    GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory")))
        .compose(runtime -> {
          GraphClient alice = runtime.client().asOwner("alice");
          GraphClient bob = runtime.client().asOwner("bob");
          RunOptions t1 = new RunOptions().setThreadId("t-1");
          return alice.run(Map.of("mode", "go"), t1)
              .compose(first -> alice.run(Map.of("mode", "go"), t1))
              .compose(second -> alice.getState("t-1"))
              .compose(before -> {
                test.verify(() -> assertEquals(2, before.values().getInteger("count")));
                return failsWith(bob.deleteThread("t-1"), FailureCode.UNKNOWN_TARGET);
              })
              .compose(refused -> failsWith(runtime.client().deleteThread("t-1"), FailureCode.UNKNOWN_TARGET))
              .compose(refused -> alice.getState("t-1"))
              .compose(kept -> {
                test.verify(() -> assertEquals(2, kept.values().getInteger("count")));
                return alice.deleteThread("t-1");
              })
              .compose(deleted -> failsWith(alice.getState("t-1"), FailureCode.UNKNOWN_TARGET))
              .compose(gone -> failsWith(alice.getStateHistory("t-1", 0, null), FailureCode.UNKNOWN_TARGET))
              .compose(gone -> failsWith(alice.deleteThread("t-1"), FailureCode.UNKNOWN_TARGET))
              .compose(gone -> bob.run(Map.of("mode", "go"), t1)) // the id is free again: bob starts it afresh
              .compose(fresh -> bob.getState("t-1"))
              .compose(fresh -> {
                test.verify(() -> assertEquals(1, fresh.values().getInteger("count")));
                RunOptions t2 = new RunOptions().setThreadId("t-2");
                Future<?> held = alice.run(Map.of("mode", "go"), t2)
                    .compose(first -> {
                      Future<?> running = alice.run(Map.of("mode", "hold"), t2);
                      return holding.future().compose(t -> failsWith(alice.deleteThread("t-2"),
                          FailureCode.THREAD_BUSY)).compose(busy -> {
                            test.verify(() -> assertTrue(busy.getMessage().contains("cannot be deleted now"),
                                busy.getMessage()));
                            release.complete();
                            return running;
                          });
                    });
                return held.compose(v -> alice.getState("t-2"));
              })
              .map(kept -> {
                test.verify(() -> assertEquals(2, kept.values().getInteger("count")));
                return kept;
              });
        })
        .onComplete(test.succeedingThenComplete());
  }
}
