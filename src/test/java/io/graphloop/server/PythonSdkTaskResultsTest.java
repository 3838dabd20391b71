package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Task results in {@code /threads/{id}/history} and {@code /threads/{id}/state} read by LangGraph's real Python SDK:
 * {@code src/test/python/sdk_task_results.py} runs a graph whose only task of a step interrupts, answers it, and
 * checks every entry's tasks (results as LangGraph 1.2.12's), the states by checkpoint id and a page after a cursor.
 * Skipped without a Python that has the SDK, as {@link PythonSdkTest}.
 */
class PythonSdkTaskResultsTest {

  /** {@code lone}: START -> ask (interrupts, then answers) -> done -> END. */
  static CompiledGraph lone() {
    return new StateGraph("lone").strictChannels()
        .channel("question", Channels.lastValue()).channel("answer", Channels.lastValue())
        .addNode("ask", (s, ctx) -> Future.succeededFuture(Map.of("answer",
            ctx.interrupt(s.getString("question")) + "!")))
        .addNode("done", s -> Future.succeededFuture(Map.of("question", "answered")))
        .addEdge(START, "ask").addEdge("ask", "done").addEdge("done", END).compile();
  }

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass(new ServerOptions(), List.of(lone()));

  @Test
  void thePythonSdkReadsEveryTasksResult() {
    SdkProcess.Result result = PythonSdkTest.runScript("sdk_task_results.py", server.base, 120);
    assertTrue(result.output().contains("ok task results\n"), result.output());
  }
}
