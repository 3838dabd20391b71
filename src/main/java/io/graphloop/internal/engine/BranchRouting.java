package io.graphloop.internal.engine;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.graph.Branch;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;

import java.util.Collection;
import java.util.List;

/**
 * Evaluates a conditional edge: calls its router and turns the answer into node numbers and
 * {@link Send}s, checking every name against the graph so a typo fails with the list of valid names.
 * Sends bypass the path map (as in LangGraph) and their inputs are frozen here.
 *
 * <p>Pure and stateless (as pure as the user's router).
 */
final class BranchRouting {

  /** Receives the chosen node numbers and Sends, in the order the router returned them. */
  interface TargetSink {
    void add(int nodeIndex);

    void addSend(int nodeIndex, Send send);
  }

  private BranchRouting() {
  }

  static void route(CompiledGraph graph, String runId, int step, Branch branch, State view, TargetSink sink) {
    Object answer;
    try {
      answer = branch.router().route(view);
    } catch (Exception e) {
      throw new GraphloopException(FailureCode.NODE_FAILED, "The router of the conditional edges of '"
          + branch.source() + "' in graph '" + graph.name() + "' failed at step " + step + " in run " + runId + ": " + e,
          graph.name(), runId, step, branch.source(), e);
    }
    if (answer instanceof Collection) {
      for (Object item : (Collection<?>) answer) {
        addOne(graph, runId, step, branch, item, sink);
      }
    } else {
      addOne(graph, runId, step, branch, answer, sink);
    }
  }

  private static void addOne(CompiledGraph graph, String runId, int step, Branch branch, Object item, TargetSink sink) {
    if (item instanceof Send) {
      addSend(graph, runId, step, branch, (Send) item, sink);
      return;
    }
    if (!(item instanceof String)) {
      throw bad(graph, runId, step, branch, "returned " + (item == null ? "null" : "a " + item.getClass().getName())
          + "; a router returns a node name, END, a Send, or a collection of them");
    }
    String target = (String) item;
    if (branch.pathMap() != null) {
      String mapped = branch.pathMap().get(target);
      if (mapped == null) {
        throw bad(graph, runId, step, branch, "returned '" + target + "', which is not a key of its path map "
            + new java.util.TreeSet<>(branch.pathMap().keySet()));
      }
      target = mapped;
    }
    if (target.equals(StateGraph.END)) {
      return;
    }
    int index = graph.indexOf(target);
    if (index < 0 || index == graph.startIndex()) {
      throw bad(graph, runId, step, branch, "returned '" + target + "', which is not a node of the graph; known nodes "
          + "are " + graph.nodeNames() + " (or END)");
    }
    sink.add(index);
  }

  private static void addSend(CompiledGraph graph, String runId, int step, Branch branch, Send send,
                              TargetSink sink) {
    int index = graph.indexOf(send.node());
    if (index < 0 || index == graph.startIndex()) {
      String what = send.node().equals(StateGraph.END) ? "END" : send.node().equals(StateGraph.START) ? "START"
          : "'" + send.node() + "', which is not a node of the graph";
      throw bad(graph, runId, step, branch, "returned a Send to " + what + "; a Send runs a node (never START or "
          + "END): known nodes are " + graph.nodeNames());
    }
    Send frozen;
    try {
      frozen = send.frozen("the router of the conditional edges of '" + branch.source() + "'");
    } catch (IllegalArgumentException e) {
      throw new InvalidUpdateException("The router of the conditional edges of '" + branch.source() + "' in graph '"
          + graph.name() + "' returned a Send whose input is not JSON-compatible (step " + step + ", run " + runId
          + "): " + e.getMessage(), graph.name(), runId, step, null, List.of(branch.source()));
    }
    sink.addSend(index, frozen);
  }

  private static GraphloopException bad(CompiledGraph graph, String runId, int step, Branch branch, String what) {
    return new GraphloopException(FailureCode.NODE_FAILED, "The router of the conditional edges of '" + branch.source()
        + "' in graph '" + graph.name() + "' " + what + " (step " + step + ", run " + runId + ").",
        graph.name(), runId, step, branch.source(), null);
  }
}
