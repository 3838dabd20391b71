package io.graphloop.graph;

import io.graphloop.errors.GraphValidationException;
import io.graphloop.state.Channel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The one place a graph is validated. It collects every problem (rather than stopping at the first)
 * and says how to fix each: names, edges, channels, pools, breakpoints and the entry point.
 *
 * <p>It refuses exactly what LangGraph's {@code StateGraph.validate} and {@code add_node} refuse (plus the
 * Java-specific rules: graph name, worker pools, virtual threads), and nothing LangGraph accepts: a node
 * with no outgoing edge ends the run there, as in LangGraph, and unreachable nodes or loops with no way to
 * END are legal. Those shapes are reported as warnings by {@link GraphFlow} instead.
 *
 * <p>Stateless; called once per {@link StateGraph#compile()}.
 */
final class GraphValidator {

  private static final Pattern GRAPH_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

  private GraphValidator() {
  }

  static void check(StateGraph graph) {
    List<String> problems = problems(graph);
    if (!problems.isEmpty()) {
      throw new GraphValidationException(graph.name(), problems);
    }
  }

  /** LangGraph's rule: a graph needs an edge (static or conditional) out of START. */
  private static boolean hasEntryPoint(StateGraph graph) {
    for (String[] edge : graph.edges()) {
      if (edge[0].equals(START)) {
        return true;
      }
    }
    for (Branch branch : graph.branches()) {
      if (branch.source().equals(START)) {
        return true;
      }
    }
    return false;
  }

  /** Input keys are channel names; a strict graph's are declared channels (LangGraph adds them to its channels). */
  private static void checkInputKeys(StateGraph graph, List<String> problems) {
    checkKeys(graph, graph.declaredInputKeys(), "Input", "inputKeys", "a run's input may write", problems);
    checkKeys(graph, graph.declaredOutputKeys(), "Output", "outputKeys", "a run's result shows", problems);
  }

  private static void checkKeys(StateGraph graph, List<String> keys, String kind, String method, String what,
                                List<String> problems) {
    if (keys == null) {
      return;
    }
    Set<String> declared = new java.util.LinkedHashSet<>();
    graph.channels().forEach(channel -> declared.add(channel.getKey()));
    for (String key : keys) {
      if (key.isBlank() || key.equals(START) || key.equals(StateGraph.END)) {
        problems.add(kind + " key '" + key + "' is not a channel name; " + method + " takes the names of the channels "
            + what + ".");
      } else if (graph.isStrictChannels() && !declared.contains(key)) {
        problems.add(kind + " key '" + key + "' is not a declared channel of strict graph '" + graph.name() + "' (its "
            + "channels are " + declared + "); declare it with channel(\"" + key + "\", ...) or remove it from "
            + method + ".");
      }
    }
  }

  /** A strict graph's node reads declared channels only (its input keys are checked as the graph's input keys). */
  private static void checkNodeInputKeys(StateGraph graph, List<String> problems) {
    if (!graph.isStrictChannels()) {
      return;
    }
    Set<String> declared = new java.util.LinkedHashSet<>();
    graph.channels().forEach(channel -> declared.add(channel.getKey()));
    for (StateGraph.Declared node : graph.declaredNodes()) {
      for (String key : node.options().getInputKeys()) {
        if (!declared.contains(key)) {
          problems.add("Node '" + node.name() + "' reads input key '" + key + "', which is not a declared channel of "
              + "strict graph '" + graph.name() + "' (its channels are " + declared + "); declare it with channel(\""
              + key + "\", ...) or remove it from the node's NodeOptions.setInputKeys.");
        }
      }
    }
  }

  static List<String> problems(StateGraph graph) {
    List<String> problems = new ArrayList<>();
    if (!GRAPH_NAME.matcher(graph.name()).matches()) {
      problems.add("Graph name '" + graph.name() + "' is not valid: it becomes part of event-bus addresses and URLs, "
          + "so use only letters, digits, '_', '-' and '.'.");
    }
    Set<String> known = checkNodeNames(graph, problems);
    checkErrorHandlers(graph, known, problems);
    checkChannels(graph, known, problems);
    checkInputKeys(graph, problems);
    checkNodeInputKeys(graph, problems);
    checkWorkerPools(graph, problems);
    checkVirtualThreads(graph, Runtime.version().feature(), problems);
    checkSubgraphs(graph, problems);
    for (String node : graph.interruptBefore()) {
      if (!known.contains(node) && !StateGraph.ALL_NODES.equals(node)) {
        problems.add("interruptBefore names unknown node '" + node + "'; known nodes are " + known + " (or \"*\" "
            + "for all).");
      }
    }
    for (String node : graph.interruptAfter()) {
      if (!known.contains(node) && !StateGraph.ALL_NODES.equals(node)) {
        problems.add("interruptAfter names unknown node '" + node + "'; known nodes are " + known + " (or \"*\" "
            + "for all).");
      }
    }
    checkDestinations(graph, known, problems);
    String knownList = "known nodes are " + known;
    for (String[] edge : graph.edges()) {
      String from = edge[0];
      String to = edge[1];
      if (from.equals(END)) {
        problems.add("Edge END -> '" + to + "' leaves END; END ends a run and cannot have outgoing edges.");
      } else if (!from.equals(START) && !known.contains(from)) {
        problems.add("Edge '" + from + "' -> '" + to + "' starts at unknown node '" + from + "'; " + knownList
            + " (or START). Declare it with addNode or fix the name.");
      }
      if (to.equals(START)) {
        problems.add("Edge '" + from + "' -> START leads to START; START is only an entry, edges cannot lead to it.");
      } else if (!to.equals(END) && !known.contains(to)) {
        problems.add("Edge '" + from + "' -> '" + to + "' leads to unknown node '" + to + "'; " + knownList
            + " (or END). Declare it with addNode or fix the name.");
      }
    }
    for (JoinEdge join : graph.joins()) {
      if (join.sources().isEmpty()) {
        problems.add("Join edge [] -> '" + join.target() + "' has no source nodes; list the nodes to wait for.");
      }
      for (String source : join.sources()) {
        if (!known.contains(source)) {
          problems.add("Join edge " + join.sources() + " -> '" + join.target() + "' waits for unknown node '" + source
              + "'; " + knownList + ". A join waits for real nodes, not START or END.");
        }
      }
      if (!known.contains(join.target())) {
        problems.add("Join edge " + join.sources() + " -> '" + join.target() + "' leads to unknown node '"
            + join.target() + "'; " + knownList + ".");
      }
    }
    for (Branch branch : graph.branches()) {
      if (branch.source().equals(END) || (!branch.source().equals(START) && !known.contains(branch.source()))) {
        problems.add("Conditional edges start at unknown node '" + branch.source() + "'; " + knownList
            + " (or START).");
      }
      if (branch.pathMap() != null) {
        for (Map.Entry<String, String> path : new java.util.TreeMap<>(branch.pathMap()).entrySet()) {
          if (!path.getValue().equals(END) && !known.contains(path.getValue())) {
            problems.add("Conditional edges of '" + branch.source() + "' map '" + path.getKey() + "' to unknown node '"
                + path.getValue() + "'; " + knownList + " (or END).");
          }
        }
      }
    }
    if (!hasEntryPoint(graph)) {
      problems.add("No entry point: nothing leaves START. Add addEdge(START, \"<first node>\") (or setEntryPoint) "
          + "or addConditionalEdges(START, router).");
    }
    return problems;
  }

  private static Set<String> checkNodeNames(StateGraph graph, List<String> problems) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (StateGraph.Declared node : graph.declaredNodes()) { // (error handlers' nodes: checkErrorHandlers)
      counts.merge(node.name(), 1, Integer::sum);
    }
    Set<String> known = new LinkedHashSet<>();
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      String name = entry.getKey();
      if (entry.getValue() > 1) {
        problems.add("Node '" + name + "' is declared " + entry.getValue() + " times; node names must be unique, "
            + "rename all but one.");
      }
      if (name.equals(START) || name.equals(END)) {
        problems.add("Node name '" + name + "' is reserved for " + (name.equals(START) ? "START" : "END")
            + "; rename the node.");
      } else if (name.isBlank()) {
        problems.add("A node has a blank name; give every node a non-blank name.");
      } else if (name.indexOf(':') >= 0 || name.indexOf('|') >= 0) {
        problems.add("Node name '" + name + "' contains ':' or '|', which are reserved (as in LangGraph) to separate "
            + "subgraph namespaces; rename the node.");
      } else {
        known.add(name);
      }
    }
    return known;
  }

  /**
   * Each error handler is for a declared node, and its node's name is free: as LangGraph's {@code add_node} and
   * {@code compile} raise "Auto-generated ... error handler node `x` already exists". Adds the handlers' nodes to
   * {@code known}.
   */
  private static void checkErrorHandlers(StateGraph graph, Set<String> known, List<String> problems) {
    Set<String> declared = new LinkedHashSet<>();
    graph.declaredNodes().forEach(node -> declared.add(node.name()));
    for (String node : graph.handledNodes()) {
      String handler = StateGraph.ERROR_HANDLER_PREFIX + node;
      if (!declared.contains(node)) {
        problems.add("errorHandler is given for unknown node '" + node + "'; known nodes are " + known
            + ". Declare the node with addNode or fix the name.");
      } else if (declared.contains(handler)) {
        problems.add("Auto-generated error handler node `" + handler + "` already exists: a node of that name is "
            + "declared, and the error handler of node '" + node + "' runs as that node. Rename the declared node "
            + "(LangGraph raises the same ValueError).");
      } else {
        known.add(handler);
      }
    }
    if (graph.hasDefaultErrorHandler()) {
      if (declared.contains(StateGraph.DEFAULT_ERROR_HANDLER)) {
        problems.add("Auto-generated default error handler node `" + StateGraph.DEFAULT_ERROR_HANDLER + "` already "
            + "exists: a node of that name is declared, and the default error handler (setNodeDefaults) runs as that "
            + "node. Rename the declared node (LangGraph raises the same ValueError).");
      } else {
        known.add(StateGraph.DEFAULT_ERROR_HANDLER);
      }
    }
  }

  private static void checkChannels(StateGraph graph, Set<String> known, List<String> problems) {
    Set<String> seen = new LinkedHashSet<>();
    for (Map.Entry<String, Channel> channel : graph.channels()) {
      String name = channel.getKey();
      if (!seen.add(name)) {
        problems.add("Channel '" + name + "' is declared more than once; declare each channel once.");
      }
      if (known.contains(name)) {
        problems.add("'" + name + "' is both a node and a channel; rename one of them (LangGraph forbids this "
            + "too, since node names and state keys must not be confused).");
      }
    }
  }

  /** Virtual-thread nodes need Java 21 or newer; the JVM's feature version is passed in so tests can vary it. */
  static void checkVirtualThreads(StateGraph graph, int javaFeatureVersion, List<String> problems) {
    if (javaFeatureVersion >= 21) {
      return;
    }
    for (StateGraph.Declared node : graph.nodes()) {
      if (node.kind() == NodeKind.VIRTUAL_THREAD) {
        problems.add("Node '" + node.name() + "' is declared to run on a virtual thread, which needs Java 21 or newer, "
            + "but this JVM is Java " + javaFeatureVersion + ". Declare it with addBlockingNode (a worker thread) or "
            + "run on Java 21+.");
      }
    }
  }

  /** A subgraph runs as its own graph on its own addresses, so its name must differ from its parent's. */
  private static void checkSubgraphs(StateGraph graph, List<String> problems) {
    for (StateGraph.Declared node : graph.nodes()) {
      if (node.subgraph() != null && node.subgraph().graph().name().equals(graph.name())) {
        problems.add("Subgraph node '" + node.name() + "' embeds a graph named '" + graph.name() + "', the parent's "
            + "own name; the child runs on its own event-bus addresses, so give it a different name.");
      }
    }
  }

  /** A named worker pool is shared by the nodes naming it, so they must agree on its size. */
  private static void checkWorkerPools(StateGraph graph, List<String> problems) {
    Map<String, Map<Integer, List<String>>> sizes = new LinkedHashMap<>();
    for (StateGraph.Declared node : graph.nodes()) {
      String pool = node.options().getWorkerPool();
      if (pool != null) {
        sizes.computeIfAbsent(pool, p -> new java.util.TreeMap<>())
            .computeIfAbsent(node.options().getWorkerPoolSize(), s -> new ArrayList<>()).add(node.name());
      }
    }
    sizes.forEach((pool, bySize) -> {
      if (bySize.size() > 1) {
        problems.add("Worker pool '" + pool + "' is given different sizes " + bySize + " (size -> nodes); the nodes "
            + "share one pool, so give them all the same workerPoolSize.");
      }
    });
  }

  /** The destinations a node declares for its Commands must be nodes of the graph, or END. */
  private static void checkDestinations(StateGraph graph, Set<String> known, List<String> problems) {
    for (StateGraph.Declared node : graph.nodes()) {
      for (String destination : node.options().getDestinations()) {
        if (destination.equals(START)) {
          problems.add("Node '" + node.name() + "' declares START as a destination; START is only an entry, a "
              + "Command cannot go to it. Remove it from the node's destinations.");
        } else if (!destination.equals(END) && !known.contains(destination)) {
          problems.add("Node '" + node.name() + "' declares unknown destination '" + destination + "'; known nodes "
              + "are " + known + " (or END). Fix the name in NodeOptions.setDestinations, or declare the node.");
        }
      }
    }
  }

}
