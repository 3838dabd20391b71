package io.graphloop.runtime;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
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
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Under {@code exit} durability a per-invocation subgraph's child run that completes saves nothing, as LangGraph's
 * nested loop ({@code _suppress_interrupt}: a nested loop saves at exit only when interrupted or failed, or when its
 * namespace has no task id, a {@code checkpointer=True} subgraph); the thread of a graph and a stateful child save
 * their last checkpoint. Runs on the child threads named as the runtime names them ({@link SubgraphThreads}).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class NestedExitSaveTest {

  private static final String TASK_NS = "inner:0b7f2c1e-5d4a-4e3b-9c2d-1a2b3c4d5e6f";

  private static int stored(GraphRuntime runtime, String thread) {
    return result(runtime.checkpointer().store().list(thread, Integer.MAX_VALUE, null)).size();
  }

  private static CompiledGraph graph(String name, boolean asks) {
    return new StateGraph(name).channel("log", Channels.append())
        .addNode("a", (state, ctx) -> Future.succeededFuture(Map.of("log", asks ? ctx.interrupt("q?") : "a")))
        .addNode("b", (state, ctx) -> Future.succeededFuture(Map.of("log", "b")))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END).compile();
  }

  private static void run(GraphRuntime runtime, String thread) {
    result(runtime.client().run(Map.of("log", List.of()), new RunOptions().setThreadId(thread)
        .setDurability(Durability.EXIT)));
  }

  @Test
  void aCompletedPerInvocationChildSavesNothingUnderExit(Vertx vertx) {
    GraphRuntime runtime = result(GraphRuntime.deploy(vertx, graph("nes-done", false), MEMORY));
    run(runtime, "t|" + TASK_NS);
    run(runtime, "t|outer:1b7f2c1e-5d4a-4e3b-9c2d-1a2b3c4d5e6f|inner"); // a stateful child under a per-invocation one
    assertEquals(0, stored(runtime, "t|" + TASK_NS));
    assertEquals(0, stored(runtime, "t|outer:1b7f2c1e-5d4a-4e3b-9c2d-1a2b3c4d5e6f|inner"));
  }

  @Test
  void theGraphsThreadAStatefulChildAndAnInterruptedChildSaveTheirLastCheckpoint(Vertx vertx) {
    GraphRuntime runtime = result(GraphRuntime.deploy(vertx, graph("nes-kept", false), MEMORY));
    for (String thread : List.of("t", "t|inner", "t|outer|inner", "user:thread", "a|b:c")) {
      run(runtime, thread);
      assertEquals(1, stored(runtime, thread), thread);
    }
    GraphRuntime asking = result(GraphRuntime.deploy(vertx, graph("nes-asks", true), MEMORY));
    run(asking, "t|" + TASK_NS);
    assertEquals(1, stored(asking, "t|" + TASK_NS));
  }
}
