package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.GraphloopException;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
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
import static io.graphloop.runtime.Await.failure;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.ThreadStateTest.MEMORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * A {@code Command} as a run's input: goto and update (mirrors LangGraph's {@code test_command_goto_input} style
 * tests of {@code test_pregel.py}), and resume with update and goto together (mirrors
 * {@code test_command_with_resume_and_update}). Every expected value was produced by LangGraph 1.2.12 with
 * {@code InMemorySaver} ({@code src/test/resources/langgraph/command_input.py}, {@code command_resume_update.py}),
 * including LangGraph's double application of the update on a new thread (the null task's writes, then START's).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class CommandInputTest {

  private static String shown(Object value) {
    return value == null ? "None" : String.valueOf(value);
  }

  private static CompiledGraph abc(String name) {
    return new StateGraph(name).channel("items", Channels.append())
        .addNode("a", state -> Future.succeededFuture(Map.of("items", List.of("a"))))
        .addNode("b", state -> Future.succeededFuture(Map.of("items", List.of("b:" + shown(state.get("n"))))))
        .addNode("c", state -> Future.succeededFuture(Map.of("items", List.of("c"))))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END).addEdge("c", END)
        .compile();
  }

  @Test
  void gotoAndUpdateAsInputOnANewThreadThenOnAFinishedOne(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, abc("cmd-input"), MEMORY)).client();
    RunOptions thread = new RunOptions().setThreadId("1");
    State first = result(client.invoke(Command.of(Map.of("items", List.of("u"), "n", 3), "c"), thread));
    assertEquals(Map.of("items", List.of("u", "u", "a", "c", "b:3"), "n", 3), first.asMap());
    State second = result(client.invoke(Map.of("items", List.of("x")), thread));
    assertEquals(List.of("u", "u", "a", "c", "b:3", "x", "a", "b:3"), second.getList("items"));
    State third = result(client.invoke(Command.of(Map.of("n", 9), "b"), thread));
    assertEquals(Map.of("items", List.of("u", "u", "a", "c", "b:3", "x", "a", "b:3", "b:9"), "n", 9), third.asMap());

    assertEquals(List.of("only", "only", "a", "b:None"),
        result(client.invoke(Command.ofUpdate(Map.of("items", List.of("only"))), new RunOptions().setThreadId("2")))
            .getList("items"));
    assertEquals(List.of("a", "b:None", "c", "b:None"),
        result(client.invoke(Command.gotoNodes("b", "c"), new RunOptions().setThreadId("3"))).getList("items"));
  }

  @Test
  void gotoAndUpdateAsInputWithoutAThread(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, abc("cmd-input-nothread"))).client();
    assertEquals(List.of("u", "u", "a", "c", "b:None"),
        result(client.invoke(Command.of(Map.of("items", List.of("u")), "c"), new RunOptions())).getList("items"));
  }

  @Test
  void aCommandInputIsCheckedBeforeItRuns(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, abc("cmd-input-bad"))).client();
    GraphloopException unknown = assertInstanceOf(GraphloopException.class,
        failure(client.invoke(Command.gotoNode("nope"), new RunOptions())));
    assertEquals(400, unknown.code().code());
    assertEquals(400, assertInstanceOf(GraphloopException.class,
        failure(client.invoke(Command.ofUpdate(Map.of()), new RunOptions()))).code().code());
  }

  private static CompiledGraph asking(String name) {
    return new StateGraph(name).channel("items", Channels.append())
        .addNode("ask", (state, ctx) -> {
          Object answer = ctx.interrupt("q");
          return Future.succeededFuture(Map.of("items", List.of("ask:" + answer + ":" + shown(state.get("name")))));
        })
        .addNode("other", state -> Future.succeededFuture(Map.of("items", List.of("other:" + shown(state.get("name"))))))
        .addEdge(START, "ask").addEdge("ask", END).addEdge("other", END)
        .compile();
  }

  @Test
  void resumeWithUpdateAndGotoTogether(Vertx vertx) {
    GraphClient client = result(GraphRuntime.deploy(vertx, asking("resume-update"), MEMORY)).client();
    RunOptions one = new RunOptions().setThreadId("1");
    assertEquals(RunStatus.INTERRUPTED, result(client.run(Map.of("items", List.of("in")), one)).status());
    RunResult answered = result(client.run(Command.ofUpdate(Map.of("name", "Ada", "items", List.of("upd")))
        .andResume("yes"), one));
    assertEquals(Map.of("items", List.of("in", "upd", "ask:yes:Ada"), "name", "Ada"), answered.values().asMap());

    RunOptions two = new RunOptions().setThreadId("2");
    result(client.run(Map.of("items", List.of("in")), two));
    RunResult routed = result(client.run(Command.of(Map.of("name", "B"), "other").andResume("yes"), two));
    assertEquals(Map.of("items", List.of("in", "ask:yes:B", "other:B"), "name", "B"), routed.values().asMap());
  }
}
