package io.graphloop.runtime;

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
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11, item 14: after a crash between a step's stored task writes and the step's checkpoint, the thread is not
 * finished, and its state says what is due. Here both tasks of step 1 ({@code a} and {@code b}, in parallel) stored
 * their writes, then the store refused the step's checkpoint (the "crash"); the thread's newest checkpoint is the
 * one before step 1, every task of which has its writes. Before, {@code next} was empty there (nothing left of the
 * checkpoint's tasks); it is {@code [c]}, what the step's writes lead to, and continuing the thread runs just that.
 * (LangGraph 1.2.12 shows an empty {@code next} there: src/docs/LANGGRAPH-DIFFERENCES.md.)
 *
 * <p>The JUnit thread waits on futures with a bound; nothing blocks an event loop.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class CrashBeforeStepCheckpointTest {

  @Test
  void aThreadWhoseStepWritesAreStoredButNotItsCheckpointShowsWhatIsDueAndRunsOnlyThat(Vertx vertx) {
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    AtomicInteger c = new AtomicInteger();
    CompiledGraph graph = new StateGraph("crash-before-step").channel("trail", Channels.append())
        .addNode("a", state -> Future.succeededFuture(Map.of("trail", List.of("a" + a.incrementAndGet()))))
        .addNode("b", state -> Future.succeededFuture(Map.of("trail", List.of("b" + b.incrementAndGet()))))
        .addNode("c", state -> Future.succeededFuture(Map.of("trail", List.of("c" + c.incrementAndGet()))))
        .addEdge(START, "a").addEdge(START, "b").addEdge("a", "c").addEdge("b", "c").addEdge("c", END)
        .compile();
    // the input checkpoint and step 0's are stored; step 1's is refused after a's and b's writes were stored
    CrashingStore crashing = new CrashingStore(2);
    GraphRuntime first = result(GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions(), crashing));
    RunOptions thread = new RunOptions().setThreadId("t").setDurability(Durability.SYNC);
    Future<RunResult> crashed = first.client().run(Map.of("trail", List.of("in")), thread)
        .recover(e -> Future.succeededFuture(null));
    assertEquals(null, result(crashed), "the run fails when its step checkpoint cannot be saved");
    result(first.undeploy());
    assertEquals(2, result(crashing.delegate.writes("t", result(crashing.delegate.latest("t")).checkpointId()))
        .stream().map(w -> w.taskId()).distinct().count(), "both tasks of step 1 stored their writes");

    GraphRuntime second = result(GraphRuntime.deploy(vertx, graph, new GraphRuntimeOptions(), crashing.delegate));
    ThreadState state = result(second.client().getState("t"));
    assertEquals(List.of("c"), state.next(), "what the stored writes lead to is due: " + state);
    assertEquals(List.of("in", "a1", "b1"), state.values().getList("trail"), "the state shows the stored writes");

    RunResult resumed = result(second.client().proceed(thread));
    assertEquals(List.of("in", "a1", "b1", "c1"), resumed.values().getList("trail"));
    assertEquals(List.of(1, 1, 1), List.of(a.get(), b.get(), c.get()), "a and b did not run again; c ran once");
    assertTrue(result(second.client().getState("t")).next().isEmpty(), "finished");
    result(second.undeploy());
  }
}
