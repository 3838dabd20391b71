package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A thread's state from outside its runs (LangGraph's get_state, get_state_history, update_state), through
 * {@link GraphClient}: what a checkpoint shows, paging through the history, updates as a node, and the failures.
 * The tests wait on the JUnit thread, one bounded wait per step.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ThreadStateTest {

  static final GraphRuntimeOptions MEMORY = new GraphRuntimeOptions()
      .setCheckpointer(new JsonObject().put("type", "memory"));

  /** START -> a -> b -> c -> END, each appending its name to "log". */
  static CompiledGraph chain(String name) {
    return new StateGraph(name)
        .channel("log", Channels.append())
        .addNode("a", state -> Future.succeededFuture(Map.of("log", "a")))
        .addNode("b", state -> Future.succeededFuture(Map.of("log", "b")))
        .addNode("c", state -> Future.succeededFuture(Map.of("log", "c")))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", "c").addEdge("c", END).compile();
  }

  @Test
  void getStateShowsTheFinalValuesAndTheHistoryListsEveryCheckpointNewestFirst(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, chain("history"), MEMORY)).client();
    RunResult run = result(client.run(Map.of("log", "in"), new RunOptions().setThreadId("t1")));

    ThreadState latest = result(client.getState("t1"));
    assertEquals(List.of("in", "a", "b", "c"), latest.values().getList("log"));
    assertEquals(run.checkpointId(), latest.checkpointId(), "the run's result names the latest checkpoint");
    assertEquals(List.of(), latest.next(), "the run reached END");
    assertEquals("loop", latest.source().wireName());
    assertEquals(3, latest.step());
    assertEquals(List.of("c"), latest.metadata().get("ran"));
    assertEquals(run.runId(), latest.metadata().get("runId"));
    assertFalse(latest.isInterrupted());

    List<ThreadState> history = result(client.getStateHistory("t1", 0, null));
    // as LangGraph 1.2.12: input (-1, START due), START's step 0, then one per node step
    assertEquals(List.of(3, 2, 1, 0, -1), history.stream().map(ThreadState::step).toList());
    assertEquals(List.of("loop", "loop", "loop", "loop", "input"), history.stream().map(h -> h.source().wireName())
        .toList());
    assertEquals(List.of(List.of(), List.of("c"), List.of("b"), List.of("a"), List.of("__start__")),
        history.stream().map(ThreadState::next).toList());
    for (int i = 0; i < history.size() - 1; i++) {
      assertEquals(history.get(i + 1).checkpointId(), history.get(i).parentCheckpointId(), "a chain of parents");
    }
    assertNull(history.get(4).parentCheckpointId());

    List<ThreadState> firstPage = result(client.getStateHistory("t1", 2, null));
    List<ThreadState> secondPage = result(client.getStateHistory("t1", 2, firstPage.get(1).checkpointId()));
    assertEquals(history.subList(0, 2).stream().map(ThreadState::checkpointId).toList(),
        firstPage.stream().map(ThreadState::checkpointId).toList());
    assertEquals(history.subList(2, 4).stream().map(ThreadState::checkpointId).toList(),
        secondPage.stream().map(ThreadState::checkpointId).toList());

    ThreadState afterA = result(client.getState("t1", history.get(2).checkpointId()));
    assertEquals(List.of("in", "a"), afterA.values().getList("log"));
    assertEquals(List.of("b"), afterA.next());
  }

  @Test
  void anInterruptedThreadShowsWhatItWaitsForAndWhichSiblingsCompleted(Vertx vertx) {
    CompiledGraph graph = new StateGraph("waiting")
        .addNode("draft", state -> Future.succeededFuture(Map.of("draft", "text v1")))
        .addNode("approve", (state, ctx) -> Future.succeededFuture(Map.of("decision",
            ctx.interrupt(Map.of("question", "Publish?")))))
        .addNode("publish", state -> Future.succeededFuture(Map.of("published", true)))
        .addEdge(START, "draft").addEdge(START, "approve")
        .addEdge(List.of("draft", "approve"), "publish").addEdge("publish", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("review");
    assertEquals(RunStatus.INTERRUPTED, result(client.run(Map.of(), thread)).status());

    ThreadState waiting = result(client.getState("review"));
    assertTrue(waiting.isInterrupted());
    assertEquals(List.of("approve"), waiting.next(), "draft completed: only approve is still due");
    assertEquals(List.of("draft", "approve"), waiting.tasks().stream().map(t -> t.get("node")).toList());
    assertEquals(Map.of("draft", "text v1"), waiting.tasks().get(0).get("result"));
    assertEquals(List.of(Map.of("question", "Publish?")), waiting.tasks().get(1).get("interrupts"));
    // the interrupt id is LangGraph's: the digest of the task's checkpoint namespace, which the task shows
    assertEquals(Map.of("id", io.graphloop.graph.InterruptIds.of((String) waiting.tasks().get(1).get("checkpointNs")),
        "node", "approve", "taskId", waiting.tasks().get(1).get("id"), "value", Map.of("question", "Publish?")),
        waiting.interrupts().get(0));
    assertEquals("text v1", waiting.values().getString("draft"), "the current state shows completed siblings' writes");
    ThreadState saved = result(client.getState("review", waiting.checkpointId()));
    assertFalse(saved.values().has("draft"), "the checkpoint as saved");
    assertEquals(List.of("draft", "approve"), saved.next());

    assertEquals(RunStatus.SUCCESS, result(client.run(Command.resume("yes"), thread)).status());
    ThreadState done = result(client.getState("review"));
    assertFalse(done.isInterrupted());
    assertEquals("yes", done.values().getString("decision"));
  }

  @Test
  void updateStateWritesThroughTheReducersAndPlansTheNodesEdges(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, chain("update"), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("t-up").setInterruptBefore(List.of("c"));
    RunResult stopped = result(client.run(Map.of("log", "in"), thread));
    assertEquals(List.of(Map.of("node", "c", "when", "before")), stopped.interrupts());

    ThreadState updated = result(client.updateState("t-up", Map.of("log", "human"), "b"));
    assertEquals("update", updated.source().wireName());
    assertEquals(stopped.checkpointId(), updated.parentCheckpointId());
    assertEquals(result(client.getState("t-up", stopped.checkpointId())).step() + 1, updated.step());
    assertEquals(List.of("in", "a", "b", "human"), updated.values().getList("log"), "appended by the reducer");
    assertEquals(List.of("c"), updated.next(), "planned from b's edge");
    assertEquals("b", updated.metadata().get("asNode"));
    assertEquals(updated.checkpointId(), result(client.getState("t-up")).checkpointId(), "the thread's latest");

    RunResult resumed = result(client.proceed(new RunOptions().setThreadId("t-up")));
    assertEquals(List.of("in", "a", "b", "human", "c"), resumed.values().getList("log"));

    ThreadState asA = result(client.updateState("t-up", Map.of("log", "again"), "a"));
    assertEquals(List.of("b"), asA.next(), "as a: a's edge leads to b");
    assertEquals(List.of("in", "a", "b", "human", "c", "again", "b", "c"),
        result(client.proceed(new RunOptions().setThreadId("t-up"))).values().getList("log"));
  }

  @Test
  void updateStateWithoutAsNodeUsesTheNodeThatRanLastOrStartAndRefusesWhenAmbiguous(Vertx vertx) {
    CompiledGraph graph = new StateGraph("infer")
        .channel("log", Channels.append())
        .addNode("x", state -> Future.succeededFuture(Map.of("log", "x")))
        .addNode("y", state -> Future.succeededFuture(Map.of("log", "y")))
        .addNode("z", state -> Future.succeededFuture(Map.of("log", "z")))
        .addEdge(START, "x").addEdge(START, "y").addEdge("x", "z").addEdge("y", "z").addEdge("z", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();

    ThreadState fresh = result(client.updateState("new-thread", Map.of("log", "seed"), null));
    assertEquals(START, fresh.metadata().get("asNode"), "a thread without checkpoints takes the values as input");
    assertEquals(List.of("x", "y"), fresh.next());
    assertNull(fresh.parentCheckpointId());
    assertEquals(List.of("seed", "x", "y", "z"),
        result(client.proceed(new RunOptions().setThreadId("new-thread"))).values().getList("log"));

    ThreadState afterZ = result(client.updateState("new-thread", Map.of("log", "note"), null));
    assertEquals("z", afterZ.metadata().get("asNode"), "z ran last, alone");
    assertEquals(List.of(), afterZ.next(), "z's edge leads to END");

    RunOptions stopAtZ = new RunOptions().setThreadId("parallel").setInterruptBefore(List.of("z"));
    result(client.run(Map.of("log", "in"), stopAtZ));
    GraphloopException ambiguous = assertInstanceOf(GraphloopException.class,
        failure(client.updateState("parallel", Map.of("log", "?"), null)));
    assertEquals(FailureCode.BAD_REQUEST, ambiguous.code());
    assertTrue(ambiguous.getMessage().contains("Ambiguous update") && ambiguous.getMessage().contains("[x, y]")
        && ambiguous.getMessage().contains("Pass asNode"), ambiguous.getMessage());
  }

  @Test
  void updateStateAsEndLeavesNothingToContinueAndProceedReturnsTheStateWithoutRunning(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, chain("to-end"), MEMORY)).client();
    result(client.run(Map.of("log", "in"), new RunOptions().setThreadId("t").setInterruptBefore(List.of("b"))));
    ThreadState ended = result(client.updateState("t", Map.of("log", "cancelled"), END));
    assertEquals(List.of(), ended.next());
    // LangGraph 1.2.12: invoke(None, config) on a thread with nothing due returns its state and runs nothing
    RunResult again = result(client.proceed(new RunOptions().setThreadId("t")));
    assertEquals(ended.values().getList("log"), again.values().getList("log"));
    assertEquals(ended.checkpointId(), result(client.getState("t")).checkpointId(), "nothing was saved");
    GraphloopException empty = assertInstanceOf(GraphloopException.class,
        failure(client.proceed(new RunOptions().setThreadId("new-thread"))));
    assertEquals(FailureCode.BAD_REQUEST, empty.code());
    assertTrue(empty.getMessage().contains("EmptyInputError"), empty.getMessage());
  }

  @Test
  void badThreadRequestsFailClearly(Vertx vertx) {
    CompiledGraph strict = new StateGraph("strict").strictChannels()
        .channel("log", Channels.append())
        .addNode("a", (state, ctx) -> ctx.vertx().timer(400).map(t -> Map.of("log", "a")))
        .addEdge(START, "a").addEdge("a", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, strict, MEMORY)).client();

    GraphloopException unknownThread = assertInstanceOf(GraphloopException.class, failure(client.getState("nobody")));
    assertEquals(FailureCode.UNKNOWN_TARGET, unknownThread.code());
    assertTrue(unknownThread.getMessage().contains("'nobody'"), unknownThread.getMessage());
    assertEquals(FailureCode.UNKNOWN_TARGET, ((GraphloopException) failure(client.getStateHistory("nobody", 5,
        null))).code());

    result(client.run(Map.of("log", "in"), new RunOptions().setThreadId("t")));
    GraphloopException unknownCheckpoint = assertInstanceOf(GraphloopException.class,
        failure(client.getState("t", "0190ffff-0000-7000-8000-000000000000")));
    assertEquals(FailureCode.UNKNOWN_TARGET, unknownCheckpoint.code());
    assertTrue(unknownCheckpoint.getMessage().contains("0190ffff-0000-7000-8000-000000000000"),
        unknownCheckpoint.getMessage());

    GraphloopException unknownNode = assertInstanceOf(GraphloopException.class,
        failure(client.updateState("t", Map.of("log", "x"), "nope")));
    assertEquals(FailureCode.BAD_REQUEST, unknownNode.code());
    assertTrue(unknownNode.getMessage().contains("'nope'") && unknownNode.getMessage().contains("[a]"),
        unknownNode.getMessage());

    // a key outside a strict graph's channels is dropped, as LangGraph's update_state drops keys outside its schema
    // (OutsideSchemaTest)
    assertEquals(false, result(client.updateState("t", Map.of("other", 1), "a")).values().has("other"));

    Future<RunResult> inFlight = client.run(Map.of("log", "again"), new RunOptions().setThreadId("t"));
    result(vertx.timer(100));
    GraphloopException busy = assertInstanceOf(GraphloopException.class,
        failure(client.updateState("t", Map.of("log", "x"), "a")));
    assertEquals(FailureCode.THREAD_BUSY, busy.code());
    assertTrue(busy.getMessage().contains("'t'") && busy.getMessage().contains("run in flight"), busy.getMessage());
    assertEquals(RunStatus.SUCCESS, result(inFlight).status());

    GraphClient plain = result(GraphRuntime.deploy(vertx, chain("no-store"))).client();
    GraphloopException noStore = assertInstanceOf(GraphloopException.class, failure(plain.getState("t")));
    assertEquals(FailureCode.BAD_REQUEST, noStore.code());
    assertTrue(noStore.getMessage().contains("without a checkpointer"), noStore.getMessage());
  }
}
