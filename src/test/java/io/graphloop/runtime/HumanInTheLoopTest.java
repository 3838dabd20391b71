package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
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

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Human in the loop: dynamic interrupts ({@code ctx.interrupt(payload)} answered by {@code Command.resume(value)})
 * in every durability mode, several interrupts in one node, several interrupted nodes, and static breakpoints
 * compiled into the graph or set per run.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class HumanInTheLoopTest {

  @ParameterizedTest
  @ValueSource(strings = {"sync", "async", "exit"})
  void aNodeInterruptsAndResumesWithTheAnswerInEveryDurabilityMode(String durability, Vertx vertx) {
    AtomicInteger asks = new AtomicInteger();
    CompiledGraph graph = new StateGraph("ask-" + durability)
        .addNode("ask", (state, ctx) -> {
          asks.incrementAndGet();
          Object name = ctx.interrupt(Map.of("question", "Your name?"));
          return Future.succeededFuture(Map.of("greeting", "Hello, " + name));
        })
        .addEdge(START, "ask").addEdge("ask", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("t").setDurability(Durability.of(durability));

    RunResult asked = result(client.run(Map.of(), thread));
    assertEquals(RunStatus.INTERRUPTED, asked.status());
    assertEquals(Map.of("question", "Your name?"), asked.interrupts().get(0).get("value"));
    assertEquals(List.of("ask"), result(client.getState("t")).next());

    RunResult answered = result(client.run(Command.resume("Ada"), thread));
    assertEquals(RunStatus.SUCCESS, answered.status());
    assertEquals("Hello, Ada", answered.values().getString("greeting"));
    assertEquals(2, asks.get(), "the node runs again from its start");
  }

  @Test
  void aStreamedRunInterruptsAndAStreamedCommandResumeAnswersIt(Vertx vertx) {
    CompiledGraph graph = new StateGraph("ask-streamed")
        .addNode("ask", (state, ctx) -> {
          Object name = ctx.interrupt(Map.of("question", "Your name?"));
          return Future.succeededFuture(Map.of("greeting", "Hello, " + name));
        })
        .addEdge(START, "ask").addEdge("ask", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("s");

    List<StreamEvent> asked = result(collect(vertx, () -> client.stream(Map.of(), thread, StreamMode.UPDATES)));
    StreamEvent askedEnd = asked.get(asked.size() - 1);
    assertEquals(StreamEvent.END, askedEnd.event());
    assertEquals("interrupted", askedEnd.data().get("status"));
    StreamEvent interrupt = asked.get(asked.size() - 2); // LangGraph's updates chunk {"__interrupt__": [...]}
    assertEquals("updates", interrupt.event().wireName());
    assertEquals("__interrupt__", interrupt.node());
    List<?> pending = (List<?>) interrupt.data().get("__interrupt__");
    assertEquals(Map.of("question", "Your name?"), ((Map<?, ?>) pending.get(0)).get("value"));
    assertEquals(((List<?>) askedEnd.data().get("interrupts")).stream().map(i -> ((Map<?, ?>) i).get("id")).toList(),
        List.of(((Map<?, ?>) pending.get(0)).get("id")), "the interrupt's id, the key of a resume map");

    List<StreamEvent> answered = result(collect(vertx,
        () -> client.stream(Command.resume("Ada"), thread, StreamMode.UPDATES)));
    assertEquals(List.of("ask"), answered.stream().filter(e -> e.event().wireName().equals("updates")).map(StreamEvent::node)
        .toList());
    StreamEvent end = answered.get(answered.size() - 1);
    assertEquals("success", end.data().get("status"));
    assertEquals("Hello, Ada", ((Map<?, ?>) end.data().get("values")).get("greeting"));
    assertThrows(IllegalArgumentException.class, () -> client.stream(Command.ofUpdate(Map.of()), thread,
        StreamMode.UPDATES), "an empty Command is not a run's input (LangGraph's EmptyInputError)");
  }

  /** Every event of the stream {@code open} starts on a Vert.x context, once it has ended. */
  private static Future<List<StreamEvent>> collect(Vertx vertx, java.util.function.Supplier<RunEventStream> open) {
    io.vertx.core.Promise<List<StreamEvent>> all = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> {
      List<StreamEvent> events = new ArrayList<>();
      RunEventStream stream = open.get();
      stream.handler(events::add);
      stream.exceptionHandler(all::tryFail);
      stream.endHandler(end -> all.tryComplete(events));
    });
    return all.future();
  }

  @Test
  void aNodeThatAsksTwiceGetsItsAnswersInOrder(Vertx vertx) {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    CompiledGraph graph = new StateGraph("twice")
        .addNode("form", (state, ctx) -> {
          Object name = ctx.interrupt("name?");
          seen.add("name=" + name);
          Object age = ctx.interrupt("age of " + name + "?");
          seen.add("age=" + age);
          return Future.succeededFuture(Map.of("form", name + "/" + age));
        })
        .addEdge(START, "form").addEdge("form", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("t");

    assertEquals("name?", result(client.run(Map.of(), thread)).interrupts().get(0).get("value"));
    RunResult second = result(client.run(Command.resume("Ada"), thread));
    assertEquals(RunStatus.INTERRUPTED, second.status());
    assertEquals("age of Ada?", second.interrupts().get(0).get("value"));
    assertEquals(List.of("age of Ada?"), result(client.getState("t")).tasks().get(0).get("interrupts"),
        "the thread shows the latest question");
    RunResult done = result(client.run(Command.resume(36), thread));
    assertEquals("Ada/36", done.values().getString("form"));
    assertEquals(List.of("name=Ada", "name=Ada", "age=36"), seen, "the first answer is replayed, in order");
  }

  @Test
  void twoInterruptedNodesAreAnsweredEachByItsInterruptIdAndNotByOnePlainValue(Vertx vertx) {
    CompiledGraph graph = new StateGraph("two")
        .addNode("left", (state, ctx) -> Future.succeededFuture(Map.of("left", ctx.interrupt("left?"))))
        .addNode("right", (state, ctx) -> Future.succeededFuture(Map.of("right", ctx.interrupt("right?"))))
        .addEdge(START, "left").addEdge(START, "right").addEdge("left", END).addEdge("right", END).compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();

    RunOptions each = new RunOptions().setThreadId("each");
    RunResult asked = result(client.run(Map.of(), each));
    assertEquals(2, asked.interrupts().size());
    GraphloopException ambiguous = assertInstanceOf(GraphloopException.class,
        Await.failure(client.run(Command.resume("ok"), each)));
    assertEquals(FailureCode.BAD_REQUEST, ambiguous.code());
    assertTrue(ambiguous.getMessage().contains("multiple pending interrupts"), ambiguous.getMessage());
    String leftTask = (String) asked.interrupts().get(0).get("id");
    String rightTask = (String) asked.interrupts().get(1).get("id");
    assertEquals(io.graphloop.graph.InterruptIds.of(io.graphloop.graph.InterruptIds.taskNamespace("left",
        (String) asked.interrupts().get(0).get("taskId"))), leftTask, "LangGraph's id: its task's namespace digested");
    assertEquals(List.of("left", "right"), result(client.getState("each")).interrupts().stream()
        .map(i -> i.get("node")).toList(), "the refused resume left both interrupts pending");
    RunResult onlyLeft = result(client.run(Command.resume(Map.of(leftTask, "L")), each));
    assertEquals(RunStatus.INTERRUPTED, onlyLeft.status(), "right was not answered");
    assertEquals(List.of("right"), onlyLeft.interrupts().stream().map(i -> i.get("node")).toList());
    RunResult done = result(client.run(Command.resume(Map.of(rightTask, "R")), each));
    assertEquals(List.of("L", "R"), List.of(done.values().getString("left"), done.values().getString("right")));
  }

  @Test
  void breakpointsCompiledIntoTheGraphStopBeforeAndAfterTheirNodes(Vertx vertx) {
    CompiledGraph graph = new StateGraph("static")
        .channel("log", Channels.append())
        .addNode("plan", state -> Future.succeededFuture(Map.of("log", "plan")))
        .addNode("act", state -> Future.succeededFuture(Map.of("log", "act")))
        .addNode("report", state -> Future.succeededFuture(Map.of("log", "report")))
        .addEdge(START, "plan").addEdge("plan", "act").addEdge("act", "report").addEdge("report", END)
        .interruptBefore("act").interruptAfter("act").compile();
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("t");

    RunResult before = result(client.run(Map.of(), thread));
    assertEquals(List.of(Map.of("node", "act", "when", "before")), before.interrupts());
    assertEquals(List.of("plan"), before.values().getList("log"));
    ThreadState waiting = result(client.getState("t"));
    assertEquals(List.of("act"), waiting.next());
    assertFalse(waiting.isInterrupted(), "a breakpoint is not a node's interrupt: nothing to answer");

    RunResult after = result(client.proceed(thread));
    assertEquals(List.of(Map.of("node", "act", "when", "after")), after.interrupts());
    assertEquals(List.of("plan", "act"), after.values().getList("log"));
    assertEquals(List.of("report"), result(client.getState("t")).next());

    RunResult done = result(client.proceed(thread));
    assertEquals(RunStatus.SUCCESS, done.status());
    assertEquals(List.of("plan", "act", "report"), done.values().getList("log"));
  }

  @Test
  void perRunBreakpointsStopOnlyThatRun(Vertx vertx) {
    CompiledGraph graph = ThreadStateTest.chain("per-run");
    GraphClient client = result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
    RunResult stopped = result(client.run(Map.of("log", "in"),
        new RunOptions().setThreadId("t").setInterruptAfter(List.of("a"))));
    assertEquals(List.of(Map.of("node", "a", "when", "after")), stopped.interrupts());
    RunResult done = result(client.proceed(new RunOptions().setThreadId("t")));
    assertEquals(List.of("in", "a", "b", "c"), done.values().getList("log"));
    RunResult unstopped = result(client.run(Map.of("log", "more"), new RunOptions().setThreadId("t")));
    assertTrue(!unstopped.isInterrupted());
  }
}
