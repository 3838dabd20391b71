package io.graphloop.internal.engine;

import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;

import java.util.List;

/**
 * Reads where a node's {@code Command} goes: its goto targets become node numbers (END adds nothing) and
 * its Sends push tasks, each checked against the graph. A bad target is the node's invalid output, so it
 * fails the run with an {@link InvalidUpdateException} naming the node and the known nodes.
 *
 * <p>Pure and stateless.
 */
final class CommandRouting {

  private CommandRouting() {
  }

  static void route(CompiledGraph graph, String runId, int step, TaskResult result, BranchRouting.TargetSink sink) {
    String node = result.task().node();
    for (String target : result.goTo()) {
      if (target.equals(StateGraph.END)) {
        continue;
      }
      int index = graph.indexOf(target);
      if (index < 0 || index == graph.startIndex()) {
        throw bad(graph, runId, step, node, "goes to " + name(target) + ", which is not a node of the graph; known "
            + "nodes are " + graph.nodeNames() + " (or END). Fix the name, or declare the node with addNode.");
      }
      sink.add(index);
    }
    for (Send send : result.sends()) {
      int index = graph.indexOf(send.node());
      if (index < 0 || index == graph.startIndex()) {
        throw bad(graph, runId, step, node, "sends to " + name(send.node()) + (send.node().equals(StateGraph.END)
            || send.node().equals(StateGraph.START) ? "" : ", which is not a node of the graph") + "; a Send runs a "
            + "node (never START or END): known nodes are " + graph.nodeNames() + ".");
      }
      Send frozen;
      try {
        frozen = send.frozen("node '" + node + "'");
      } catch (IllegalArgumentException e) {
        throw bad(graph, runId, step, node, "sends an input that is not JSON-compatible: " + e.getMessage());
      }
      sink.addSend(index, frozen);
    }
  }

  private static String name(String target) {
    return target.equals(StateGraph.START) ? "START" : target.equals(StateGraph.END) ? "END" : "'" + target + "'";
  }

  private static InvalidUpdateException bad(CompiledGraph graph, String runId, int step, String node, String what) {
    return new InvalidUpdateException("The Command returned by node '" + node + "' in graph '" + graph.name()
        + "' at step " + step + " (run " + runId + ") " + what, graph.name(), runId, step, null, List.of(node));
  }
}
