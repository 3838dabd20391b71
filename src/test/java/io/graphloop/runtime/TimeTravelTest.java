package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Time travel as LangGraph's: replaying a thread from an earlier checkpoint runs its tasks again on a new branch,
 * and updating an earlier checkpoint forks the history; the original branch stays as it was.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TimeTravelTest {

  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  /** START -> a -> b -> c -> END; each appends "<node><its execution count>" to "log". */
  private CompiledGraph counted(String name) {
    StateGraph graph = new StateGraph(name).channel("log", Channels.append());
    for (String node : List.of("a", "b", "c")) {
      graph.addNode(node, state -> Future.succeededFuture(Map.of("log",
          node + runs.computeIfAbsent(node, n -> new AtomicInteger()).incrementAndGet())));
    }
    return graph.addEdge(START, "a").addEdge("a", "b").addEdge("b", "c").addEdge("c", END).compile();
  }

  private int count(String node) {
    return runs.getOrDefault(node, new AtomicInteger()).get();
  }

  private static ThreadState withNext(List<ThreadState> history, String node) {
    return history.stream().filter(s -> s.next().equals(List.of(node))).reduce((newer, older) -> older).orElseThrow();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async", "exit"})
  void replayingFromAnEarlierCheckpointRunsItsTasksAgainOnANewBranch(String durability, Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, counted("replay-" + durability), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("t").setDurability(Durability.SYNC);
    RunResult original = result(client.run(Map.of("log", "in"), thread));
    assertEquals(List.of("in", "a1", "b1", "c1"), original.values().getList("log"));
    List<ThreadState> before = result(client.getStateHistory("t", 0, null));
    ThreadState afterA = withNext(before, "b");

    RunResult replay = result(client.proceed(new RunOptions().setThreadId("t").setDurability(Durability.of(durability))
        .setCheckpointId(afterA.checkpointId())));
    assertEquals(List.of("in", "a1", "b2", "c2"), replay.values().getList("log"), "b and c ran again");
    assertEquals(1, count("a"), "a ran before the checkpoint and is not run again");

    List<ThreadState> after = result(client.getStateHistory("t", 0, null));
    assertEquals(replay.checkpointId(), after.get(0).checkpointId(), "the replay's branch is the thread's latest");
    List<ThreadState> branch = after.subList(0, after.size() - before.size());
    ThreadState first = branch.get(branch.size() - 1);
    assertEquals(afterA.checkpointId(), first.parentCheckpointId(), "the new branch starts at the earlier checkpoint");
    if (!durability.equals("exit")) {
      assertEquals("fork", first.source().wireName(), "a copy of the earlier checkpoint starts the branch");
      assertEquals(afterA.checkpointId(), first.metadata().get("forkOf"));
    }
    assertEquals(before, after.subList(after.size() - before.size(), after.size()), "the original branch is intact");
    assertEquals(original.values(), result(client.getState("t", original.checkpointId())).values());
  }

  @Test
  void anInputOnAnEarlierCheckpointStartsANewBranchFromItsState(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, counted("replay-input"), MEMORY)).client();
    result(client.run(Map.of("log", "in"), new RunOptions().setThreadId("t")));
    ThreadState afterB = withNext(result(client.getStateHistory("t", 0, null)), "c");

    RunResult branch = result(client.run(Map.of("log", "again"),
        new RunOptions().setThreadId("t").setCheckpointId(afterB.checkpointId())));
    assertEquals(List.of("in", "a1", "b1", "again", "a2", "b2", "c2"), branch.values().getList("log"));
    ThreadState input = result(client.getStateHistory("t", 0, null)).stream()
        .filter(s -> s.source().wireName().equals("input") && afterB.checkpointId().equals(s.parentCheckpointId()))
        .findFirst().orElseThrow();
    assertEquals(List.of("__start__"), input.next(), "LangGraph's input checkpoint: START's task is due");
  }

  @Test
  void updatingAnEarlierCheckpointForksTheHistoryAndLeavesTheOriginalBranchIntact(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, counted("fork"), MEMORY)).client();
    RunResult original = result(client.run(Map.of("log", "in"), new RunOptions().setThreadId("t")));
    List<ThreadState> before = result(client.getStateHistory("t", 0, null));
    ThreadState afterA = withNext(before, "b");

    ThreadState fork = result(client.updateState("t", afterA.checkpointId(), Map.of("log", "edited"), "a"));
    assertEquals("update", fork.source().wireName(), "LangGraph 1.2.12: an update is an update, also on an earlier checkpoint");
    assertEquals(afterA.checkpointId(), fork.parentCheckpointId());
    assertEquals(List.of("in", "a1", "edited"), fork.values().getList("log"));
    assertEquals(List.of("b"), fork.next());
    assertEquals(fork.checkpointId(), result(client.getState("t")).checkpointId(), "the fork is the latest");

    RunResult continued = result(client.proceed(new RunOptions().setThreadId("t")));
    assertEquals(List.of("in", "a1", "edited", "b2", "c2"), continued.values().getList("log"));

    List<ThreadState> after = result(client.getStateHistory("t", 0, null));
    assertEquals(before.size() + 3, after.size(), "the fork and its two steps were added");
    assertEquals(before, after.subList(3, after.size()), "the original branch is intact");
    assertEquals(List.of(continued.checkpointId(), fork.checkpointId()),
        List.of(after.get(0).checkpointId(), after.get(2).checkpointId()));
    assertEquals(fork.checkpointId(), after.get(1).parentCheckpointId());
    assertEquals(List.of("in", "a1", "b1", "c1"),
        result(client.getState("t", original.checkpointId())).values().getList("log"));
  }

  /**
   * As LangGraph 1.2.12 (the expected values are its output for the same graph): a resume naming the interrupted
   * checkpoint re-runs the task with the answer stored since ("yes"), not the new one; a replay without an answer
   * asks again, and the next resume branches the decision.
   */
  @Test
  void replayingAnInterruptedCheckpointAsksAgainAndANewAnswerBranchesTheDecision(Vertx vertx) {
    AtomicInteger drafts = new AtomicInteger();
    CompiledGraph graph = new StateGraph("decide")
        .addNode("draft", state -> Future.succeededFuture(Map.of("draft", "v" + drafts.incrementAndGet())))
        .addNode("approve", (state, ctx) -> Future.succeededFuture(Map.of("decision",
            ctx.interrupt(Map.of("question", "Publish " + state.getString("draft") + "?")))))
        .addEdge(START, "draft").addEdge("draft", "approve").addEdge("approve", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("t");
    RunResult asked = result(client.run(Map.of(), thread));
    assertEquals(RunStatus.INTERRUPTED, asked.status());
    assertEquals("yes", result(client.run(Command.resume("yes"), thread)).values().getString("decision"));
    RunOptions atAsked = new RunOptions().setThreadId("t").setCheckpointId(asked.checkpointId());

    assertEquals("yes", result(client.run(Command.resume("no"), atAsked)).values().getString("decision"));
    RunResult again = result(client.proceed(atAsked));
    assertEquals(RunStatus.INTERRUPTED, again.status());
    assertEquals(Map.of("question", "Publish v1?"), again.interrupts().get(0).get("value"));
    assertEquals("no", result(client.run(Command.resume("no"), thread)).values().getString("decision"));
    assertEquals(1, drafts.get(), "draft ran before the interrupted checkpoint");
    List<String> decisions = result(client.getStateHistory("t", 0, null)).stream()
        .filter(s -> s.values().has("decision")).map(s -> s.values().getString("decision")).toList();
    assertEquals(List.of("no", "yes", "yes"), decisions, "every decision is in the history, newest first");
    assertTrue(result(client.getState("t")).values().getString("decision").equals("no"));
  }
}
