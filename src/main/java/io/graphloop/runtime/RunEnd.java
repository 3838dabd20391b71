package io.graphloop.runtime;

import io.graphloop.state.State;

import java.util.List;
import java.util.Map;

/**
 * How a run that did not fail ended: at END, or interrupted (a static breakpoint or a node's {@code interrupt}),
 * waiting to be resumed on its thread.
 *
 * @param values       the state: the final one, or when interrupted the one of the last completed step with the
 *                     writes of the interrupted step's completed tasks applied (as LangGraph's output)
 * @param interrupts   what the run waits for, one entry per interrupt: {@code {"id", "node", "taskId", "value"}}
 *                     (the node's payload; {@code id} is LangGraph's interrupt id, see {@link SubgraphThreads#interruptId})
 *                     or {@code {"node", "when": "before"|"after"}} for a breakpoint of the graph itself; a subgraph's
 *                     breakpoint is not listed (see {@code stopped}) or {@code {"node", "when": "before"|"after"}} for a breakpoint; empty at END
 * @param checkpointId the thread's checkpoint the run ended at, or {@code null} without a thread
 * @param stopped      whether a subgraph task stopped without an interrupt to report (see {@link #interrupted()})
 */
record RunEnd(State values, List<Map<String, Object>> interrupts, String checkpointId, boolean stopped) {

  RunEnd {
    interrupts = List.copyOf(interrupts);
  }

  RunEnd(State values, List<Map<String, Object>> interrupts, String checkpointId) {
    this(values, interrupts, checkpointId, false);
  }

  /**
   * Whether the run stopped with tasks due: it reports interrupts, or ({@code stopped}) a subgraph task stopped with
   * none to report (its child reached a static breakpoint: LangGraph's result then has no {@code __interrupt__}, and
   * the thread waits all the same).
   */
  boolean interrupted() {
    return stopped || !interrupts.isEmpty();
  }

  /**
   * A node's interrupt as runs and thread states report it, for task {@code taskId} of a run on {@code threadId}
   * ({@code null}: none). {@code id} is LangGraph's interrupt id, the key of a {@code Command.resume} map that answers
   * interrupts each its own: the digest of the task's checkpoint namespace ({@link io.graphloop.graph.InterruptIds};
   * a node that asks several times in one task gets its answers in order).
   */
  static Map<String, Object> interrupt(String threadId, String node, String taskId, Object payload) {
    return interruptOf(SubgraphThreads.interruptId(threadId, node, taskId), node, taskId, payload);
  }

  /**
   * The interrupts a task of {@code node} stands for when {@code node} is a subgraph node (its payload is the child
   * run's interrupts, each already with its id and namespace, {@code "ns"}) or an entrypoint of the functional API
   * (the interrupt of the task call or body that asked, with that call's id); {@code null} for any other node.
   */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> nested(io.graphloop.graph.CompiledGraph graph, String node, Object payload) {
    int index = graph.indexOf(node);
    if (index < 0 || index == graph.startIndex() || !(payload instanceof List)
        || graph.node(index).subgraph() == null && !functional(graph, node)) {
      return null;
    }
    List<Map<String, Object>> nested = new java.util.ArrayList<>();
    for (Object entry : (List<Object>) payload) {
      if (entry instanceof Map) {
        nested.add((Map<String, Object>) entry);
      }
    }
    return nested;
  }

  /** Whether {@code node} is an entrypoint of the functional API (its answers name the interrupt they answer). */
  static boolean functional(io.graphloop.graph.CompiledGraph graph, String node) {
    int index = graph.indexOf(node);
    return index >= 0 && index != graph.startIndex()
        && graph.node(index).async() instanceof io.graphloop.graph.FunctionCalls.Caller;
  }

  private static Map<String, Object> interruptOf(String id, String node, String taskId, Object payload) {
    Map<String, Object> entry = new java.util.LinkedHashMap<>();
    entry.put("id", id);
    entry.put("node", node);
    entry.put("taskId", taskId);
    entry.put("value", payload);
    return entry;
  }
}
