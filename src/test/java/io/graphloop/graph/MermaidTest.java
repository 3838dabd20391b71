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

  private static StateGraph named(String name, String... nodes) {
    StateGraph graph = new StateGraph(name);
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

  private static io.vertx.core.json.JsonObject goldenJson(String name) {
    try (InputStream in = MermaidTest.class.getResourceAsStream("/langgraph/mermaid/" + name + ".json")) {
      assertNotNull(in, "golden file " + name + ".json");
      return new io.vertx.core.json.JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // The drawings of test_pregel.py, written by mermaid/pregel_drawings.py with LangGraph 1.2.12.

  /** test_nested_graph_xray: conditional entries into plain nodes and into a subgraph with its own conditional entry. */
  @Test
  void testNestedGraphXray() {
    CompiledGraph toolTwo = named("tool-two", "tool_two_slow", "tool_two_fast")
        .addConditionalEdges(START, state -> "tool_two_fast", List.of("tool_two_slow", "tool_two_fast")).compile();
    CompiledGraph app = graph("tool_one").addSubgraph("tool_two", toolTwo).addNode("tool_three", NOOP)
        .addConditionalEdges(START, state -> "tool_one", List.of("tool_one", "tool_two", "tool_three")).compile();
    assertEquals(goldenJson("nested_graph_xray"), app.drawing(-1).toJson());
    assertEquals(golden("nested_graph_xray"), app.toMermaid(-1));
  }

  /** test_xray_lance: a conditional edge of Sends into a subgraph, drawn without and with one level of xray. */
  @Test
  void testXrayLance() {
    CompiledGraph interview = named("interview", "ask_question", "answer_question").addEdge(START, "ask_question")
        .addEdge("ask_question", "answer_question")
        .addConditionalEdges("answer_question", state -> "ask_question", List.of("ask_question", END)).compile();
    assertEquals(golden("xray_lance_interview"), interview.toMermaid());
    CompiledGraph graph = graph("generate_analysts").addSubgraph("conduct_interview", interview)
        .addNode("generate_sections", NOOP).addEdge(START, "generate_analysts")
        .addConditionalEdges("generate_analysts", state -> List.of(new Send("conduct_interview", Map.of())),
            List.of("conduct_interview"))
        .addEdge("conduct_interview", "generate_sections").addEdge("generate_sections", END).compile();
    assertEquals(golden("xray_lance"), graph.toMermaid());
    assertEquals(golden("xray_lance_xray1"), graph.toMermaid(1));
  }

  /** {@code prefix_one} looping through {@code prefix_two} (a node or a subgraph) with labelled conditional edges. */
  private static StateGraph looped(String prefix, CompiledGraph second) {
    StateGraph graph = named(prefix, prefix + "_one");
    if (second == null) {
      graph.addNode(prefix + "_two", NOOP);
    } else {
      graph.addSubgraph(prefix + "_two", second);
    }
    return graph.addEdge(START, prefix + "_one").addEdge(prefix + "_two", prefix + "_one")
        .addConditionalEdges(prefix + "_one", state -> "1", map("0", prefix + "_two", "1", END));
  }

  /** test_xray_issue: a subgraph looping back to its parent's node, drawn with xray. */
  @Test
  void testXrayIssue() {
    CompiledGraph app = looped("p", looped("c", null).compile()).compile();
    assertEquals(golden("xray_issue"), app.toMermaid(-1));
  }

  /** test_xray_bool: two levels of such subgraphs, every level expanded by xray=True. */
  @Test
  void testXrayBool() {
    CompiledGraph app = looped("gp", looped("p", looped("c", null).compile()).compile()).compile();
    assertEquals(golden("xray_bool"), app.toMermaid(-1));
  }

  /** test_get_graph_loop: a closed loop (its last simulated step's dotted edge to END), JSON and unstyled. */
  @Test
  void testGetGraphLoop() {
    CompiledGraph app = graph("human", "agent").addEdge(START, "human").addEdge("human", "agent")
        .addEdge("agent", "human").compile();
    assertEquals(goldenJson("get_graph_loop"), app.drawing(0).toJson());
    assertEquals(golden("get_graph_loop"), app.toMermaid(0, false));
  }

  /** test_get_graph_self_loop: a node whose Command may go to itself or END. */
  @Test
  void testGetGraphSelfLoop() {
    CompiledGraph app = graph().addNode("worker_node", NOOP,
        new NodeOptions().setDestinations(List.of("worker_node", END))).addEdge(START, "worker_node").compile();
    assertEquals(goldenJson("get_graph_self_loop"), app.drawing(0).toJson());
    assertEquals(golden("get_graph_self_loop"), app.toMermaid(0, false));
  }

  /** test_get_graph_nonterminal_last_step_source: conditional edges only after the first node. */
  @Test
  void testGetGraphNonterminalLastStepSource() {
    CompiledGraph app = graph("chatbot", "tools", "human").addEdge(START, "human").addEdge("tools", "chatbot")
        .addConditionalEdges("chatbot", state -> "tools", map("tools", "tools", "human", "human"))
        .addConditionalEdges("human", state -> "chatbot", map("chatbot", "chatbot", END, END)).compile();
    assertEquals(goldenJson("get_graph_nonterminal_last_step_source"), app.drawing(0).toJson());
    assertEquals(golden("get_graph_nonterminal_last_step_source"), app.toMermaid());
  }

  /** test_conditional_entrypoint_graph_state: its drawing (JSON and unstyled) of a labelled conditional entry. */
  @Test
  void testConditionalEntrypointGraphState() {
    CompiledGraph app = graph("left", "right")
        .addConditionalEdges(START, state -> "go-left", map("go-left", "left", "go-right", "right"))
        .addConditionalEdges("left", state -> END, map(END, END)).addEdge("right", END).compile();
    assertEquals(goldenJson("conditional_entrypoint_graph_state"), app.drawing(0).toJson());
    assertEquals(golden("conditional_entrypoint_graph_state"), app.toMermaid(0, false));
  }

  /** test_repeat_condition: three nodes routing to each other by labelled conditional edges, unstyled. */
  @Test
  void testRepeatCondition() {
    CompiledGraph app = graph("Researcher", "Chart Generator", "Call Tool")
        .addConditionalEdges("Researcher", state -> "hmm", map("redo", "Researcher", "continue", "Chart Generator",
            "call_tool", "Call Tool", "end", END))
        .addConditionalEdges("Chart Generator", state -> "hmm", map("continue", "Researcher", "call_tool", "Call Tool",
            "end", END))
        .addConditionalEdges("Call Tool", state -> state.get("sender"), map("Researcher", "Researcher",
            "Chart Generator", "Chart Generator"))
        .setEntryPoint("Researcher").compile();
    assertEquals(golden("repeat_condition"), app.toMermaid(0, false));
  }

  /** test_migration_graph: a labelled branch and a loop back, unstyled (its pydantic state is not drawn). */
  @Test
  void testMigrationGraph() {
    CompiledGraph app = graph("B", "C", "D").addEdge(START, "B")
        .addConditionalEdges("B", state -> "X", map("X", "C", "Y", "D")).addEdge("D", "B").addEdge("C", END).compile();
    assertEquals(golden("migration_graph"), app.toMermaid(0, false));
  }
}
