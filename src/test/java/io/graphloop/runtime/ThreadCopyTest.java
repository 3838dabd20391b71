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
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Copying a thread ({@link GraphClient#copyThread}, LangGraph Server's {@code POST /threads/{id}/copy}, whose
 * checkpointer copies every checkpoint of the thread under the new id, keeping the checkpoint ids): the copy has the
 * original's whole history with the same ids, steps and sources; a copy of a thread interrupted inside a subgraph
 * resumes on its own (its child's checkpoints were copied, its task and interrupt ids renamed) while the original
 * stays interrupted and can be answered differently.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ThreadCopyTest {

  private static final io.graphloop.state.Channel CONCAT = Channels.reducer((a, b) -> (String) a + b);

  private static CompiledGraph nested(String name, AtomicInteger innerRuns) {
    CompiledGraph inner = new StateGraph(name + "-inner")
        .channel("my_key", CONCAT)
        .addNode("inner_1", state -> {
          innerRuns.incrementAndGet();
          return Future.succeededFuture(Map.of("my_key", " inner_1"));
        })
        .addNode("inner_2", (state, ctx) -> {
          Object answer = ctx.interrupt("approve?");
          return Future.succeededFuture(Map.of("my_key", " inner_2:" + answer));
        })
        .addEdge(START, "inner_1").addEdge("inner_1", "inner_2").addEdge("inner_2", END)
        .compile();
    return new StateGraph(name)
        .channel("my_key", CONCAT)
        .addNode("outer_1", state -> Future.succeededFuture(Map.of("my_key", " outer_1")))
        .addSubgraph("inner", inner)
        .addEdge(START, "outer_1").addEdge("outer_1", "inner").addEdge("inner", END)
        .compile();
  }

  @Test
  void aCopyHasTheWholeHistoryAndResumesOnItsOwn(Vertx vertx) {
    AtomicInteger innerRuns = new AtomicInteger();
    GraphClient client = result(GraphRuntime.deploy(vertx, nested("copied", innerRuns), MEMORY)).client();
    RunResult asked = result(client.run(Map.of("my_key", "x"), new RunOptions().setThreadId("original")));
    assertEquals(RunStatus.INTERRUPTED, asked.status());

    ThreadState copyState = result(client.copyThread("original", "copy"));
    assertEquals("copy", copyState.threadId());
    assertEquals(List.of("inner"), copyState.next());
    assertEquals(List.of("approve?"), copyState.tasks().get(0).get("interrupts"));
    String copiedInterrupt = (String) copyState.interrupts().get(0).get("id");
    String originalInterrupt = (String) result(client.getState("original")).interrupts().get(0).get("id");
    // the interrupt's id digests the child task's namespace; task ids derive from checkpoint ids, which the copy
    // keeps, not from the thread: the copy's interrupt has the original's id, as LangGraph's copy keeps its ids
    Map<String, Object> copiedEntry = copyState.interrupts().get(0);
    Map<String, Object> originalEntry = result(client.getState("original")).interrupts().get(0);
    assertEquals(originalEntry.get("taskId"), copiedEntry.get("taskId"), copiedEntry.toString());
    assertEquals(io.graphloop.graph.InterruptIds.of(copiedEntry.get("ns") + "|" + io.graphloop.graph.InterruptIds
        .taskNamespace((String) copiedEntry.get("node"), (String) copiedEntry.get("taskId"))), copiedInterrupt);
    assertEquals(originalInterrupt, copiedInterrupt, "the copy's interrupt keeps its id");

    List<ThreadState> original = result(client.getStateHistory("original", 0, null));
    List<ThreadState> copy = result(client.getStateHistory("copy", 0, null));
    assertEquals(ids(original), ids(copy), "the same checkpoints, with the same ids");
    for (int i = 0; i < original.size(); i++) {
      assertEquals(original.get(i).step(), copy.get(i).step());
      assertEquals(original.get(i).source(), copy.get(i).source());
      assertEquals(original.get(i).parentCheckpointId(), copy.get(i).parentCheckpointId());
      assertEquals(original.get(i).values().asMap(), copy.get(i).values().asMap());
      assertEquals("copy", copy.get(i).threadId());
    }
    ThreadState child = result(client.getState("copy", null, true)).subgraphState(0);
    assertEquals(Map.of("my_key", "x outer_1 inner_1"), child.values().asMap(), "the child's checkpoints came too");

    RunResult yes = result(client.run(Command.resume("yes"), new RunOptions().setThreadId("copy")));
    assertEquals(RunStatus.SUCCESS, yes.status());
    assertEquals("x outer_1x outer_1 inner_1 inner_2:yes", yes.values().getString("my_key"));
    assertEquals(1, innerRuns.get(), "the copy's child continued from its copied checkpoint");
    assertEquals(List.of("inner"), result(client.getState("original")).next(), "the original still waits");
    RunResult no = result(client.run(Command.resume("no"), new RunOptions().setThreadId("original")));
    assertEquals("x outer_1x outer_1 inner_1 inner_2:no", no.values().getString("my_key"));
  }

  @Test
  void aCopyNeedsAnExistingThreadAndANewId(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, nested("copy-refusals", new AtomicInteger()), MEMORY))
        .client();
    result(client.run(Map.of("my_key", "x"), new RunOptions().setThreadId("a")));
    result(client.run(Map.of("my_key", "y"), new RunOptions().setThreadId("b")));
    GraphloopException unknown = assertInstanceOf(GraphloopException.class, failure(client.copyThread("nope", "c")));
    assertEquals(FailureCode.UNKNOWN_TARGET, unknown.code(), unknown.getMessage());
    GraphloopException taken = assertInstanceOf(GraphloopException.class, failure(client.copyThread("a", "b")));
    assertEquals(FailureCode.BAD_REQUEST, taken.code());
    assertTrue(taken.getMessage().contains("already has checkpoints"), taken.getMessage());
    assertEquals("y", result(client.getStateHistory("b", 0, null)).get(0).values().getString("my_key")
        .substring(0, 1), "the refused copy left the existing thread alone");
    GraphloopException same = assertInstanceOf(GraphloopException.class, failure(client.copyThread("a", "a")));
    assertEquals(FailureCode.BAD_REQUEST, same.code());
    GraphloopException foreign = assertInstanceOf(GraphloopException.class,
        failure(client.asOwner("mallory").copyThread("a", "stolen")));
    assertEquals(FailureCode.UNKNOWN_TARGET, foreign.code(), "another owner's thread is not found");
  }

  private static List<String> ids(List<ThreadState> states) {
    List<String> ids = new ArrayList<>();
    states.forEach(state -> ids.add(state.checkpointId()));
    return ids;
  }
}
