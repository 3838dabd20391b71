package io.graphloop.graph;

import io.graphloop.internal.graph.GraphInternals;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * A graph's edges laid out as arrays indexed by source node (START is index {@code nodeCount}), as
 * {@link CompiledGraph} keeps them for the superstep planner: each node's static targets (sorted), its branches, the
 * joins with their target and sources, the joins each node is a source of, and each node's only static target (or
 * {@link GraphInternals#NO_EDGE} / {@link GraphInternals#SEVERAL_EDGES}). Built once at compile time; the compiled
 * graph copies the arrays into its own fields (a step reads them without another indirection).
 *
 * <p>Thread rules: built on the compiling thread; the arrays are never written after {@link #of} returns, so the
 * layout may be read from any thread once published (the compiled graph's final fields publish it).
 */
record EdgeLayout(int[][] edgeTargets, Branch[][] branches, List<JoinEdge> joins, int[] joinTargets,
                  int[][] joinSources, int[][] joinsBySource, int[] onlyEdgeTarget) {

  private static final int[] NO_TARGETS = new int[0];
  private static final Branch[] NO_BRANCHES = new Branch[0];

  /** Lays out {@code graph}'s edges, branches and joins over its {@code nodeCount} nodes, numbered by {@code indexOf}. */
  static EdgeLayout of(StateGraph graph, int nodeCount, ToIntFunction<String> indexOf) {
    int n = nodeCount;
    List<Set<Integer>> targets = new ArrayList<>();
    List<List<Branch>> branchLists = new ArrayList<>();
    for (int i = 0; i <= n; i++) {
      targets.add(new LinkedHashSet<>());
      branchLists.add(new ArrayList<>());
    }
    for (String[] edge : graph.edges()) {
      if (!edge[1].equals(StateGraph.END)) {
        targets.get(indexOf.applyAsInt(edge[0])).add(indexOf.applyAsInt(edge[1]));
      }
    }
    for (Branch branch : graph.branches()) {
      branchLists.get(indexOf.applyAsInt(branch.source())).add(branch);
    }
    int[][] edgeTargets = new int[n + 1][];
    Branch[][] branches = new Branch[n + 1][];
    for (int i = 0; i <= n; i++) {
      edgeTargets[i] = targets.get(i).isEmpty() ? NO_TARGETS
          : targets.get(i).stream().mapToInt(Integer::intValue).sorted().toArray();
      branches[i] = branchLists.get(i).isEmpty() ? NO_BRANCHES : branchLists.get(i).toArray(NO_BRANCHES);
    }

    List<JoinEdge> joins = List.copyOf(graph.joins());
    int[] joinTargets = new int[joins.size()];
    int[][] joinSources = new int[joins.size()][];
    List<List<Integer>> bySource = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      bySource.add(new ArrayList<>());
    }
    for (int j = 0; j < joins.size(); j++) {
      JoinEdge join = joins.get(j);
      joinTargets[j] = indexOf.applyAsInt(join.target());
      joinSources[j] = join.sources().stream().distinct().mapToInt(indexOf::applyAsInt).toArray();
      for (int source : joinSources[j]) {
        bySource.get(source).add(j);
      }
    }
    int[][] joinsBySource = new int[n][];
    for (int i = 0; i < n; i++) { // (one shared empty array: a step reads this for its node)
      joinsBySource[i] = bySource.get(i).isEmpty() ? NO_TARGETS
          : bySource.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    int[] onlyEdgeTarget = new int[n + 1];
    for (int i = 0; i <= n; i++) {
      onlyEdgeTarget[i] = edgeTargets[i].length == 0 ? GraphInternals.NO_EDGE
          : edgeTargets[i].length == 1 ? edgeTargets[i][0] : GraphInternals.SEVERAL_EDGES;
    }
    return new EdgeLayout(edgeTargets, branches, joins, joinTargets, joinSources, joinsBySource, onlyEdgeTarget);
  }
}
