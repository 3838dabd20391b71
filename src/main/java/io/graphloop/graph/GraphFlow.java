package io.graphloop.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * Warnings about a valid graph's flow: nodes no run can reach, and nodes from which no run can end except
 * by the recursion limit. LangGraph accepts both shapes, and so does {@link StateGraph#compile()}; these
 * are hints for the author ({@link CompiledGraph#warnings()}), never errors.
 *
 * <p>A run ends when no task is due, so a node with no outgoing edge ends the run there (as in LangGraph);
 * it counts as a way to the end. Every analysis is linear in nodes + edges (each node and edge is visited
 * a bounded number of times), so graphs of 100,000 nodes compile quickly.
 *
 * <p>Stateless; called once per compile, on the compiling thread, after {@link GraphValidator} found no
 * problem (every name here is known).
 */
final class GraphFlow {

  private static final int MAX_NAMES = 20;

  private GraphFlow() {
  }

  static List<String> warnings(StateGraph graph) {
    List<StateGraph.Declared> declared = graph.nodes();
    int n = declared.size();
    int start = n;
    Map<String, Integer> index = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      index.put(declared.get(i).name(), i);
    }
    index.put(START, start);

    IntLists next = new IntLists(n + 1);
    IntLists previous = new IntLists(n + 1);
    boolean[] exits = new boolean[n + 1];      // may go to END, or anywhere (a router without a path map)
    boolean[] anywhere = new boolean[n + 1];   // a router without a path map: every node is a target
    for (String[] edge : graph.edges()) {
      link(index.get(edge[0]), edge[1], index, next, previous, exits);
    }
    for (StateGraph.Declared node : declared) {
      for (String destination : node.options().getDestinations()) {
        link(index.get(node.name()), destination, index, next, previous, exits);
      }
    }
    for (Branch branch : graph.branches()) {
      int source = index.get(branch.source());
      if (branch.pathMap() == null) {
        anywhere[source] = true;
        exits[source] = true;
      } else {
        for (String target : branch.pathMap().values()) {
          link(source, target, index, next, previous, exits);
        }
      }
    }
    List<JoinEdge> joins = graph.joins();
    IntLists joinsOf = new IntLists(n + 1);
    IntLists joinsInto = new IntLists(n + 1);
    int[] joinTarget = new int[joins.size()];
    boolean[] joinSource = new boolean[n + 1];
    for (int j = 0; j < joins.size(); j++) {
      joinTarget[j] = index.get(joins.get(j).target());
      joinsInto.add(joinTarget[j], j);
      for (String source : joins.get(j).sources()) {
        joinsOf.add(index.get(source), j);
        joinSource[index.get(source)] = true;
      }
    }

    boolean[] reachable = reachable(start, next, anywhere, joins, joinsOf, joinTarget, n);
    boolean[] ends = new boolean[n + 1];
    int[] stack = new int[n + 1];
    int top = 0;
    for (int i = 0; i <= n; i++) {
      boolean deadEnd = next.size(i) == 0 && !exits[i] && !joinSource[i];
      if (exits[i] || deadEnd) {
        ends[i] = true;
        stack[top++] = i;
      }
    }
    while (top > 0) {
      int node = stack[--top];
      for (int k = 0; k < previous.size(node); k++) {
        int before = previous.get(node, k);
        if (!ends[before]) {
          ends[before] = true;
          stack[top++] = before;
        }
      }
      for (int k = 0; k < joinsInto.size(node); k++) {
        // a join whose target can end lets each of its sources end: their way on is the join
        for (String source : joins.get(joinsInto.get(node, k)).sources()) {
          int before = index.get(source);
          if (!ends[before]) {
            ends[before] = true;
            stack[top++] = before;
          }
        }
      }
    }

    List<String> unreachable = new ArrayList<>();
    List<String> endless = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!reachable[i] && !graph.isErrorHandler(declared.get(i).name())) { // (a handler runs in a node's place)
        unreachable.add(declared.get(i).name());
      } else if (!ends[i]) {
        endless.add(declared.get(i).name());
      }
    }
    List<String> warnings = new ArrayList<>(2);
    if (!unreachable.isEmpty()) {
      warnings.add(names(unreachable) + (unreachable.size() == 1 ? " is" : " are") + " unreachable from START: no edge from a reachable node leads there (a join "
          + "fires only when all its sources are reachable). A run never executes them; add an edge, or list them in "
          + "NodeOptions.setDestinations of a node that goes there by Command.");
    }
    if (!endless.isEmpty()) {
      warnings.add(names(endless) + " cannot end: every path from them loops, so a run that reaches them stops only "
          + "at its recursion limit (GraphRecursionException). Add a conditional edge that can route to END.");
    }
    return List.copyOf(warnings);
  }

  private static void link(int source, String target, Map<String, Integer> index, IntLists next, IntLists previous,
      boolean[] exits) {
    if (target.equals(END)) {
      exits[source] = true;
    } else {
      int to = index.get(target);
      next.add(source, to);
      previous.add(to, source);
    }
  }

  private static boolean[] reachable(int start, IntLists next, boolean[] anywhere, List<JoinEdge> joins,
      IntLists joinsOf, int[] joinTarget, int n) {
    boolean[] seen = new boolean[n + 1];
    int[] waiting = new int[joins.size()];
    for (int j = 0; j < joins.size(); j++) {
      waiting[j] = (int) joins.get(j).sources().stream().distinct().count();
    }
    int[] stack = new int[n + 1];
    int top = 0;
    seen[start] = true;
    stack[top++] = start;
    boolean everything = false;
    while (top > 0) {
      int node = stack[--top];
      everything |= anywhere[node];
      for (int k = 0; k < next.size(node); k++) {
        int to = next.get(node, k);
        if (!seen[to]) {
          seen[to] = true;
          stack[top++] = to;
        }
      }
      for (int k = 0; k < joinsOf.size(node); k++) {
        int j = joinsOf.get(node, k);
        if (--waiting[j] == 0 && !seen[joinTarget[j]]) {
          seen[joinTarget[j]] = true;
          stack[top++] = joinTarget[j];
        }
      }
    }
    if (everything) {
      java.util.Arrays.fill(seen, true);
    }
    return seen;
  }

  private static String names(List<String> nodes) {
    String shown = nodes.size() <= MAX_NAMES ? nodes.toString()
        : nodes.subList(0, MAX_NAMES) + " and " + (nodes.size() - MAX_NAMES) + " more";
    return (nodes.size() == 1 ? "Node " : "Nodes ") + shown;
  }

  /** Growable int lists per node, without boxing. */
  private static final class IntLists {
    private final int[][] items;
    private final int[] sizes;

    IntLists(int count) {
      items = new int[count][];
      sizes = new int[count];
    }

    void add(int list, int value) {
      int[] current = items[list];
      if (current == null) {
        current = items[list] = new int[2];
      } else if (sizes[list] == current.length) {
        current = items[list] = java.util.Arrays.copyOf(current, current.length * 2);
      }
      current[sizes[list]++] = value;
    }

    int size(int list) {
      return sizes[list];
    }

    int get(int list, int k) {
      return items[list][k];
    }
  }
}
