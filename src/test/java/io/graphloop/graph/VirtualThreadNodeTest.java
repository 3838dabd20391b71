package io.graphloop.graph;

import io.graphloop.errors.GraphValidationException;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Virtual-thread nodes need Java 21+; Graphloop builds for 17, so compiling a graph that declares one on an
 * older JVM fails with a clear message. (The Java 21+ run itself is {@code io.graphloop.it.VirtualThreadIT}.)
 */
class VirtualThreadNodeTest {

  private static StateGraph graphWithVirtualThreadNode() {
    return new StateGraph("vt")
        .addNode("plain", state -> Future.succeededFuture(Map.of("plain", true)))
        .addVirtualThreadNode("fetch", (state, ctx) -> Map.of("fetched", true))
        .addEdge(START, "plain").addEdge("plain", "fetch").addEdge("fetch", END);
  }

  private static List<String> problemsOn(int javaFeatureVersion) {
    List<String> problems = new ArrayList<>();
    GraphValidator.checkVirtualThreads(graphWithVirtualThreadNode(), javaFeatureVersion, problems);
    return problems;
  }

  @Test
  void onJava17TheNodeIsReportedByName() {
    List<String> problems = problemsOn(17);
    assertEquals(1, problems.size(), problems.toString());
    String problem = problems.get(0);
    assertTrue(problem.startsWith("Node 'fetch' is declared to run on a virtual thread, which needs Java 21 or newer"),
        problem);
    assertTrue(problem.contains("this JVM is Java 17"), problem);
    assertTrue(problem.contains("addBlockingNode"), "the message says what to do instead: " + problem);
  }

  @Test
  void everyVirtualThreadNodeIsReported() {
    StateGraph graph = graphWithVirtualThreadNode().addVirtualThreadNode("second", (state, ctx) -> null)
        .addEdge("fetch", "second").addEdge("second", END);
    List<String> problems = new ArrayList<>();
    GraphValidator.checkVirtualThreads(graph, 20, problems);
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(1).startsWith("Node 'second'"), problems.get(1));
    assertTrue(problems.get(1).contains("this JVM is Java 20"), problems.get(1));
  }

  @Test
  void onJava21AndNewerNothingIsReported() {
    assertEquals(List.of(), problemsOn(21));
    assertEquals(List.of(), problemsOn(25));
  }

  @Test
  void graphsWithoutVirtualThreadNodesAreFineOnJava17() {
    StateGraph graph = new StateGraph("plain").addBlockingNode("b", state -> null).addEdge(START, "b")
        .addEdge("b", END);
    List<String> problems = new ArrayList<>();
    GraphValidator.checkVirtualThreads(graph, 17, problems);
    assertEquals(List.of(), problems);
  }

  @Test
  void compileOnThisJvmChecksTheRunningVersion() {
    int feature = Runtime.version().feature();
    if (feature >= 21) {
      CompiledGraph graph = graphWithVirtualThreadNode().compile();
      assertEquals(NodeKind.VIRTUAL_THREAD, graph.node(1).kind());
      return;
    }
    GraphValidationException e = assertThrows(GraphValidationException.class, graphWithVirtualThreadNode()::compile);
    assertEquals(1, e.problems().size(), e.problems().toString());
    assertTrue(e.getMessage().contains("Node 'fetch' is declared to run on a virtual thread, which needs Java 21 or "
        + "newer, but this JVM is Java " + feature), e.getMessage());
  }
}
