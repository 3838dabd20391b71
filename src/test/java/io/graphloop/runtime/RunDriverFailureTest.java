package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.internal.engine.Task;
import io.graphloop.protocol.NodeReply;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bug that throws inside a run's driver (in the engine, or in a stream observer such as the messages-mode one that
 * once threw on a map without a {@code type}) fails the run with an {@code INTERNAL} error naming the run; before, the
 * exception went to the future callback that ran the step and the run never ended: its caller and its stream waited
 * forever.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class RunDriverFailureTest {

  @Test
  void anObserverThatThrowsWhenATaskStartsFailsTheRun(Vertx vertx, VertxTestContext test) {
    assertFailsInternally(vertx, test, "onTaskStart");
  }

  @Test
  void anObserverThatThrowsWhenAStepEndsFailsTheRun(Vertx vertx, VertxTestContext test) {
    assertFailsInternally(vertx, test, "onStepEnd");
  }

  @Test
  void anObserverThatThrowsWhenTheRunWaitsForItsConsumerFailsTheRun(Vertx vertx, VertxTestContext test) {
    assertFailsInternally(vertx, test, "readyForStep");
  }

  private static void assertFailsInternally(Vertx vertx, VertxTestContext test, String throwingMethod) {
    CompiledGraph graph = new StateGraph("driver-failure")
        .addNode("a", state -> Future.succeededFuture(Map.of("x", 1)))
        .addNode("b", state -> Future.succeededFuture(Map.of("y", 2)))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END).compile();
    vertx.runOnContext(v -> {
      RunDriver driver = new RunDriver(vertx, graph, new AnsweringDispatcher(), "run-1", new RunDriver.Limits(25, 0,
          0, Map.of(), null, List.of(), Set.of(), Set.of(), null, false, false, null), null);
      driver.observe(throwingIn(throwingMethod));
      driver.start(RunStart.fresh(State.empty(), Map.of("q", "go"))).onComplete(test.failing(failure ->
          test.verify(() -> {
            GraphloopException error = assertInstanceOf(GraphloopException.class, failure);
            assertEquals(FailureCode.INTERNAL, error.code(), error.getMessage());
            assertTrue(error.getMessage().contains("run-1") && error.getMessage().contains("driver-failure")
                && error.getMessage().contains("bug in " + throwingMethod), error.getMessage());
            test.completeNow();
          })));
    });
  }

  /** An observer that throws from {@code method} and otherwise lets the run go on. */
  private static RunObserver throwingIn(String method) {
    return (RunObserver) Proxy.newProxyInstance(RunObserver.class.getClassLoader(), new Class<?>[] {RunObserver.class},
        (proxy, called, args) -> {
          if (called.getName().equals(method)) {
            throw new IllegalStateException("bug in " + method);
          }
          return called.getReturnType() == boolean.class ? Boolean.TRUE : null;
        });
  }

  /** Answers every attempt at once with an empty update, on the caller's loop. */
  private static final class AnsweringDispatcher implements NodeDispatcher {
    @Override
    public long execute(String runId, RunDriver.Limits run, Task task, int attempt, int maxAttempts,
                        List<Object> resume, int remainingSteps, NodeDispatcher.Attempt done) {
      done.succeed(new NodeReply(Map.of()));
      return 0;
    }

    @Override
    public void abandon(long wait) {
    }

    @Override
    public GraphloopException failureOf(String runId, Task task, int attempt, int maxAttempts, Throwable cause,
                                        NodeDispatcher.Attempt done) {
      return new GraphloopException(FailureCode.INTERNAL, String.valueOf(cause), null, runId, null, task.node(), cause);
    }

    @Override
    public void onRetry(Task task) {
    }
  }
}
