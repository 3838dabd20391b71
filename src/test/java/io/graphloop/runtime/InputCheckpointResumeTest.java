package io.graphloop.runtime;

import io.graphloop.checkpoint.CheckpointSource;
import io.graphloop.checkpoint.MemoryCheckpointStore;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread whose newest checkpoint is its input checkpoint (LangGraph's {@code source: "input"}, step -1, START's
 * task due) can be continued: after a crash between the input checkpoint and the first loop checkpoint (the clean-
 * clone CI's GroupCommitCrashIT found threads standing there), and on a replay from it, as LangGraph 1.2.12 replays
 * (src/test/resources/langgraph/input_checkpoint.py prints the history this test expects).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class InputCheckpointResumeTest {

  private static final GraphRuntimeOptions NO_OWN_STORE = new GraphRuntimeOptions();

  private static CompiledGraph graph(String name) {
    return new StateGraph(name).channel("trail", Channels.append())
        .addNode("a", (state, ctx) -> Future.succeededFuture(Map.of("trail", List.of("a"))))
        .addNode("b", (state, ctx) -> Future.succeededFuture(Map.of("trail", List.of("b"))))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END)
        .compile();
  }

  @Test
  void aThreadStoppedAfterItsInputCheckpointContinuesWithTheInput(Vertx vertx) {
    CompiledGraph graph = graph("crash-after-input");
    CrashingStore crashing = new CrashingStore(1);
    GraphRuntime first = result(GraphRuntime.deploy(vertx, graph, NO_OWN_STORE, crashing));
    RunOptions options = new RunOptions().setThreadId("t").setDurability(Durability.SYNC);
    Future<RunResult> crashed = first.client().run(Map.of("trail", List.of("in")), options).recover(
        e -> Future.succeededFuture(null));
    assertEquals(null, result(crashed), "the run fails when its loop checkpoint cannot be saved");
    result(first.undeploy());
    assertEquals(CheckpointSource.INPUT, result(crashing.delegate.latest("t")).source(),
        "the thread stands at its input checkpoint");

    GraphRuntime second = result(GraphRuntime.deploy(vertx, graph, NO_OWN_STORE, crashing.delegate));
    RunResult resumed = result(second.client().proceed(options));
    assertEquals(List.of("in", "a", "b"), resumed.values().getList("trail"), "the input is applied once, then a, b");
    List<ThreadState> history = result(second.client().getStateHistory("t", 0, null));
    assertEquals(List.of("loop 2 [] [in, a, b]", "loop 1 [b] [in, a]", "loop 0 [a] [in]", "input -1 [__start__] []"),
        history.stream().map(InputCheckpointResumeTest::line).toList());
    result(second.undeploy());
  }

  @Test
  void aReplayFromTheInputCheckpointForksItAndRunsTheWholeGraphAgain(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, graph("replay-from-input"), NO_OWN_STORE,
        new MemoryCheckpointStore())).client();
    RunOptions options = new RunOptions().setThreadId("t");
    result(client.run(Map.of("trail", List.of("in")), options));
    List<ThreadState> before = result(client.getStateHistory("t", 0, null));
    ThreadState input = before.get(before.size() - 1);
    assertEquals(CheckpointSource.INPUT, input.source());

    RunResult replay = result(client.run((Map<String, ?>) null,
        new RunOptions().setThreadId("t").setCheckpointId(input.checkpointId())));
    assertEquals(List.of("in", "a", "b"), replay.values().getList("trail"));
    List<ThreadState> after = result(client.getStateHistory("t", 0, null));
    // LangGraph 1.2.12 (input_checkpoint.py): loop 3, loop 2 [b], loop 1 [a], fork 0 [__start__] on the input
    assertEquals(List.of("loop 3 [] [in, a, b]", "loop 2 [b] [in, a]", "loop 1 [a] [in]", "fork 0 [__start__] []"),
        after.subList(0, 4).stream().map(InputCheckpointResumeTest::line).toList());
    assertEquals(input.checkpointId(), after.get(3).parentCheckpointId(), "the fork's parent is the input checkpoint");
    assertTrue(after.size() == before.size() + 4, "the original branch is kept: " + after.size());
  }

  private static String line(ThreadState state) {
    return state.source().wireName() + " " + state.step() + " " + state.next() + " "
        + state.values().getList("trail");
  }
}
