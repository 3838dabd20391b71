package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every task of a state or history entry shows its {@code result}, as LangGraph 1.2.12's {@code StateSnapshot.tasks}:
 * also a step's only task, START's task of an input checkpoint (its input), a task that interrupted and was answered
 * (its question and its result), a state read by checkpoint id, and a due node that {@code updateState} wrote as.
 * The expected values are the output of src/test/resources/langgraph/task_results.py run against LangGraph 1.2.12
 * ({@code InMemorySaver}); a line is {@code (source, step, next, values, [(task, result, interrupt values)])}, tasks
 * and {@code next} sorted by name.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class TaskResultsParityTest {

  static List<Object> line(ThreadState state) {
    List<List<Object>> tasks = new ArrayList<>();
    for (Map<String, Object> task : state.tasks()) {
      tasks.add(Arrays.asList(task.get("node"), task.get("result"), task.get("interrupts")));
    }
    tasks.sort(Comparator.comparing(task -> String.valueOf(task.get(0))));
    return Arrays.asList(state.source().wireName(), state.step(), state.next().stream().sorted().toList(),
        state.values().asMap(), tasks);
  }

  static List<List<Object>> history(GraphClient client, String thread) {
    return result(client.getStateHistory(thread, 0, null)).stream().map(TaskResultsParityTest::line).toList();
  }

  static List<Object> line(String source, int step, List<String> next, Map<String, ?> values, Object... tasks) {
    List<Object> list = new ArrayList<>();
    for (int i = 0; i < tasks.length; i += 3) {
      list.add(Arrays.asList(tasks[i], tasks[i + 1], tasks[i + 2]));
    }
    return Arrays.asList(source, step, next, values, list);
  }

  /**
   * test_send_dedupe_on_resume (test_pregel_async.py) with a map state: a step of two Send tasks and an edge's task,
   * one Send task interrupting once; the run without input runs it again (the others keep their stored writes), and
   * every entry of the history shows each task's result, the lone tasks' too.
   */
  @Test
  void sendDedupeOnResume(Vertx vertx) {
    AtomicInteger flakyTicks = new AtomicInteger();
    AtomicInteger twoTicks = new AtomicInteger();
    StateGraph graph = new StateGraph("tr-dedupe").channel("items", Channels.append())
        .addNode("1", s -> Future.succeededFuture(Map.of("items", List.of("1"))))
        .addNode("2", s -> {
          twoTicks.incrementAndGet();
          return Future.succeededFuture(Map.of("items", List.of("2|" + s.arg())));
        })
        .addNode("3", s -> Future.succeededFuture(Map.of("items", List.of("3"))))
        .addNode("3.1", s -> Future.succeededFuture(Map.of("items", List.of("3.1"))))
        .addNode("flaky", (s, ctx) -> {
          if (flakyTicks.incrementAndGet() == 1) {
            ctx.interrupt("Bahh");
          }
          return Future.succeededFuture(Map.of("items", List.of("flaky|" + s.arg())));
        })
        .addEdge(START, "1")
        .addConditionalEdges("1", s -> List.of(new Send("2", 3), new Send("flaky", 4), "3.1"),
            List.of("2", "flaky", "3.1"))
        .addEdge("2", "3");
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");
    RunResult first = result(client.run(Map.of("items", List.of("0")), thread));
    assertEquals(List.of("Bahh"), first.interrupts().stream().map(i -> i.get("value")).toList());
    assertEquals(List.of("0", "1", "3.1", "2|3", "flaky|4", "3"),
        result(client.run((Map<String, ?>) null, thread)).values().getList("items"));
    assertEquals(List.of(2, 1), List.of(flakyTicks.get(), twoTicks.get()), "node 2 ran once, flaky twice");
    assertEquals(List.of(
        line("loop", 3, List.of(), Map.of("items", List.of("0", "1", "3.1", "2|3", "flaky|4", "3"))),
        line("loop", 2, List.of("3"), Map.of("items", List.of("0", "1", "3.1", "2|3", "flaky|4")),
            "3", Map.of("items", List.of("3")), List.of()),
        line("loop", 1, List.of("2", "3.1", "flaky"), Map.of("items", List.of("0", "1")),
            "2", Map.of("items", List.of("2|3")), List.of(),
            "3.1", Map.of("items", List.of("3.1")), List.of(),
            "flaky", Map.of("items", List.of("flaky|4")), List.of("Bahh")),
        line("loop", 0, List.of("1"), Map.of("items", List.of("0")), "1", Map.of("items", List.of("1")), List.of()),
        line("input", -1, List.of(START), Map.of("items", List.of()),
            START, Map.of("items", List.of("0")), List.of())),
        history(client, "1"));
  }

  /**
   * A step's only task that interrupts and is answered by {@code Command.resume}: before the answer its checkpoint's
   * task shows the question and no result; after it, the question and the result; {@code getState} of each past
   * checkpoint by id shows what the history shows.
   */
  @Test
  void aLoneInterruptedTaskShowsItsResultOnceAnswered(Vertx vertx) {
    StateGraph graph = new StateGraph("tr-lone").strictChannels()
        .channel("question", Channels.lastValue()).channel("answer", Channels.lastValue())
        .addNode("ask", (s, ctx) -> Future.succeededFuture(Map.of("answer",
            ctx.interrupt(s.getString("question")) + "!")))
        .addNode("done", s -> Future.succeededFuture(Map.of("question", "answered")))
        .addEdge(START, "ask").addEdge("ask", "done").addEdge("done", END);
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("q");
    result(client.run(Map.of("question", "why?"), thread));
    assertEquals(List.of(
        line("loop", 0, List.of("ask"), Map.of("question", "why?"), "ask", null, List.of("why?")),
        line("input", -1, List.of(START), Map.of(), START, Map.of("question", "why?"), List.of())),
        history(client, "q"));
    assertEquals(Map.of("question", "answered", "answer", "because!"),
        result(client.run(Command.resume("because"), thread)).values().asMap());
    List<List<Object>> expected = List.of(
        line("loop", 2, List.of(), Map.of("question", "answered", "answer", "because!")),
        line("loop", 1, List.of("done"), Map.of("question", "why?", "answer", "because!"),
            "done", Map.of("question", "answered"), List.of()),
        line("loop", 0, List.of("ask"), Map.of("question", "why?"),
            "ask", Map.of("answer", "because!"), List.of("why?")),
        line("input", -1, List.of(START), Map.of(), START, Map.of("question", "why?"), List.of()));
    assertEquals(expected, history(client, "q"));
    List<Object> byId = new ArrayList<>();
    for (ThreadState state : result(client.getStateHistory("q", 0, null))) {
      byId.add(line(result(client.getState("q", state.checkpointId()))));
    }
    assertEquals(expected, byId);
  }

  /**
   * {@code updateState} as the node due at a static breakpoint: the checkpoint it was made from shows the update as
   * that task's result, as LangGraph stores an update as the writes of the due task.
   */
  @Test
  void anUpdateAsTheDueNodeIsThatTasksResult(Vertx vertx) {
    StateGraph graph = new StateGraph("tr-update").strictChannels()
        .channel("question", Channels.lastValue()).channel("answer", Channels.lastValue())
        .addNode("ask", s -> Future.succeededFuture(Map.of("answer", "asked")))
        .addNode("done", s -> Future.succeededFuture(Map.of("question", "answered")))
        .addEdge(START, "ask").addEdge("ask", "done").addEdge("done", END).interruptBefore("done");
    GraphClient client = result(GraphRuntime.deploy(vertx, graph.compile(), MEMORY)).client();
    result(client.run(Map.of("question", "q"), new RunOptions().setThreadId("u")));
    result(client.updateState("u", Map.of("question", "by hand"), "done"));
    assertEquals(List.of(
        line("update", 2, List.of(), Map.of("question", "by hand", "answer", "asked")),
        line("loop", 1, List.of("done"), Map.of("question", "q", "answer", "asked"),
            "done", Map.of("question", "by hand"), List.of()),
        line("loop", 0, List.of("ask"), Map.of("question", "q"), "ask", Map.of("answer", "asked"), List.of()),
        line("input", -1, List.of(START), Map.of(), START, Map.of("question", "q"), List.of())),
        history(client, "u"));
  }
}
