package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.InterruptIds;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Interrupt ids of LangGraph's shape (the XXH3-128 digest of the asking task's checkpoint namespace) and
 * {@code Command.resume} maps read by LangGraph's rule (every key has that shape), kept for the whole resumed run.
 * Ported from LangGraph 1.2.12's {@code test_interrupt_multiple} (map style), {@code test_multiple_interrupt_state_persistence},
 * {@code test_null_resume_disallowed_with_multiple_interrupts}, {@code test_interrupt_task_functional} (with maps) and
 * the Send-to-subgraph resume-map test of {@code test_pregel.py}; expected values printed by
 * {@code src/test/resources/langgraph/interrupt_ids.py}, which also checks that a client computes each id from the
 * task it sees, as these tests do.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class InterruptIdsParityTest {

  private static GraphClient deploy(Vertx vertx, CompiledGraph graph) {
    return result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
  }

  private static List<Object> values(List<Map<String, Object>> interrupts) {
    List<Object> values = new ArrayList<>();
    interrupts.forEach(interrupt -> values.add(interrupt.get("value")));
    return values;
  }

  @Test
  void idsAreDigestsOfTheNamespaceAsLangGraphsAre() {
    // xxhash.xxh3_128_hexdigest(b"abc") and of a namespace longer than 240 bytes (XXH3's long-input path)
    assertEquals("06b05ab6733a618578af5f94892f3950", InterruptIds.of("abc"));
    assertEquals("d29952893c0686929130739d4b67895b",
        InterruptIds.of("node:1ef4a9b8-6b2b-6d5c-8000-000000000000".repeat(8)));
    assertTrue(InterruptIds.isResumeMap(Map.of(InterruptIds.of("x"), 1)));
    assertTrue(InterruptIds.isResumeMap(Map.of()), "LangGraph: all() of no keys");
    assertTrue(!InterruptIds.isResumeMap(Map.of("not-an-id", 1)));
    assertTrue(!InterruptIds.isResumeMap(Map.of("06B05AB6733A618578AF5F94892F3950", 1)), "lower-case hex only");
    assertTrue(!InterruptIds.isResumeMap("06b05ab6733a618578af5f94892f3950"));
  }

  /** {@code test_interrupt_multiple} with {@code resume_style="map"}: both interrupts of one task share its id. */
  @Test
  void testInterruptMultiple(Vertx vertx) {
    CompiledGraph graph = new StateGraph("multiple").channel("my_key", Channels.reducer((a, b) -> a + "" + b))
        .addNode("node", (state, ctx) -> {
          Object answer = ctx.interrupt(Map.of("value", 1));
          Object answer2 = ctx.interrupt(Map.of("value", 2));
          return Future.succeededFuture(Map.of("my_key", answer + " " + answer2));
        })
        .addEdge(START, "node").addEdge("node", END).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("1");

    RunResult first = result(client.run(Map.of("my_key", "DE", "market", "DE"), thread));
    assertEquals(List.of(Map.of("value", 1)), values(first.interrupts()));
    String id = (String) first.interrupts().get(0).get("id");
    assertTrue(InterruptIds.isId(id), id);
    ThreadState state = result(client.getState("1"));
    assertEquals(InterruptIds.of((String) state.tasks().get(0).get("checkpointNs")), id, "computed from the task");

    RunResult second = result(client.run(Command.ofUpdate(Map.of("my_key", " foofoo "))
        .andResume(Map.of(id, "answer 1")), thread));
    assertEquals(List.of(Map.of("value", 2)), values(second.interrupts()));
    assertEquals(id, second.interrupts().get(0).get("id"), "the same task, the same id");

    RunResult third = result(client.run(Command.resume(Map.of(id, "answer 2")), thread));
    assertEquals(RunStatus.SUCCESS, third.status());
    assertEquals("DE foofoo answer 1 answer 2", third.values().getString("my_key"));
  }

  /** {@code test_multiple_interrupt_state_persistence}: nothing is written until the node returns. */
  @Test
  void testMultipleInterruptStatePersistence(Vertx vertx) {
    CompiledGraph graph = new StateGraph("persistence").channel("steps", Channels.append())
        .addNode("node", (state, ctx) -> {
          Object first = ctx.interrupt("First interrupt");
          Object second = ctx.interrupt("Second interrupt");
          return Future.succeededFuture(Map.of("steps", List.of(first, second)));
        })
        .addEdge(START, "node").addEdge("node", END).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("1");

    result(client.run(Map.of("steps", List.of()), thread));
    ThreadState state = result(client.getState("1"));
    assertEquals(Map.of("steps", List.of()), state.values().asMap());
    assertEquals(List.of("First interrupt"), values(state.interrupts()));
    result(client.run(Command.resume("step1"), thread));
    state = result(client.getState("1"));
    assertEquals(Map.of("steps", List.of()), state.values().asMap());
    assertEquals(List.of("Second interrupt"), values(state.interrupts()));
    RunResult done = result(client.run(Command.resume("step2"), thread));
    assertEquals(List.of("step1", "step2"), done.values().get("steps"));
    assertEquals(List.of("step1", "step2"), result(client.getState("1")).values().get("steps"));
  }

  private static CompiledGraph twoHumans() {
    return new StateGraph("humans")
        .addNode("human_node_1", (state, ctx) -> Future.succeededFuture(Map.of("text_1",
            ctx.interrupt(Map.of("text_to_revise", state.getString("text_1"))))))
        .addNode("human_node_2", (state, ctx) -> Future.succeededFuture(Map.of("text_2",
            ctx.interrupt(Map.of("text_to_revise", state.getString("text_2"))))))
        .addEdge(START, "human_node_1").addEdge(START, "human_node_2")
        .addEdge("human_node_1", END).addEdge("human_node_2", END).compile();
  }

  /**
   * {@code test_null_resume_disallowed_with_multiple_interrupts}, plus: a map naming one interrupt answers it alone,
   * a map whose keys are not all ids is a plain value (refused here), and a map of ids naming no pending interrupt
   * answers nothing (both ask again).
   */
  @Test
  void testNullResumeDisallowedWithMultipleInterrupts(Vertx vertx) {
    GraphClient client = deploy(vertx, twoHumans());
    RunOptions thread = new RunOptions().setThreadId("1");
    result(client.run(Map.of("text_1", "original text 1", "text_2", "original text 2"), thread));
    ThreadState state = result(client.getState("1"));
    List<String> computed = new ArrayList<>();
    state.tasks().forEach(task -> computed.add(InterruptIds.of((String) task.get("checkpointNs"))));
    List<String> reported = new ArrayList<>();
    state.interrupts().forEach(interrupt -> reported.add((String) interrupt.get("id")));
    assertEquals(computed.stream().sorted().toList(), reported.stream().sorted().toList());

    GraphloopException plain = assertInstanceOf(GraphloopException.class,
        Await.failure(client.run(Command.resume("singular resume"), thread)));
    assertEquals(FailureCode.BAD_REQUEST, plain.code());
    assertTrue(plain.getMessage().contains("multiple pending interrupts"), plain.getMessage());

    Map<String, Object> one = new LinkedHashMap<>();
    for (Map<String, Object> interrupt : state.interrupts()) {
      String text = (String) ((Map<?, ?>) interrupt.get("value")).get("text_to_revise");
      if (text.endsWith("1")) {
        one.put((String) interrupt.get("id"), "only " + text);
      }
    }
    RunResult partial = result(client.run(Command.resume(one), thread));
    assertEquals(List.of(Map.of("text_to_revise", "original text 2")), values(partial.interrupts()));
    assertEquals(List.of("human_node_2"), result(client.getState("1")).next());
    Map<String, Object> rest = new LinkedHashMap<>();
    for (Map<String, Object> interrupt : result(client.getState("1")).interrupts()) {
      rest.put((String) interrupt.get("id"), "resume for prompt: "
          + ((Map<?, ?>) interrupt.get("value")).get("text_to_revise"));
    }
    RunResult done = result(client.run(Command.resume(rest), thread));
    assertEquals(Map.of("text_1", "only original text 1", "text_2", "resume for prompt: original text 2"),
        done.values().asMap());

    RunOptions other = new RunOptions().setThreadId("2");
    result(client.run(Map.of("text_1", "x", "text_2", "y"), other));
    GraphloopException otherKeys = assertInstanceOf(GraphloopException.class,
        Await.failure(client.run(Command.resume(Map.of("not-an-id", 1)), other)));
    assertTrue(otherKeys.getMessage().contains("multiple pending interrupts"), otherKeys.getMessage());
    RunResult nobody = result(client.run(Command.resume(Map.of("0".repeat(32), "nobody")), other));
    assertEquals(List.of("x", "y"), nobody.interrupts().stream()
        .map(i -> (String) ((Map<?, ?>) i.get("value")).get("text_to_revise")).sorted().toList());
  }

  /** {@code test_interrupt_task_functional}, second graph, resumed with maps: one task called twice asks twice. */
  @Test
  void testInterruptTaskFunctionalWithMaps(Vertx vertx) {
    Task<Map<String, Object>, Map<String, Object>> foo = Task.of("foo",
        (state, ctx) -> Future.succeededFuture(Map.of("a", state.get("a") + "foo")));
    Task<Map<String, Object>, Map<String, Object>> bar = Task.of("bar",
        (state, ctx) -> Future.succeededFuture(Map.of("a", state.get("a") + "" + ctx.interrupt(
            "Provide value for bar:"))));
    CompiledGraph graph = Entrypoint.<Map<String, Object>, Object>of("graph", (inputs, ctx) -> ctx.call(foo, inputs)
        .compose(fooResult -> ctx.call(bar, fooResult)).compose(barResult -> ctx.call(bar, barResult))).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("2");

    RunResult first = result(client.run(Entrypoint.input(Map.of("a", "")), thread));
    assertEquals(List.of("Provide value for bar:"), values(first.interrupts()));
    RunResult second = result(client.run(Command.resume(Map.of((String) first.interrupts().get(0).get("id"), "bar")),
        thread));
    assertEquals(List.of("Provide value for bar:"), values(second.interrupts()));
    RunResult third = result(client.run(Command.resume(Map.of((String) second.interrupts().get(0).get("id"), "baz")),
        thread));
    assertEquals(Map.of("a", "foobarbaz"), Entrypoint.output(third));
  }

  /**
   * An interrupt not reported yet: two task calls run at once and both ask; the run reports the one the entrypoint
   * waits for. A client computes the other's id from its task event (the entrypoint's namespace, then
   * {@code ask:<call id>}) and answers both in one resume, as with LangGraph.
   */
  @Test
  void aKeyNamingAnInterruptNotReportedYetAnswersItWhenItAsks(Vertx vertx) {
    Task<String, String> ask = Task.blocking("ask", (q, ctx) -> {
      if (q.equals("a")) {
        Thread.sleep(300);
      }
      return q + ":" + ctx.interrupt(q);
    });
    CompiledGraph graph = Entrypoint.<Object, Object>of("wf2", (input, ctx) -> {
      Future<String> a = ctx.call(ask, "a");
      Future<String> b = ctx.call(ask, "b");
      return a.compose(first -> b.map(second -> List.of(first, second)));
    }).compile();
    GraphClient client = deploy(vertx, graph);
    RunOptions thread = new RunOptions().setThreadId("1");

    List<StreamEvent> events = result(collect(vertx, () -> client.stream(Entrypoint.input(1), thread,
        StreamMode.UPDATES, StreamMode.TASKS)));
    Map<String, String> calls = new LinkedHashMap<>();
    List<Object> reported = new ArrayList<>();
    for (StreamEvent event : events) {
      if (event.event() == StreamEventType.TASKS && "ask".equals(event.data().get("name"))
          && event.data().containsKey("input")) {
        calls.put(String.valueOf(event.data().get("input")), (String) event.data().get("id"));
      }
      if (event.event() == StreamEventType.UPDATES && event.data().containsKey("__interrupt__")) {
        ((List<?>) event.data().get("__interrupt__")).forEach(i -> reported.add(((Map<?, ?>) i).get("value")));
      }
    }
    assertEquals(List.of("a"), reported);
    ThreadState state = result(client.getState("1"));
    assertEquals(List.of("a"), values(state.interrupts()));
    String entry = (String) state.tasks().get(0).get("checkpointNs");
    Map<String, String> ids = new LinkedHashMap<>();
    calls.forEach((q, callId) -> ids.put(q, InterruptIds.of(entry + "|ask:" + callId)));
    assertEquals(ids.get("a"), state.interrupts().get(0).get("id"), "computed from the task events");

    RunResult both = result(client.run(Command.resume(Map.of(ids.get("a"), "A", ids.get("b"), "B")), thread));
    assertEquals(RunStatus.SUCCESS, both.status());
    assertEquals(List.of("a:A", "b:B"), Entrypoint.output(both));
  }

  /** Sends to a subgraph node whose child interrupts: the parent's interrupts answered by one map, then the rest. */
  @Test
  void sendsToASubgraphAreAnsweredByTheirIds(Vertx vertx) {
    CompiledGraph child = new StateGraph("child").channel("human_inputs", Channels.append())
        .addNode("get_human_input", (state, ctx) -> {
          Object input = ctx.interrupt(state.getString("prompt"));
          return Future.succeededFuture(Map.of("human_input", input, "human_inputs", List.of(input)));
        })
        .addEdge(START, "get_human_input").addEdge("get_human_input", END).compile();
    CompiledGraph parent = new StateGraph("parent").channel("prompts", Channels.lastValue())
        .channel("human_inputs", Channels.append()).strictChannels()
        .addSubgraph("child_graph", child)
        .addNode("cleanup", (state, ctx) -> Future.succeededFuture(Map.of()))
        .addConditionalEdges(START, state -> {
          List<Object> sends = new ArrayList<>();
          ((List<?>) state.get("prompts")).forEach(p -> sends.add(new Send("child_graph", Map.of("prompt", p))));
          return sends;
        }, List.of("child_graph"))
        .addEdge("child_graph", "cleanup").addEdge("cleanup", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, parent, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("p");

    RunResult first = result(client.run(Map.of("prompts", List.of("a", "b", "c")), thread));
    assertEquals(List.of("a", "b", "c"), values(first.interrupts()).stream().map(String::valueOf).sorted().toList());
    ThreadState state = result(client.getState("p", null, true));
    List<String> computed = new ArrayList<>();
    for (int i = 0; i < state.tasks().size(); i++) {
      ThreadState childState = state.subgraphState(i);
      computed.add(InterruptIds.of(state.tasks().get(i).get("checkpointNs") + "|"
          + childState.tasks().get(0).get("checkpointNs")));
    }
    assertEquals(computed.stream().sorted().toList(), state.interrupts().stream()
        .map(i -> (String) i.get("id")).sorted().toList(), "computed from the tasks of the states");

    Map<String, Object> one = new LinkedHashMap<>();
    state.interrupts().stream().filter(i -> "b".equals(i.get("value")))
        .forEach(i -> one.put((String) i.get("id"), "human input for prompt b"));
    RunResult partial = result(client.run(Command.resume(one), thread));
    assertEquals(List.of("a", "c"), values(partial.interrupts()).stream().map(String::valueOf).sorted().toList());
    Map<String, Object> rest = new LinkedHashMap<>();
    result(client.getState("p")).interrupts().forEach(i -> rest.put((String) i.get("id"),
        "human input for prompt " + i.get("value")));
    RunResult done = result(client.run(Command.resume(rest), thread));
    assertEquals(Map.of("prompts", List.of("a", "b", "c"), "human_inputs", List.of("human input for prompt a",
        "human input for prompt b", "human input for prompt c")), done.values().asMap());
  }
}
