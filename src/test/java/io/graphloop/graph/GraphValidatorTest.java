package io.graphloop.graph;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphValidationException;
import io.graphloop.state.Channels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GraphValidatorTest {

  private static final AsyncNode NOOP = (state, context) -> null;
  private static final Router TO_END = state -> END;

  private static StateGraph graph(String... nodes) {
    StateGraph graph = new StateGraph("g");
    for (String node : nodes) {
      graph.addNode(node, NOOP);
    }
    return graph;
  }

  private static List<String> problemsOf(StateGraph graph) {
    GraphValidationException e = assertThrows(GraphValidationException.class, graph::compile);
    assertEquals(FailureCode.INVALID_GRAPH, e.code());
    assertEquals(e.problems(), GraphValidator.problems(graph), "compile reports what the validator finds");
    for (String problem : e.problems()) {
      assertTrue(e.getMessage().contains(problem), "the message lists every problem: " + e.getMessage());
    }
    return e.problems();
  }

  private static String onlyProblem(StateGraph graph) {
    List<String> problems = problemsOf(graph);
    assertEquals(1, problems.size(), "exactly one problem expected: " + problems);
    return problems.get(0);
  }

  private static void assertMentions(String problem, String... parts) {
    for (String part : parts) {
      assertTrue(problem.contains(part), "expected '" + part + "' in: " + problem);
    }
  }

  @Test
  void workerPoolNamedWithDifferentSizesIsReported() {
    StateGraph g = new StateGraph("g")
        .addBlockingNode("a", (state, context) -> null, new NodeOptions().setWorkerPool("db").setWorkerPoolSize(2))
        .addBlockingNode("b", (state, context) -> null, new NodeOptions().setWorkerPool("db").setWorkerPoolSize(4))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END);

    assertMentions(onlyProblem(g), "Worker pool 'db'", "{2=[a], 4=[b]}", "same workerPoolSize");
  }

  @Test
  void workerPoolSharedWithOneSizeCompiles() {
    new StateGraph("g")
        .addBlockingNode("a", (state, context) -> null, new NodeOptions().setWorkerPool("db").setWorkerPoolSize(3))
        .addBlockingNode("b", (state, context) -> null, new NodeOptions().setWorkerPool("db").setWorkerPoolSize(3))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END).compile();
  }

  @Test
  void edgeFromUnknownNodeNamesItAndListsKnownNodes() {
    StateGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b").addEdge("b", END).addEdge("ghost", "b");

    assertMentions(onlyProblem(g), "unknown node 'ghost'", "known nodes are [a, b]", "addNode");
  }

  @Test
  void edgeToUnknownNodeNamesItAndListsKnownNodes() {
    StateGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b").addEdge("b", END).addEdge("a", "bb");

    assertMentions(onlyProblem(g), "'a' -> 'bb'", "unknown node 'bb'", "known nodes are [a, b]", "fix the name");
  }

  @Test
  void edgeLeavingEndIsRefused() {
    StateGraph g = graph("a").addEdge(START, "a").addEdge("a", END).addEdge(END, "a");

    assertMentions(onlyProblem(g), "Edge END -> 'a'", "cannot have outgoing edges");
  }

  @Test
  void edgeIntoStartIsRefused() {
    StateGraph g = graph("a").addEdge(START, "a").addEdge("a", END).addEdge("a", START);

    assertMentions(onlyProblem(g), "'a' -> START", "edges cannot lead to it");
  }

  @Test
  void duplicateNodeNamesAreRefused() {
    StateGraph g = graph("a", "b", "a").addEdge(START, "a").addEdge("a", "b").addEdge("b", END);

    assertMentions(onlyProblem(g), "Node 'a' is declared 2 times", "unique", "rename");
  }

  @Test
  void reservedNamesAreRefused() {
    StateGraph g = graph("a", START, END).addEdge(START, "a").addEdge("a", END);

    List<String> problems = problemsOf(g);

    assertEquals(2, problems.size(), problems.toString());
    assertMentions(problems.get(0), "'" + START + "' is reserved for START", "rename the node");
    assertMentions(problems.get(1), "'" + END + "' is reserved for END", "rename the node");
  }

  @Test
  void colonOrPipeInANodeNameIsRefused() {
    StateGraph g = graph("a", "sub:graph", "x|y").addEdge(START, "a").addEdge("a", END);

    List<String> problems = problemsOf(g);

    assertEquals(2, problems.size(), problems.toString());
    assertMentions(problems.get(0), "'sub:graph'", "':' or '|'", "rename the node");
    assertMentions(problems.get(1), "'x|y'", "':' or '|'", "rename the node");
  }

  @Test
  void blankNodeNameIsRefused() {
    StateGraph g = graph("a", " ").addEdge(START, "a").addEdge("a", END);

    assertMentions(onlyProblem(g), "blank name");
  }

  @Test
  void nodeNamedLikeAChannelIsRefused() {
    StateGraph g = graph("summary").channel("summary", Channels.lastValue())
        .addEdge(START, "summary").addEdge("summary", END);

    assertMentions(onlyProblem(g), "'summary' is both a node and a channel", "rename one of them");
  }

  @Test
  void channelDeclaredTwiceIsRefused() {
    StateGraph g = graph("a").channel("log", Channels.append()).channel("log", Channels.lastValue())
        .addEdge(START, "a").addEdge("a", END);

    assertMentions(onlyProblem(g), "Channel 'log' is declared more than once", "declare each channel once");
  }

  @Test
  void compiledBreakpointsOnUnknownNodesAreRefusedListingTheKnownOnes() {
    StateGraph g = graph("draft", "approve").addEdge(START, "draft").addEdge("draft", "approve")
        .addEdge("approve", END).interruptBefore("aprove").interruptAfter("draft", "publish");

    List<String> problems = problemsOf(g);

    assertEquals(2, problems.size(), problems.toString());
    assertMentions(problems.get(0), "interruptBefore names unknown node 'aprove'", "known nodes are [draft, approve]");
    assertMentions(problems.get(1), "interruptAfter names unknown node 'publish'", "known nodes are [draft, approve]");
  }

  @Test
  void breakpointsOnStartOrEndAreRefused() {
    StateGraph g = graph("a").addEdge(START, "a").addEdge("a", END).interruptBefore(START).interruptAfter(END);

    List<String> problems = problemsOf(g);

    assertEquals(2, problems.size(), problems.toString());
    assertMentions(problems.get(0), "interruptBefore names unknown node '" + START + "'");
    assertMentions(problems.get(1), "interruptAfter names unknown node '" + END + "'");
  }

  @Test
  void aSubgraphNamedLikeItsParentIsRefused() {
    CompiledGraph child = new StateGraph("g").addNode("x", NOOP).addEdge(START, "x").addEdge("x", END).compile();
    StateGraph g = graph("a").addSubgraph("inner", child).addEdge(START, "a").addEdge("a", "inner")
        .addEdge("inner", END);

    assertMentions(onlyProblem(g), "Subgraph node 'inner' embeds a graph named 'g'", "give it a different name");
  }

  @Test
  void aCompiledGraphRefusesUnknownNodeNamesForARunListingTheKnownOnes() {
    CompiledGraph compiled = graph("a", "b").addEdge(START, "a").addEdge("a", "b").addEdge("b", END).compile();

    compiled.checkNodeNames("RunOptions.interruptBefore", List.of("a", "b"));
    compiled.checkNodeNames("RunOptions.interruptBefore", List.of());
    compiled.checkNodeNames("RunOptions.interruptBefore", List.of(StateGraph.ALL_NODES));
    IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
        () -> compiled.checkNodeNames("RunOptions.interruptBefore", List.of("a", "aa")));
    assertEquals("RunOptions.interruptBefore names unknown node 'aa' of graph 'g'; known nodes are [a, b] (or \"*\" "
        + "for all).", one.getMessage());
    IllegalArgumentException two = assertThrows(IllegalArgumentException.class,
        () -> compiled.checkNodeNames("RunOptions.interruptAfter", List.of(START, "c")));
    assertEquals("RunOptions.interruptAfter names unknown nodes ['" + START + "', 'c'] of graph 'g'; known nodes are "
        + "[a, b] (or \"*\" for all).", two.getMessage());
  }

  @Test
  void invalidGraphNameIsRefused() {
    StateGraph g = new StateGraph("my graph/v1").addNode("a", NOOP).addEdge(START, "a").addEdge("a", END);

    assertMentions(onlyProblem(g), "'my graph/v1'", "event-bus addresses", "letters, digits, '_', '-' and '.'");
  }

  @Test
  void graphWithoutEntryPointIsRefused() {
    StateGraph g = graph("a", "b").addEdge("a", "b").addEdge("b", END);

    assertMentions(onlyProblem(g), "No entry point", "addEdge(START", "setEntryPoint");
  }

  private static String onlyWarning(StateGraph graph) {
    List<String> warnings = graph.compile().warnings();
    assertEquals(1, warnings.size(), "exactly one warning expected: " + warnings);
    return warnings.get(0);
  }

  // Issue 10 class 8, "graphs LangGraph accepts": LangGraph 1.2.12's StateGraph.validate refuses only unknown
  // names and a missing entry point. Unreachable nodes, dead ends and closed loops compile there (a dead end ends
  // the run; a closed loop runs into the recursion limit), so they compile here too, with a warning.

  @Test
  void unreachableNodeCompilesWithAWarning() {
    StateGraph g = graph("a", "orphan").addEdge(START, "a").addEdge("a", END).addEdge("orphan", END);

    assertMentions(onlyWarning(g), "Node [orphan] is unreachable from START", "add an edge");
  }

  @Test
  void nodeReachableOnlyThroughAJoinWithAnUnreachableSourceIsUnreachable() {
    StateGraph g = graph("a", "orphan", "c").addEdge(START, "a").addEdge(List.of("a", "orphan"), "c")
        .addEdge("c", END);

    assertMentions(onlyWarning(g), "Nodes [orphan, c] are unreachable",
        "a join fires only when all its sources are reachable");
  }

  @Test
  void joinReachableWhenAllItsSourcesAreCompilesWithoutWarnings() {
    StateGraph g = graph("a", "b", "c").addEdge(START, "a").addEdge("a", "b").addEdge(List.of("a", "b"), "c")
        .addEdge("c", END);

    assertEquals(List.of(), g.compile().warnings());
  }

  @Test
  void nodeWithNoOutgoingEdgeCompilesWithoutWarning() {
    StateGraph g = graph("a", "dead").addEdge(START, "a").addEdge("a", END).addEdge("a", "dead");

    assertEquals(List.of(), g.compile().warnings(), "a run ends after a node with no outgoing edge");
  }

  @Test
  void deadEndAfterAChainIsAnEndNotALoop() {
    StateGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b");

    assertEquals(List.of(), g.compile().warnings());
  }

  @Test
  void closedCycleThatNeverReachesEndCompilesWithAWarning() {
    StateGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b").addEdge("b", "a");

    assertMentions(onlyWarning(g), "Nodes [a, b] cannot end", "recursion limit",
        "Add a conditional edge that can route to END");
  }

  @Test
  void conditionalEdgesWhosePathsNeverLeadToEndFormAClosedCycle() {
    StateGraph g = graph("a", "b").addEdge(START, "a").addEdge("a", "b")
        .addConditionalEdges("b", state -> "again", Map.of("again", "a"));

    assertMentions(onlyWarning(g), "Nodes [a, b] cannot end");
  }

  @Test
  void aLoopThatCanLeaveToADeadEndCanEnd() {
    StateGraph g = graph("a", "b", "out").addEdge(START, "a").addEdge("a", "b")
        .addConditionalEdges("b", state -> "again", Map.of("again", "a", "leave", "out"));

    assertEquals(List.of(), g.compile().warnings());
  }

  @Test
  void aSourceOfAJoinThatEndsCanEnd() {
    StateGraph g = graph("a", "b", "c").addEdge(START, "a").addEdge(START, "b").addEdge("b", "b")
        .addEdge(List.of("a", "b"), "c").addEdge("c", END);

    assertEquals(List.of(), g.compile().warnings());
  }

  @Test
  void longChainsCompileInLinearTime() {
    // a chain of 100,000 nodes: the old reaching-END search added one node per pass (quadratic); this would
    // not finish within the surefire timeout if any check were quadratic
    StateGraph g = new StateGraph("long");
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      g.addNode("n" + i, NOOP);
    }
    g.addEdge(START, "n0");
    for (int i = 1; i < n; i++) {
      g.addEdge("n" + (i - 1), "n" + i);
    }
    g.addEdge("n" + (n - 1), END);

    CompiledGraph compiled = g.compile();

    assertEquals(n, compiled.nodes().size());
    assertEquals(List.of(), compiled.warnings());
  }

  @Test
  void conditionalPathMapToUnknownNodeIsRefused() {
    StateGraph g = graph("a", "b").addEdge(START, "a").addEdge("b", END)
        .addConditionalEdges("a", state -> "go", Map.of("go", "bee", "stop", END));

    assertMentions(onlyProblem(g), "Conditional edges of 'a' map 'go' to unknown node 'bee'",
        "known nodes are [a, b]");
  }

  @Test
  void conditionalEdgesFromUnknownNodeAreRefused() {
    StateGraph g = graph("a").addEdge(START, "a").addEdge("a", END).addConditionalEdges("ghost", TO_END);

    assertMentions(onlyProblem(g), "Conditional edges start at unknown node 'ghost'", "known nodes are [a]");
  }

  @Test
  void joinWithUnknownSourceIsRefused() {
    StateGraph g = graph("a", "c").addEdge(START, "a").addEdge(List.of("a", "ghost"), "c").addEdge("c", END);

    assertMentions(onlyProblem(g), "waits for unknown node 'ghost'", "known nodes are [a, c]");
  }

  @Test
  void joinOnStartIsRefused() {
    StateGraph g = graph("a", "c").addEdge(START, "a").addEdge(List.of(START, "a"), "c").addEdge("c", END);

    assertMentions(onlyProblem(g), "waits for unknown node '" + START + "'", "not START or END");
  }

  @Test
  void joinToUnknownTargetIsRefused() {
    StateGraph g = graph("a", "b").addEdge(START, "a").addEdge(START, "b").addEdge("a", END).addEdge("b", END)
        .addEdge(List.of("a", "b"), "sea");

    assertMentions(onlyProblem(g), "leads to unknown node 'sea'", "known nodes are [a, b]");
  }

  @Test
  void joinWithoutSourcesIsRefused() {
    StateGraph g = graph("a", "c").addEdge(START, "a").addEdge("a", "c").addEdge(List.of(), "c").addEdge("c", END);

    assertMentions(onlyProblem(g), "no source nodes", "list the nodes to wait for");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    StateGraph g = new StateGraph("bad name")
        .addNode("a", NOOP).addNode("a", NOOP).addNode("b", NOOP)
        .addEdge(START, "a").addEdge("a", "nowhere").addEdge("b", END)
        .addEdge(List.of("a", "ghost"), "b")
        .addConditionalEdges("a", state -> "x", Map.of("x", "missing"));

    GraphValidationException e = assertThrows(GraphValidationException.class, g::compile);

    assertEquals(5, e.problems().size(), e.problems().toString());
    assertTrue(e.getMessage().startsWith("Graph 'bad name' is invalid (5 problems)"), e.getMessage());
    assertEquals("bad name", e.graph());
    String all = String.join("\n", e.problems());
    assertMentions(all, "Graph name 'bad name'", "Node 'a' is declared 2 times", "unknown node 'nowhere'",
        "unknown node 'ghost'", "unknown node 'missing'");
  }

  @Test
  void flowWarningsAreReportedTogether() {
    StateGraph g = graph("a", "dead", "orphan", "x").addEdge(START, "a").addEdge("a", END).addEdge("a", "dead")
        .addEdge("orphan", END).addEdge("a", "x").addEdge("x", "x");

    List<String> warnings = g.compile().warnings();

    assertEquals(2, warnings.size(), warnings.toString());
    assertMentions(warnings.get(0), "Node [orphan] is unreachable");
    assertMentions(warnings.get(1), "Node [x] cannot end");
  }

  @Test
  void cycleWithAConditionalExitCompiles() {
    CompiledGraph compiled = graph("agent", "tools")
        .addEdge(START, "agent")
        .addConditionalEdges("agent", state -> END, Map.of("call", "tools", "done", END))
        .addEdge("tools", "agent")
        .compile();

    assertEquals(List.of("agent", "tools"), compiled.nodeNames());
    assertArrayEquals(new int[] {0}, compiled.edgeTargets(compiled.indexOf("tools")));
    assertEquals(1, compiled.branches(compiled.indexOf("agent")).length);
  }

  @Test
  void cycleWithARouterWithoutPathMapCompiles() {
    CompiledGraph compiled = graph("a", "b").addEdge(START, "a").addEdge("a", "b").addConditionalEdges("b", TO_END)
        .compile();

    assertEquals(2, compiled.nodes().size());
  }

  @Test
  void joinCompilesAndIsLaidOutBySource() {
    CompiledGraph compiled = graph("a", "b", "c")
        .addEdge(START, "a").addEdge(START, "b")
        .addEdge(List.of("a", "b", "a"), "c")
        .addEdge("c", END)
        .compile();

    assertEquals(1, compiled.joins().size());
    assertEquals(compiled.indexOf("c"), compiled.joinTarget(0));
    assertArrayEquals(new int[] {0, 1}, compiled.joinSources(0), "duplicate sources count once");
    assertArrayEquals(new int[] {0}, compiled.joinsOf(compiled.indexOf("a")));
    assertArrayEquals(new int[] {}, compiled.joinsOf(compiled.indexOf("c")));
  }

  @Test
  void conditionalEdgesFromStartCompile() {
    CompiledGraph withList = graph("a", "b").addConditionalEdges(START, state -> "a", List.of("a", "b"))
        .addEdge("a", END).addEdge("b", END).compile();
    CompiledGraph withoutMap = graph("a", "b").addConditionalEdges(START, state -> "b")
        .addEdge("a", END).addEdge("b", END).compile();

    assertEquals(1, withList.branches(withList.startIndex()).length);
    assertEquals(0, withList.edgeTargets(withList.startIndex()).length);
    assertEquals(1, withoutMap.branches(withoutMap.startIndex()).length);
  }

  @Test
  void compiledGraphKeepsDeclarationOrderAndSortsEdgeTargets() {
    CompiledGraph compiled = graph("z", "y", "x")
        .addEdge(START, "x").addEdge(START, "z").addEdge(START, "y")
        .addEdge("x", END).addEdge("y", END).addEdge("z", END)
        .compile();

    assertEquals(List.of("z", "y", "x"), compiled.nodeNames());
    assertEquals(Arrays.toString(new int[] {0, 1, 2}), Arrays.toString(compiled.edgeTargets(compiled.startIndex())));
    assertEquals(compiled.nodes().size(), compiled.indexOf(START));
    assertEquals(-1, compiled.indexOf("nope"));
  }

  @Test
  void undeclaredChannelsAreLastValueUnlessStrict() {
    CompiledGraph lenient = graph("a").channel("log", Channels.append()).addEdge(START, "a").addEdge("a", END)
        .compile();
    CompiledGraph strict = graph("a").channel("log", Channels.append()).strictChannels()
        .addEdge(START, "a").addEdge("a", END).compile();

    assertEquals("append", lenient.channel("log").kind());
    assertEquals("last-value", lenient.channel("other").kind());
    assertEquals(null, strict.channel("other"));
    assertEquals("append", strict.channel("log").kind());
  }

  private static StateGraph routesByCommand(List<String> destinations) {
    return graph("b", "c")
        .addNode("a", NOOP, new NodeOptions().setDestinations(destinations))
        .addEdge(START, "a").addEdge("b", END).addEdge("c", END);
  }

  @Test
  void destinationsCountAsEdgesSoANodeRoutingByCommandCompiles() {
    CompiledGraph compiled = routesByCommand(List.of("b", "c")).compile();

    assertEquals(List.of("b", "c"), compiled.node("a").options().getDestinations());
    assertEquals(0, compiled.edgeTargets(compiled.indexOf("a")).length, "destinations are not edges at run time");
  }

  @Test
  void endAsADestinationIsAWayOut() {
    graph("a").addNode("r", NOOP, new NodeOptions().setDestinations(List.of("a", END)))
        .addEdge(START, "r").addEdge("a", END).compile();
  }

  @Test
  void nodeRoutingByCommandWithoutDestinationsCompilesAndIsToldToDeclareThem() {
    String warning = onlyWarning(routesByCommand(List.of()));

    assertMentions(warning, "Nodes [b, c] are unreachable", "setDestinations", "Command");
  }

  @Test
  void unknownDestinationIsNamedWithTheKnownNodes() {
    String problem = onlyProblem(routesByCommand(List.of("b", "nope", END)));

    assertMentions(problem, "'a'", "unknown destination 'nope'", "known nodes are [b, c, a]", "(or END)",
        "setDestinations");
  }

  @Test
  void startAsADestinationIsRefused() {
    assertMentions(onlyProblem(routesByCommand(List.of("b", "c", START))), "'a'", "START as a destination");
  }

  @Test
  void destinationsComeFromJsonAndGoBack() {
    NodeOptions options = new NodeOptions(new JsonObject().put("destinations", new JsonArray().add("b").add(END)));

    assertEquals(List.of("b", END), options.getDestinations());
    assertEquals(List.of("b", END), new NodeOptions(options.toJson()).getDestinations());
    assertEquals(List.of("b", END), new NodeOptions(options).getDestinations());
    assertEquals(List.of(), new NodeOptions(new JsonObject()).getDestinations());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NodeOptions(new JsonObject().put("destinations", new JsonArray().add(3))));
    assertMentions(e.getMessage(), "destinations", "node names");
  }
  @Test
  void anErrorHandlerForAnUnknownNodeIsReported() {
    StateGraph g = graph("a").addEdge(START, "a").errorHandler("b", NOOP);
    assertMentions(onlyProblem(g), "errorHandler is given for unknown node 'b'", "known nodes are [a]");
  }

  @Test
  void aDeclaredNodeTakingAnErrorHandlersNameIsReportedOnce() {
    StateGraph g = graph("__error_handler__a", "a").addEdge(START, "a").errorHandler("a", NOOP);
    assertMentions(onlyProblem(g), "Auto-generated error handler node `__error_handler__a` already exists",
        "Rename the declared node");
  }

  @Test
  void aDeclaredNodeTakingTheDefaultErrorHandlersNameIsReportedOnce() {
    StateGraph g = graph(StateGraph.DEFAULT_ERROR_HANDLER).addEdge(START, StateGraph.DEFAULT_ERROR_HANDLER)
        .setNodeDefaults(new NodeDefaults().errorHandler(NOOP));
    assertMentions(onlyProblem(g), "Auto-generated default error handler node `__default_error_handler__` already "
        + "exists");
  }

  @Test
  void errorHandlersNodesAreKnownToBreakpointsAndNotReportedUnreachable() {
    StateGraph g = graph("a").addEdge(START, "a").errorHandler("a", NOOP)
        .setNodeDefaults(new NodeDefaults().errorHandler(NOOP))
        .interruptBefore("__error_handler__a", StateGraph.DEFAULT_ERROR_HANDLER);
    CompiledGraph compiled = g.compile();
    assertEquals(List.of(), compiled.warnings(), "a handler runs in a node's place: it is not unreachable");
  }

  @Test
  void aStrictGraphsNodeInputKeyMustBeADeclaredChannel() {
    StateGraph g = new StateGraph("g").channel("x", io.graphloop.state.Channels.lastValue()).strictChannels()
        .addNode("a", NOOP, new NodeOptions().setInputKeys(List.of("x", "y"))).addEdge(START, "a");
    assertMentions(onlyProblem(g), "Node 'a' reads input key 'y'", "strict graph 'g'", "channel(\"y\", ...)");
  }
}
