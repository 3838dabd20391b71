package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.MultitaskStrategy;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One run at a time per thread (LangGraph Server's multitask strategies): a second run on a busy thread is
 * rejected ({@code reject}, the default) or queued behind it ({@code enqueue}), while other threads run freely.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class MultitaskTest {

  private final List<String> ended = Collections.synchronizedList(new ArrayList<>());

  /** One slow node (300 ms) appending the run's input "who" to "log". */
  private CompiledGraph slow(String name) {
    return slow(name, 300);
  }

  /** One node taking {@code ms} appending the run's input "who" to "log". */
  private CompiledGraph slow(String name, long ms) {
    return new StateGraph(name)
        .channel("log", Channels.append())
        .addNode("work", (state, ctx) -> ctx.vertx().timer(ms).map(t -> {
          ended.add(state.getString("who"));
          return Map.of("log", "done " + state.getString("who"));
        }))
        .addEdge(START, "work").addEdge("work", END).compile();
  }

  @Test
  void enqueuedRunsOnOneThreadBothSucceedInOrderAndTheSecondSeesTheFirstsState(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, slow("enqueue"), MEMORY)).client();
    RunOptions queued = new RunOptions().setThreadId("t").setMultitaskStrategy(MultitaskStrategy.ENQUEUE);
    Future<RunResult> first = client.run(Map.of("who", "first", "log", "first"), queued);
    result(vertx.timer(50));
    Future<RunResult> second = client.run(Map.of("who", "second", "log", "second"), queued);

    assertEquals(List.of("first", "done first"), result(first).values().getList("log"));
    assertEquals(List.of("first", "done first", "second", "done second"), result(second).values().getList("log"),
        "the second run started from the state the first left");
    assertEquals(List.of("first", "second"), ended, "one after the other");
  }

  @Test
  void anEnqueuedRunCancelledWhileItWaitsEndsAtOnceAndNeverRuns(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, slow("cancel-queued", 1_500), MEMORY)).client();
    RunOptions queued = new RunOptions().setThreadId("t").setMultitaskStrategy(MultitaskStrategy.ENQUEUE);
    Future<RunResult> first = client.run(Map.of("who", "first", "log", "first"), queued);
    result(vertx.timer(50));
    Future<RunResult> second = client.run(Map.of("who", "second"), new RunOptions(queued).setRunId("queued-2"));
    Future<RunResult> third = client.run(Map.of("who", "third"), queued);
    result(vertx.timer(50));

    assertTrue(result(client.cancel("queued-2")), "the coordinator confirms the cancellation");
    GraphloopException cancelled = assertInstanceOf(GraphloopException.class, failure(second));
    assertEquals(FailureCode.CANCELLED, cancelled.code());
    assertTrue(cancelled.getMessage().contains("waited for its thread"), cancelled.getMessage());
    assertFalse(first.isComplete(), "answered at once, while the first run still held the thread");

    assertEquals(RunStatus.SUCCESS, result(first).status());
    assertEquals(List.of("first", "done first", "done third"), result(third).values().getList("log"),
        "the next run in the queue takes the thread; the cancelled one never ran");
    assertEquals(List.of("first", "third"), ended);
  }

  @Test
  void aRejectedRunFailsAtOnceAndAnEnqueuedOneGivesUpAtItsDeadlineWhileOtherThreadsRun(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, slow("reject", 1_500), MEMORY)).client();
    Future<RunResult> busy = client.run(Map.of("who", "first"), new RunOptions().setThreadId("t"));
    result(vertx.timer(50));

    GraphloopException rejected = assertInstanceOf(GraphloopException.class, failure(client.run(Map.of("who", "x"),
        new RunOptions().setThreadId("t").setMultitaskStrategy(MultitaskStrategy.REJECT))));
    assertEquals(FailureCode.THREAD_BUSY, rejected.code());
    assertTrue(rejected.getMessage().contains("Thread 't'") && rejected.getMessage().contains("enqueue"),
        rejected.getMessage());
    // at once: while the first run still holds the thread (ordered by events, not timed: a loaded machine)
    assertFalse(busy.isComplete(), "rejected only after the first run ended, not at once");

    GraphloopException gaveUp = assertInstanceOf(GraphloopException.class, failure(client.run(Map.of("who", "y"),
        new RunOptions().setThreadId("t").setMultitaskStrategy(MultitaskStrategy.ENQUEUE).setTimeoutMs(100))));
    assertEquals(FailureCode.THREAD_BUSY, gaveUp.code());
    assertTrue(gaveUp.getMessage().contains("did not end within 100 ms"), gaveUp.getMessage());

    RunResult other = result(client.run(Map.of("who", "other"), new RunOptions().setThreadId("other-thread")));
    assertEquals(RunStatus.SUCCESS, other.status());
    assertEquals(RunStatus.SUCCESS, result(busy).status());
    assertEquals(List.of("first", "other"), ended.stream().sorted().toList());
  }
}
