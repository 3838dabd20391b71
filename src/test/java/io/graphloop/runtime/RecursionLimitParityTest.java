package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.GraphRecursionException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The recursion limit counted as LangGraph 1.2.12 counts it ({@code _loop.py}: {@code stop = step + recursion_limit +
 * 1} from the step after the loaded checkpoint, checked before every step, even when nothing is due there), in every
 * kind of run: a fresh run ({@code test_invoke_two_processes_in_out} of {@code test_pregel.py}: {@code START -> a ->
 * END} fails at limit 1), a Send fan-out and a loop through Sends, a subgraph (which counts its own steps from its own
 * start), a second run on a thread, a resume after an interrupt and a replay from an earlier checkpoint (which saves a
 * fork one step on first). For each scenario and limit 1..6 the expected line is LangGraph's: {@code ok} and the
 * result, or {@code error} and the thread's state afterwards (values, next, step). Expected values are the output of
 * src/test/resources/langgraph/recursion_limit.py run against LangGraph 1.2.12.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
class RecursionLimitParityTest {

  private static StateGraph appending(String name) {
    return new StateGraph(name).channel("value", Channels.append());
  }

  private static StateGraph node(StateGraph graph, String node) {
    return graph.addNode(node, state -> Future.succeededFuture(Map.of("value", List.of(node))));
  }

  private static CompiledGraph chain(String name, String... nodes) {
    StateGraph graph = appending(name);
    String previous = START;
    for (String node : nodes) {
      node(graph, node).addEdge(previous, node);
      previous = node;
    }
    return graph.addEdge(previous, END).compile();
  }

  /**
   * Runs {@code run} on thread {@code label-limit} for limits 1..6 (after {@code before} on the same thread), and lists
   * each as LangGraph's script prints it.
   */
  private static List<String> attempts(GraphClient client, String label, Consumer<String> before,
                                       BiFunction<String, RunOptions, Future<RunResult>> run) {
    List<String> lines = new ArrayList<>();
    for (int limit = 1; limit <= 6; limit++) {
      String thread = label + "-" + limit;
      if (before != null) {
        before.accept(thread);
      }
      RunOptions options = new RunOptions().setThreadId(thread).setRecursionLimit(limit);
      try {
        RunResult done = result(run.apply(thread, options));
        lines.add(label + " " + limit + " ok " + done.values().getList("value") + " "
            + done.interrupts().stream().map(i -> i.get("value")).toList());
      } catch (RuntimeException e) {
        assertInstanceOf(GraphRecursionException.class, e, label + " at limit " + limit);
        ThreadState state = result(client.getState(thread));
        lines.add(label + " " + limit + " error " + state.values().getList("value") + " " + state.next() + " "
            + state.step());
      }
    }
    return lines;
  }

  private static List<String> lines(String... lines) {
    return Arrays.asList(lines);
  }

  private static GraphClient deploy(Vertx vertx, CompiledGraph graph) {
    return result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
  }

  private static final Map<String, Object> EMPTY = Map.of("value", List.of());

  /** test_invoke_two_processes_in_out: START -> a -> END fails at recursion_limit=1; a chain of N nodes needs N + 1. */
  @Test
  void aFreshRunNeedsOneStepMoreThanItsNodeSteps(Vertx vertx) {
    GraphClient one = deploy(vertx, chain("rl-one", "a"));
    assertEquals(lines("one-node 1 error [a] [] 1", "one-node 2 ok [a] []", "one-node 3 ok [a] []",
        "one-node 4 ok [a] []", "one-node 5 ok [a] []", "one-node 6 ok [a] []"),
        attempts(one, "one-node", null, (t, o) -> one.run(EMPTY, o)));
    GraphClient three = deploy(vertx, chain("rl-three", "a", "b", "c"));
    assertEquals(lines("three 1 error [a] [b] 1", "three 2 error [a, b] [c] 2", "three 3 error [a, b, c] [] 3",
        "three 4 ok [a, b, c] []", "three 5 ok [a, b, c] []", "three 6 ok [a, b, c] []"),
        attempts(three, "three", null, (t, o) -> three.run(EMPTY, o)));
  }

  /** A Send fan-out is one step whatever the number of Sends; a loop through Sends counts each of its steps. */
  @Test
  void sendStepsCountOncePerStep(Vertx vertx) {
    StateGraph fan = appending("rl-send");
    node(fan, "fan");
    fan.addNode("w", state -> Future.succeededFuture(Map.of("value", List.of("w" + state.getList("value").get(0)))));
    node(fan, "after");
    fan.addEdge(START, "fan")
        .addConditionalEdges("fan", state -> List.of(new Send("w", Map.of("value", List.of("x"))),
            new Send("w", Map.of("value", List.of("y"))), new Send("w", Map.of("value", List.of("z")))), List.of("w"))
        .addEdge("w", "after").addEdge("after", END);
    GraphClient send = deploy(vertx, fan.compile());
    assertEquals(lines("send 1 error [fan] [w, w, w] 1", "send 2 error [fan, wx, wy, wz] [after] 2",
        "send 3 error [fan, wx, wy, wz, after] [] 3", "send 4 ok [fan, wx, wy, wz, after] []",
        "send 5 ok [fan, wx, wy, wz, after] []", "send 6 ok [fan, wx, wy, wz, after] []"),
        attempts(send, "send", null, (t, o) -> send.run(EMPTY, o)));

    StateGraph loop = appending("rl-send-loop")
        .addNode("loop", state -> Future.succeededFuture(Map.of("value", List.of("l"))))
        .addEdge(START, "loop")
        .addConditionalEdges("loop", state -> state.getList("value").size() >= 3 ? END
            : List.of(new Send("loop", state.asMap())), List.of("loop", END));
    GraphClient loops = deploy(vertx, loop.compile());
    assertEquals(lines("send-loop 1 error [l] [loop] 1", "send-loop 2 error [l, l] [loop] 2",
        "send-loop 3 error [l, l, l] [] 3", "send-loop 4 ok [l, l, l] []", "send-loop 5 ok [l, l, l] []",
        "send-loop 6 ok [l, l, l] []"),
        attempts(loops, "send-loop", null, (t, o) -> loops.run(EMPTY, o)));
  }

  /**
   * A subgraph counts its own steps from its own start with the run's limit: three node steps in the child need 4,
   * however few steps the parent has taken; the child's failure fails the parent, which stays before the subgraph.
   */
  @Test
  void aSubgraphHasItsOwnBudgetUnderTheSameLimit(Vertx vertx) {
    StateGraph parent = appending("rl-parent");
    node(parent, "p1").addSubgraph("sub", chain("rl-child", "c1", "c2", "c3"));
    node(parent, "p2").addEdge(START, "p1").addEdge("p1", "sub").addEdge("sub", "p2").addEdge("p2", END);
    GraphClient client = deploy(vertx, parent.compile());
    assertEquals(lines("subgraph 1 error [p1] [sub] 1", "subgraph 2 error [p1] [sub] 1",
        "subgraph 3 error [p1] [sub] 1", "subgraph 4 ok [p1, p1, c1, c2, c3, p2] []",
        "subgraph 5 ok [p1, p1, c1, c2, c3, p2] []", "subgraph 6 ok [p1, p1, c1, c2, c3, p2] []"),
        attempts(client, "subgraph", null, (t, o) -> client.run(EMPTY, o)));
  }

  /**
   * A second run on a thread, a resume after an interrupt and a replay count from the checkpoint they load: the
   * limit covers the run's own steps (a resumed run may take limit + 2 steps: it has no input step; a replay first
   * saves its fork one step on).
   */
  @Test
  void laterRunsCountFromTheCheckpointTheyLoad(Vertx vertx) {
    GraphClient second = deploy(vertx, chain("rl-second", "a", "b"));
    assertEquals(lines("second-run 1 error [first, a, b, second, a] [b] 5",
        "second-run 2 error [first, a, b, second, a, b] [] 6", "second-run 3 ok [first, a, b, second, a, b] []",
        "second-run 4 ok [first, a, b, second, a, b] []", "second-run 5 ok [first, a, b, second, a, b] []",
        "second-run 6 ok [first, a, b, second, a, b] []"),
        attempts(second, "second-run",
            t -> result(second.run(Map.of("value", List.of("first")), new RunOptions().setThreadId(t))),
            (t, o) -> second.run(Map.of("value", List.of("second")), o)));

    StateGraph asking = appending("rl-resume");
    node(node(node(asking, "a"), "b"), "c")
        .addNode("ask", (state, ctx) -> Future.succeededFuture(Map.of("value", List.of("ask:" + ctx.interrupt("Q?")))))
        .addEdge(START, "a").addEdge("a", "ask").addEdge("ask", "b").addEdge("b", "c").addEdge("c", END);
    GraphClient resume = deploy(vertx, asking.compile());
    assertEquals(lines("resume 1 error [a, ask:yes, b, c] [] 4", "resume 2 ok [a, ask:yes, b, c] []",
        "resume 3 ok [a, ask:yes, b, c] []", "resume 4 ok [a, ask:yes, b, c] []", "resume 5 ok [a, ask:yes, b, c] []",
        "resume 6 ok [a, ask:yes, b, c] []"),
        attempts(resume, "resume", t -> result(resume.run(EMPTY, new RunOptions().setThreadId(t))),
            (t, o) -> resume.run(Command.resume("yes"), o)));

    GraphClient replay = deploy(vertx, chain("rl-replay", "a", "b", "c"));
    assertEquals(lines("replay 1 error [a, b, c] [] 4", "replay 2 ok [a, b, c] []", "replay 3 ok [a, b, c] []",
        "replay 4 ok [a, b, c] []", "replay 5 ok [a, b, c] []", "replay 6 ok [a, b, c] []"),
        attempts(replay, "replay", t -> result(replay.run(EMPTY, new RunOptions().setThreadId(t))),
            (t, o) -> replay.proceed(o.setCheckpointId(result(replay.getStateHistory(t, 0, null)).stream()
                .filter(s -> s.next().equals(List.of("b"))).findFirst().orElseThrow().checkpointId()))));
  }
}
