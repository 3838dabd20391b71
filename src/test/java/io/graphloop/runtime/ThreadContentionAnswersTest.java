package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.ThreadState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, item 13: what a request on a thread is answered while another run holds the thread does not depend on
 * the contention. A request naming a checkpoint the thread does not have is 404 ({@code UNKNOWN_TARGET}) whether or
 * not the thread is busy; 423 ({@code THREAD_BUSY}) is only for a request that would otherwise be served. The run
 * holding the thread waits on a promise the test completes, so nothing depends on timing.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class ThreadContentionAnswersTest {

  private static final GraphRuntimeOptions MEMORY = new GraphRuntimeOptions()
      .setCheckpointer(new JsonObject().put("type", "memory"));

  @Test
  void anUnknownCheckpointIs404AndAKnownOne423WhileTheThreadIsBusy(Vertx vertx, VertxTestContext test) {
    Promise<Void> started = Promise.promise();
    Promise<Map<String, Object>> gate = Promise.promise();
    int[] calls = {0};
    CompiledGraph graph = new StateGraph("contended")
        .addNode("hold", state -> {
          if (++calls[0] == 1) {
            return Future.succeededFuture(Map.of("held", 1));
          }
          started.tryComplete();
          return gate.future();
        })
        .addEdge(START, "hold").addEdge("hold", END).compile();
    RunOptions thread = new RunOptions().setThreadId("t-contended");
    GraphRuntime.deploy(vertx, graph, MEMORY).onComplete(test.succeeding(runtime -> {
      var client = runtime.client();
      client.run(Map.of("x", 1), thread).compose(done -> client.getState("t-contended")).onComplete(
          test.succeeding(first -> {
            String known = first.checkpointId();
            Future<RunResult> holding = client.run(Map.of("x", 2), thread);
            started.future().compose(busy -> {
              String missing = "1f0c0ffe-0000-6000-8000-000000000000";
              Future<RunResult> runUnknown = client.run(Map.of("x", 3), new RunOptions(thread).setCheckpointId(missing));
              Future<RunResult> proceedUnknown = client.proceed(new RunOptions(thread).setCheckpointId(missing));
              Future<ThreadState> updateUnknown = client.updateState("t-contended", missing, Map.of("x", 4), "hold");
              Future<RunResult> runKnown = client.run(Map.of("x", 5), new RunOptions(thread).setCheckpointId(known));
              Future<ThreadState> updateLatest = client.updateState("t-contended", Map.of("x", 6), "hold");
              return Future.join(runUnknown, proceedUnknown, updateUnknown, runKnown, updateLatest)
                  .transform(all -> {
                    test.verify(() -> {
                      for (Future<?> unknown : List.of(runUnknown, proceedUnknown, updateUnknown)) {
                        GraphloopException failure = assertInstanceOf(GraphloopException.class, unknown.cause());
                        assertEquals(FailureCode.UNKNOWN_TARGET, failure.code(), failure.getMessage());
                        assertEquals(404, failure.code().code());
                        assertTrue(failure.getMessage().contains(missing), failure.getMessage());
                      }
                      for (Future<?> valid : List.of(runKnown, updateLatest)) {
                        GraphloopException failure = assertInstanceOf(GraphloopException.class, valid.cause());
                        assertEquals(FailureCode.THREAD_BUSY, failure.code(), failure.getMessage());
                      }
                    });
                    gate.complete(Map.of("held", 2));
                    return holding;
                  });
            }).compose(done -> client.updateState("t-contended", "1f0c0ffe-0000-6000-8000-000000000000",
                    Map.of("x", 7), "hold").transform(idle -> Future.succeededFuture(idle)))
                .onComplete(test.succeeding(idle -> test.verify(() -> {
                  GraphloopException failure = assertInstanceOf(GraphloopException.class, idle.cause());
                  assertEquals(FailureCode.UNKNOWN_TARGET, failure.code(), "the same answer on an idle thread");
                  test.completeNow();
                })));
          }));
    }));
  }
}
