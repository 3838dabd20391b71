package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
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

import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Interrupts inside task calls of the functional API: each call (and the entrypoint's own body) has its own interrupt
 * id and its own answers, as each of LangGraph's task calls does. Expected values from LangGraph 1.2.12 with
 * {@code src/test/resources/langgraph/functional_interrupts.py}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class FunctionalInterruptsTest {

  private static GraphClient deploy(Vertx vertx, CompiledGraph graph) {
    return result(GraphRuntime.deploy(vertx, graph, MEMORY)).client();
  }

  private static List<Object> values(List<Map<String, Object>> interrupts) {
    List<Object> values = new ArrayList<>();
    interrupts.forEach(interrupt -> values.add(interrupt.get("value")));
    return values;
  }

  /** {@code ask}: "b" asks at once, "a" (a blocking task) 300 ms later; the entrypoint waits for "a" first. */
  private static CompiledGraph concurrentAsks() {
    Task<String, String> ask = Task.blocking("ask", (q, ctx) -> {
      if (q.equals("a")) {
        Thread.sleep(300);
      }
      return q + ":" + ctx.interrupt(q);
    });
    return Entrypoint.<Object, Object>of("wf", (input, ctx) -> {
      Future<String> a = ctx.call(ask, "a");
      Future<String> b = ctx.call(ask, "b");
      return a.compose(first -> b.map(second -> List.of(first, second)));
    }).compile();
  }

  /**
   * Two task calls running at once both interrupt; "b" asks first. As in LangGraph, the run reports the interrupt the
   * entrypoint stopped at ("a", under the id of that call), the thread's task shows it, a resume map with that id
   * answers "a" alone (with the answers in the order they were asked, "b" would have taken it), and "b" is asked
   * next under an id of its own.
   */
  @Test
  void concurrentTaskCallsEachWaitForTheirOwnAnswer(Vertx vertx) {
    GraphClient client = deploy(vertx, concurrentAsks());
    RunOptions thread = new RunOptions().setThreadId("1");

    List<StreamEvent> events = result(collect(vertx, () -> client.stream(Entrypoint.input(1), thread,
        StreamMode.UPDATES, StreamMode.TASKS)));
    List<Object> interruptChunks = new ArrayList<>();
    List<Object> entrypointResults = new ArrayList<>();
    List<String> order = new ArrayList<>();
    for (StreamEvent event : events) {
      if (event.event() == StreamEventType.UPDATES && event.data().containsKey("__interrupt__")) {
        interruptChunks.add(event.data().get("__interrupt__"));
        order.add("interrupt");
      }
      if (event.event() == StreamEventType.TASKS && "wf".equals(event.data().get("name"))
          && event.data().containsKey("interrupts")) {
        entrypointResults.add(event.data().get("interrupts"));
        order.add("result");
      }
    }
    assertEquals(List.of("interrupt", "result"), order, "LangGraph sends the interrupt chunk, then the task result");
    ThreadState state = result(client.getState("1"));
    assertEquals(List.of("wf"), state.next());
    assertEquals(List.of("a"), values(state.interrupts()));
    assertEquals(List.of(List.of("a")), List.of(state.tasks().get(0).get("interrupts")));
    String first = (String) state.interrupts().get(0).get("id");
    assertEquals(List.of(List.of(Map.of("value", "a", "id", first))), interruptChunks);
    assertEquals(List.of(List.of(Map.of("value", "a", "id", first))), entrypointResults);

    RunResult partial = result(client.run(Command.resume(Map.of(first, "A")), thread));
    assertEquals(RunStatus.INTERRUPTED, partial.status());
    assertEquals(List.of("b"), values(partial.interrupts()));
    assertNotEquals(first, partial.interrupts().get(0).get("id"), "b's interrupt has an id of its own");

    RunResult done = result(client.run(Command.resume("B"), thread));
    assertEquals(List.of("a:A", "b:B"), Entrypoint.output(done));
  }

  /**
   * Mirrors {@code test_pregel_async.py::test_handles_multiple_interrupts_from_tasks}: one task called twice, each
   * call interrupts in turn; the thread's task shows the one pending; each call's interrupt has its own id.
   */
  @Test
  void testHandlesMultipleInterruptsFromTasks(Vertx vertx) {
    Task<String, String> addParticipant = Task.of("add_participant", (name, ctx) -> {
      Object feedback = ctx.interrupt("Hey do you want to add " + name + "?");
      if (Boolean.FALSE.equals(feedback)) {
        return Future.succeededFuture("The user changed their mind and doesn't want to add " + name + "!");
      }
      if (Boolean.TRUE.equals(feedback)) {
        return Future.succeededFuture("Added " + name + "!");
      }
      return Future.failedFuture(new IllegalArgumentException("Invalid feedback"));
    });
    GraphClient client = deploy(vertx, Entrypoint.<Object, Object>of("program", (ignored, ctx) ->
        ctx.call(addParticipant, "James").compose(first -> ctx.call(addParticipant, "Will")
            .map(second -> List.of(first, second)))).compile());
    RunOptions thread = new RunOptions().setThreadId("1");

    RunResult first = result(client.run(Entrypoint.input("this is ignored"), thread));
    assertEquals(List.of("Hey do you want to add James?"), values(first.interrupts()));
    assertEquals(List.of("Hey do you want to add James?"), result(client.getState("1")).tasks().get(0)
        .get("interrupts"));
    RunResult second = result(client.run(Command.resume(true), thread));
    assertEquals(List.of("Hey do you want to add Will?"), values(second.interrupts()));
    assertEquals(List.of("Hey do you want to add Will?"), result(client.getState("1")).tasks().get(0)
        .get("interrupts"));
    assertNotEquals(first.interrupts().get(0).get("id"), second.interrupts().get(0).get("id"));
    assertEquals(List.of("Added James!", "Added Will!"),
        Entrypoint.output(result(client.run(Command.resume(true), thread))));
  }
}
