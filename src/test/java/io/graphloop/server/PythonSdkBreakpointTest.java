package io.graphloop.server;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A subgraph stopped at a static breakpoint, seen through LangGraph's real Python SDK
 * ({@code src/test/python/sdk_breakpoints.py}): {@code /runs/wait}'s output has no {@code __interrupt__}, the thread's
 * status is {@code interrupted} with no interrupts and the subgraph task due, a run without input continues it, and
 * the streamed run ends as LangGraph's. Skipped without a Python that has the SDK, as {@link PythonSdkTest}.
 */
class PythonSdkBreakpointTest {

  static CompiledGraph parent() {
    CompiledGraph child = new StateGraph("bp-child")
        .addNode("inner_1", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " here")))
        .addNode("inner_2", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " and there")))
        .addEdge(START, "inner_1").addEdge("inner_1", "inner_2").addEdge("inner_2", END)
        .interruptBefore("inner_2").compile();
    return new StateGraph("bp-parent").addSubgraph("child", child)
        .addNode("after", s -> Future.succeededFuture(Map.of("my_key", s.getString("my_key") + " after")))
        .addEdge(START, "child").addEdge("child", "after").addEdge("after", END).compile();
  }

  @RegisterExtension
  static final ServerFixture server = ServerFixture.perClass(new ServerOptions(), List.of(parent()));

  @Test
  void aSubgraphBreakpointIsSeenAsLangGraphServerShowsIt() {
    SdkProcess.Result result = PythonSdkTest.runScript("sdk_breakpoints.py", server.base, 120);
    assertTrue(result.output().contains("ok breakpoints\n"), result.output());
  }
}
