package io.graphloop.bench;

import io.vertx.core.Future;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.action.AsyncEdgeAction;
import org.bsc.langgraph4j.state.AgentState;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

/**
 * Compiles a few parallel shapes with LangGraph4j and with Graphloop and says which each accepts, so
 * the report's "could not express" notes come from the library itself, not from memory.
 */
final class LangGraph4jShapes {

  private static final String GL_START = io.graphloop.graph.StateGraph.START;
  private static final String GL_END = io.graphloop.graph.StateGraph.END;

  private LangGraph4jShapes() {
  }

  /** One line per shape: what it is, LangGraph4j's verdict, Graphloop's verdict. */
  static List<String> probe() {
    List<String> lines = new ArrayList<>();
    lines.add(line("branches of different lengths joined (START -> a -> a2 -> join, START -> b -> join)",
        () -> lg4j("a", "a2", "b", "join").addEdge(START, "a").addEdge(START, "b").addEdge("a", "a2")
            .addEdge("a2", "join").addEdge("b", "join").addEdge("join", END),
        () -> graphloop("a", "a2", "b", "join").addEdge(GL_START, "a").addEdge(GL_START, "b").addEdge("a", "a2")
            .addEdge(List.of("a2", "b"), "join").addEdge("join", GL_END)));
    lines.add(line("parallel branches going on to different nodes (START -> a -> c -> END, START -> b -> d -> END)",
        () -> lg4j("a", "b", "c", "d").addEdge(START, "a").addEdge(START, "b").addEdge("a", "c").addEdge("b", "d")
            .addEdge("c", END).addEdge("d", END),
        () -> graphloop("a", "b", "c", "d").addEdge(GL_START, "a").addEdge(GL_START, "b").addEdge("a", "c")
            .addEdge("b", "d").addEdge("c", GL_END).addEdge("d", GL_END)));
    lines.add(line("a conditional edge out of a parallel branch (START -> a, b; a -?-> join or END; b -> join)",
        () -> lg4j("a", "b", "join").addEdge(START, "a").addEdge(START, "b")
            .addConditionalEdges("a", AsyncEdgeAction.edge_async(state -> "join"), Map.of("join", "join", "end", END))
            .addEdge("b", "join").addEdge("join", END),
        () -> graphloop("a", "b", "join").addEdge(GL_START, "a").addEdge(GL_START, "b")
            .addConditionalEdges("a", state -> "join", List.of("join", GL_END))
            .addEdge("b", "join").addEdge("join", GL_END)));
    return lines;
  }

  /** Builds a graph; the checked exception is the library's rejection. */
  private interface Lg4jBuild {
    StateGraph<AgentState> build() throws GraphStateException;
  }

  private interface GraphloopBuild {
    io.graphloop.graph.StateGraph build();
  }

  private static String line(String shape, Lg4jBuild lg4j, GraphloopBuild graphloop) {
    String theirs;
    try {
      lg4j.build().compile();
      theirs = "accepted";
    } catch (GraphStateException | RuntimeException e) {
      theirs = "REJECTED (`" + e.getMessage() + "`)";
    }
    String ours;
    try {
      graphloop.build().compile();
      ours = "accepted";
    } catch (RuntimeException e) {
      ours = "rejected (" + e.getMessage() + ")";
    }
    return shape + ": LangGraph4j " + theirs + "; Graphloop " + ours + ".";
  }

  private static StateGraph<AgentState> lg4j(String... nodes) throws GraphStateException {
    StateGraph<AgentState> graph = new StateGraph<>(AgentState::new);
    for (String node : nodes) {
      graph.addNode(node, node_async(state -> Map.of(node, true)));
    }
    return graph;
  }

  private static io.graphloop.graph.StateGraph graphloop(String... nodes) {
    io.graphloop.graph.StateGraph graph = new io.graphloop.graph.StateGraph("probe");
    for (String node : nodes) {
      graph.addNode(node, state -> Future.succeededFuture(Map.of(node, true)));
    }
    return graph;
  }
}
