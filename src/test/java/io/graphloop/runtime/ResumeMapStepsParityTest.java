package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.InterruptIds;
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

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Where a {@code Command.resume} map of interrupt ids answers, as LangGraph 1.2.12's: only the tasks of the resumed
 * step take its entries (LangGraph's {@code _scratchpad} consults the map only while the loaded checkpoint has
 * pending writes), so an interrupt of a later step, or of a subgraph started afresh in one, asks even when the map
 * names its id; and an entrypoint stores a mapped answer only when an interrupt took it, so an entry for a task call
 * that did not ask during the run does not answer it in a later run. As LangGraph's, the id of a task not planned
 * yet cannot be known in advance (task ids derive from the checkpoint a task is planned from), so the map of the
 * first test names a later task only by a well-formed id that is not its own; the id of a task call of a planned
 * entrypoint can be computed, so the last test names exactly the id LangGraph could not know. The expected values are
 * the output of src/test/resources/langgraph/resume_maps.py (its printed labels are named), which shows LangGraph's
 * rule with maps that answer every id they are asked for.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ResumeMapStepsParityTest {

  private static StateGraph askers(String name, String... nodes) {
    StateGraph graph = new StateGraph(name).channel("log", Channels.append()).strictChannels();
    for (String node : nodes) {
      graph.addNode(node, (state, ctx) -> Future.succeededFuture(Map.of("log",
          List.of(node + "=" + ctx.interrupt("q " + node)))));
    }
    return graph;
  }

  private static List<Object> values(RunResult result) {
    List<Object> values = new ArrayList<>();
    result.interrupts().forEach(i -> values.add(i.get("value")));
    return values;
  }

  /** An interrupt id of {@code node}'s task in {@code step} of thread {@code thread} by the rule before LangGraph's. */
  private static String idOf(String thread, int step, String node) {
    return SubgraphThreads.interruptId(thread, node, thread + ":" + step + ":" + node);
  }

  /** The interrupt id of the first task of {@code state} (the digest of its checkpoint namespace). */
  private static String idOf(ThreadState state) {
    return InterruptIds.of((String) state.tasks().get(0).get("checkpointNs"));
  }

  /** "steps ..." lines: the map names ask2's id too, but ask2 runs in the step after the resumed one and asks. */
  @Test
  void aMapAnswersOnlyTheResumedStep(Vertx vertx) {
    CompiledGraph graph = askers("resume-map-steps", "ask1", "ask2").addEdge(START, "ask1").addEdge("ask1", "ask2")
        .addEdge("ask2", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");
    RunResult first = result(client.run(Map.of("log", List.of()), thread));
    assertEquals(List.of("q ask1"), values(first));
    String ask1 = (String) first.interrupts().get(0).get("id");
    ThreadState state = result(client.getState("1"));
    assertEquals(idOf(state), ask1, "the digest of the task's namespace");
    String guessed = idOf("1", state.step() + 2, "ask2"); // ask2's id is not known before ask2 is planned

    RunResult mapped = result(client.run(Command.resume(Map.of(ask1, "mapped", guessed, "mapped")), thread));
    assertEquals(List.of("ask1=mapped"), mapped.values().get("log"));
    assertEquals(List.of("q ask2"), values(mapped));
    assertEquals(idOf(result(client.getState("1"))), mapped.interrupts().get(0).get("id"));
    assertNotEquals(guessed, mapped.interrupts().get(0).get("id"));
    assertEquals(List.of("ask1=mapped", "ask2=plain"),
        result(client.run(Command.resume("plain"), thread)).values().get("log"));
  }

  /** "parallel ..." lines: both tasks of the resumed step take the map's answers; the join after them asks. */
  @Test
  void everyTaskOfTheResumedStepTakesItsEntry(Vertx vertx) {
    CompiledGraph graph = askers("resume-map-parallel", "a", "b", "c").addEdge(START, "a").addEdge(START, "b")
        .addEdge(List.of("a", "b"), "c").addEdge("c", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("2");
    RunResult first = result(client.run(Map.of("log", List.of()), thread));
    assertEquals(List.of("q a", "q b"), values(first).stream().map(String::valueOf).sorted().toList());
    int step = result(client.getState("2")).step();
    Map<String, Object> map = new LinkedHashMap<>();
    first.interrupts().forEach(i -> map.put((String) i.get("id"), "mapped"));
    map.put(idOf("2", step + 2, "c"), "mapped");
    RunResult mapped = result(client.run(Command.resume(map), thread));
    assertEquals(List.of("a=mapped", "b=mapped"), ((List<?>) mapped.values().get("log")).stream()
        .map(String::valueOf).sorted().toList());
    assertEquals(List.of("q c"), values(mapped));
  }

  /** "subgraph map": a subgraph started afresh in the step after the resumed one asks. */
  @Test
  void aSubgraphStartedAfterTheResumedStepAsks(Vertx vertx) {
    CompiledGraph child = askers("resume-map-child", "inner").addEdge(START, "inner").addEdge("inner", END)
        .compile();
    CompiledGraph graph = askers("resume-map-parent", "ask1").addSubgraph("sub", child).addEdge(START, "ask1")
        .addEdge("ask1", "sub").addEdge("sub", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("3");
    RunResult first = result(client.run(Map.of("log", List.of()), thread));
    RunResult mapped = result(client.run(Command.resume(Map.of((String) first.interrupts().get(0).get("id"),
        "mapped")), thread));
    assertEquals(List.of("q inner"), values(mapped));
    ThreadState state = result(client.getState("3", null, true));
    String inner = (String) mapped.interrupts().get(0).get("id");
    assertEquals(InterruptIds.of(state.tasks().get(0).get("checkpointNs") + "|"
        + state.subgraphState(0).tasks().get(0).get("checkpointNs")), inner);
    assertEquals(RunStatus.SUCCESS, result(client.run(Command.resume("plain"), thread)).status());
  }

  /**
   * "functional ..." lines: the body asks, then {@code t("1")} and {@code t("2")}. The second run's map answers the
   * body and names {@code t("2")}'s id (computed from the entrypoint's task id), not {@code t("1")}'s: {@code t("1")}
   * stops the entrypoint before {@code t("2")} is called, so that entry is not kept, and the third run sees
   * {@code t("2")} ask, while the body's answer, taken, is kept.
   */
  @Test
  void anEntrypointKeepsOnlyTheMappedAnswersItsInterruptsTook(Vertx vertx) {
    Task<String, String> t = Task.of("t", (q, ctx) -> Future.succeededFuture(q + "=" + ctx.interrupt("q" + q)));
    CompiledGraph graph = Entrypoint.<Object, Object>of("resume-map-wf", (input, ctx) -> {
      Object a0 = ctx.interrupt("q0");
      return ctx.call(t, "1").compose(one -> ctx.call(t, "2").map(two -> List.of(a0, one, two)));
    }).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("4");
    RunResult first = result(client.run(Entrypoint.input(1), thread));
    assertEquals(List.of("q0"), values(first));
    Map<String, Object> entrypoint = result(client.getState("4")).tasks().get(0);
    String namespace = (String) entrypoint.get("checkpointNs");
    String secondCall = UUID.nameUUIDFromBytes((entrypoint.get("id") + "|1|t").getBytes(StandardCharsets.UTF_8))
        .toString();
    String t2 = InterruptIds.of(namespace + "|t:" + secondCall);

    RunResult mapped = result(client.run(Command.resume(Map.of((String) first.interrupts().get(0).get("id"), "A",
        t2, "C")), thread));
    assertEquals(List.of("q1"), values(mapped));
    RunResult third = result(client.run(Command.resume(Map.of((String) mapped.interrupts().get(0).get("id"), "B")),
        thread));
    assertEquals(List.of("q2"), values(third));
    assertEquals(t2, third.interrupts().get(0).get("id"), "the id the second run's map named");
    RunResult last = result(client.run(Command.resume(Map.of(t2, "D")), thread));
    assertEquals(List.of("A", "1=B", "2=D"), Entrypoint.output(last));
  }
}
