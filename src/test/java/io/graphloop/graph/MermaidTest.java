package io.graphloop.graph;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * {@link CompiledGraph#toMermaid()} against LangGraph 1.2.12's {@code get_graph().draw_mermaid()} on the same
 * graphs. The expected files under {@code src/test/resources/langgraph/mermaid/} were written by the real
 * LangGraph ({@code generate.py} there, which builds each graph below in Python); each test here builds the
 * same graph in Java.
 */
class MermaidTest {

  private static final AsyncNode NOOP = (state, context) -> null;

  private static StateGraph graph(String... nodes) {
    StateGraph graph = new StateGraph("g");
    for (String node : nodes) {
      graph.addNode(node, NOOP);
    }
    return graph;
  }

  private static String golden(String name) {
    try (InputStream in = MermaidTest.class.getResourceAsStream("/langgraph/mermaid/" + name + ".mmd")) {
      assertNotNull(in, "golden file " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> map(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  @Test
  void joinAndLabelledSelfLoop() {
    CompiledGraph g = graph("llm", "db", "write").addEdge(START, "llm").addEdge(START, "db")
        .addEdge(List.of("llm", "db"), "write")
        .addConditionalEdges("write", state -> END, map("again", "write", END, END)).compile();
    assertEquals(golden("join_pathmap"), g.toMermaid());
  }

  @Test
  void jsonAsLangGraphsToJson() {
    // LangGraph 1.2.12: get_graph().to_json() of the same graph compiled with interrupt_before=['db']
    CompiledGraph g = graph("llm", "db", "write").addEdge(START, "llm").addEdge(START, "db")
        .addEdge(List.of("llm", "db"), "write")
        .addConditionalEdges("write", state -> END, map("again", "write", END, END)).interruptBefore("db").compile();
    String runnable = "\"type\":\"runnable\",\"data\":{\"id\":[\"langgraph\",\"_internal\",\"_runnable\","
        + "\"RunnableCallable\"],\"name\":";
    String expected = "{\"nodes\":[{\"id\":\"__start__\"," + runnable + "\"__start__\"}},{\"id\":\"llm\","
        + runnable + "\"llm\"}},{\"id\":\"db\"," + runnable + "\"db\"},\"metadata\":{\"__interrupt\":\"before\"}},"
        + "{\"id\":\"write\"," + runnable + "\"write\"}},{\"id\":\"__end__\"}],\"edges\":["
        + "{\"source\":\"__start__\",\"target\":\"db\"},{\"source\":\"__start__\",\"target\":\"llm\"},"
        + "{\"source\":\"db\",\"target\":\"write\"},{\"source\":\"llm\",\"target\":\"write\"},"
        + "{\"source\":\"write\",\"target\":\"__end__\",\"conditional\":true},"
        + "{\"source\":\"write\",\"target\":\"write\",\"data\":\"again\",\"conditional\":true}]}";
    assertEquals(new io.vertx.core.json.JsonObject(expected), g.drawing(0).toJson());
  }

  @Test
  void chain() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b").addEdge("b", END).compile();
    assertEquals(golden("chain"), g.toMermaid());
  }

  @Test
  void routerWithoutPathMapDrawsNoConditionalEdge() {
    CompiledGraph g = graph("agent", "tools").addEdge(START, "agent").addConditionalEdges("agent", state -> END)
        .addEdge("tools", "agent").compile();
    assertEquals(golden("router_nomap"), g.toMermaid());
  }

  @Test
  void routerWithAListOfTargets() {
    CompiledGraph g = graph("agent", "tools").addEdge(START, "agent")
        .addConditionalEdges("agent", state -> END, List.of("tools", END)).addEdge("tools", "agent").compile();
    assertEquals(golden("router_list"), g.toMermaid());
  }

  @Test
  void deadEndGetsAnEdgeToEnd() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b").compile();
    assertEquals(golden("deadend"), g.toMermaid());
  }

  @Test
  void nodesInDeclarationOrderEdgesSorted() {
    CompiledGraph g = graph("c", "a", "b", "d").addEdge(START, "a").addEdge(START, "b").addEdge("a", "c")
        .addEdge("b", "c").addEdge("c", "d").addEdge("d", END).compile();
    assertEquals(golden("fanout"), g.toMermaid());
  }

  @Test
  void commandDestinationsAreDottedEdges() {
    CompiledGraph g = graph().addNode("a", NOOP, new NodeOptions().setDestinations(List.of("b", END)))
        .addNode("b", NOOP).addEdge(START, "a").addEdge("b", END).compile();
    assertEquals(golden("command"), g.toMermaid());
  }

  @Test
  void breakpointsShowAsNodeMetadata() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b").addEdge("b", END)
        .interruptBefore("b").interruptAfter("a").compile();
    assertEquals(golden("interrupt"), g.toMermaid());
  }

  @Test
  void conditionalEntryWithLabels() {
    CompiledGraph g = graph("a", "b").addConditionalEdges(START, state -> "x", map("x", "a", "y", "b"))
        .addEdge("a", END).addEdge("b", END).compile();
    assertEquals(golden("start_cond"), g.toMermaid());
  }

  /**
   * test_multiple_sinks_subgraphs of test_pregel.py: conditional edges with path lists, a subgraph whose nodes
   * without outgoing edges end it, drawn with xray.
   */
  @Test
  void testMultipleSinksSubgraphs() {
    CompiledGraph subgraph = new StateGraph("multiple-sinks-child").addNode("one", NOOP).addNode("two", NOOP)
        .addNode("three", NOOP).addEdge(START, "one")
        .addConditionalEdges("one", state -> "two", java.util.List.of("two", "three")).compile();
    CompiledGraph g = graph("uno", "dos").addSubgraph("subgraph", subgraph).addEdge(START, "uno")
        .addConditionalEdges("uno", state -> "dos", java.util.List.of("dos", "subgraph")).compile();
    assertEquals(golden("multiple_sinks_subgraphs"), g.toMermaid(1));
  }

  private static CompiledGraph withSubgraph() {
    CompiledGraph child = new StateGraph("child-graph").addNode("s1", NOOP).addNode("s2", NOOP)
        .addEdge(START, "s1").addEdge("s1", "s2").addEdge("s2", END).compile();
    return graph("p").addSubgraph("child", child).addEdge(START, "p").addEdge("p", "child")
        .addEdge("child", END).compile();
  }

  @Test
  void subgraphAsOneNode() {
    assertEquals(golden("sub_noxray"), withSubgraph().toMermaid());
  }

  @Test
  void subgraphExpandedWithXray() {
    assertEquals(golden("sub_xray"), withSubgraph().toMermaid(1));
    assertEquals(golden("sub_xray"), withSubgraph().toMermaid(-1));
  }

  @Test
  void namesOutsideTheSafeAlphabetAreEscaped() {
    CompiledGraph g = graph("my node", "b.c").addEdge(START, "my node").addEdge("my node", "b.c")
        .addEdge("b.c", END).compile();
    assertEquals(golden("names"), g.toMermaid());
  }

  @Test
  void selfLoopWhoseLabelIsItsTarget() {
    CompiledGraph g = graph("loop").addEdge(START, "loop")
        .addConditionalEdges("loop", state -> END, map("loop", "loop", "done", END)).compile();
    assertEquals(golden("selfloop"), g.toMermaid());
  }

  @Test
  void anExplicitEndEdgeIsDrawnOnlyForNodesWithNoOtherWayOn() {
    CompiledGraph g = graph("a", "b", "c").addEdge(START, "a").addEdge("a", "b").addEdge("b", "c")
        .addEdge("b", END).addEdge("c", END).compile();
    assertEquals(golden("end_edges"), g.toMermaid());
  }

  @Test
  void closedLoopEndsAtTheLastSimulatedStep() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b").addEdge("b", "a").compile();
    assertEquals(golden("closed_loop"), g.toMermaid());
  }

  @Test
  void joinWhoseSourcesRunAtDifferentSteps() {
    CompiledGraph g = graph("a", "x", "b", "c").addEdge(START, "a").addEdge(START, "x").addEdge("x", "b")
        .addEdge(List.of("a", "b"), "c").addEdge("c", END).compile();
    assertEquals(golden("join_steps"), g.toMermaid());
  }

  @Test
  void twoLabelsToOneTargetKeepTheFirst() {
    CompiledGraph g = graph("a", "b").addEdge(START, "a")
        .addConditionalEdges("a", state -> "x", map("x", "b", "y", "b", "z", END)).compile();
    assertEquals(golden("shared_target"), g.toMermaid());
  }
}
