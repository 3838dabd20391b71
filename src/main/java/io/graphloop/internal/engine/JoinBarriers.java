package io.graphloop.internal.engine;

import io.graphloop.internal.graph.GraphInternals;
import io.graphloop.graph.CompiledGraph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which sources of each waiting join have finished since its target last ran (LangGraph's
 * {@code NamedBarrierValue}). A join fires when all of its sources are in; firing clears it. Also which deferred
 * nodes ({@code NodeOptions.setDefer}) are due but waiting for a step in which nothing else is due (LangGraph's
 * {@code LastValueAfterFinish} and {@code NamedBarrierValueAfterFinish} channels).
 *
 * <p>Immutable: every change returns a new instance, so a {@link RunState} never changes.
 */
public final class JoinBarriers {

  /** The graph's own arrays and options, without copies (this is the per-step path). */
  private static final GraphInternals.Accessor GRAPH = GraphInternals.get();

  static final JoinBarriers NONE = new JoinBarriers(new boolean[0][], null);

  /** The key of the waiting deferred nodes in {@link #describe}; present only while some are waiting. */
  public static final String DEFERRED = "deferred";

  private final boolean[][] seen;
  /** By node index: due deferred nodes that wait; null when none waits. */
  private final boolean[] deferred;

  private JoinBarriers(boolean[][] seen, boolean[] deferred) {
    this.seen = seen;
    this.deferred = deferred;
  }

  /** These joins' progress with {@code waiting} (by node index, or null for none) as the waiting deferred nodes. */
  JoinBarriers withDeferred(boolean[] waiting) {
    boolean any = false;
    if (waiting != null) {
      for (boolean w : waiting) {
        any |= w;
      }
    }
    if (!any && deferred == null) {
      return this;
    }
    return new JoinBarriers(seen, any ? waiting : null);
  }

  /** A copy of the waiting deferred nodes by node index, for the caller to change. */
  boolean[] deferredCopy(int nodeCount) {
    return deferred == null ? new boolean[nodeCount] : deferred.clone();
  }

  static JoinBarriers empty(CompiledGraph graph) {
    int count = graph.joins().size();
    if (count == 0) {
      return NONE;
    }
    boolean[][] seen = new boolean[count][];
    for (int j = 0; j < count; j++) {
      seen[j] = new boolean[GRAPH.joinSources(graph, j).length];
    }
    return new JoinBarriers(seen, null);
  }

  /** Whether source number {@code position} of join {@code join} has finished. */
  boolean has(int join, int position) {
    return seen[join][position];
  }

  /** A copy that this method's caller may change, for the planner's use within one step. */
  boolean[][] mutableCopy() {
    boolean[][] copy = new boolean[seen.length][];
    for (int j = 0; j < seen.length; j++) {
      copy[j] = seen[j].clone();
    }
    return copy;
  }

  static JoinBarriers of(boolean[][] seen) {
    return new JoinBarriers(seen, null);
  }

  /** These deferred nodes' waits with the joins' progress {@code seen}. */
  JoinBarriers withSeen(boolean[][] seen) {
    return new JoinBarriers(seen, deferred);
  }

  /**
   * The progress {@link #describe} wrote, read back (e.g. from a checkpoint); unknown joins and sources are
   * ignored, so a checkpoint of an older version of the graph still loads.
   */
  public static JoinBarriers fromDescription(CompiledGraph graph, Map<String, ?> description) {
    JoinBarriers barriers = empty(graph);
    if (description == null || description.isEmpty()) {
      return barriers;
    }
    if (description.get(DEFERRED) instanceof List<?> names) {
      boolean[] waiting = new boolean[graph.nodes().size()];
      for (int i = 0; i < waiting.length; i++) {
        waiting[i] = GRAPH.options(graph.node(i)).isDefer() && names.contains(graph.node(i).name());
      }
      barriers = barriers.withDeferred(waiting);
    }
    if (barriers.seen.length == 0) {
      return barriers;
    }
    boolean[][] seen = barriers.mutableCopy();
    for (int j = 0; j < seen.length; j++) {
      Object names = description.get(graph.joins().get(j).sources() + " -> " + graph.joins().get(j).target());
      if (names instanceof List) {
        for (int p = 0; p < seen[j].length; p++) {
          seen[j][p] = ((List<?>) names).contains(graph.node(GRAPH.joinSources(graph, j)[p]).name());
        }
      }
    }
    return barriers.withSeen(seen);
  }

  /** The names of the sources each join has seen, keyed by {@code "[a, b] -> c"}; for state views and checkpoints. */
  public Map<String, List<String>> describe(CompiledGraph graph) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int j = 0; j < seen.length; j++) {
      List<String> names = new ArrayList<>();
      for (int p = 0; p < seen[j].length; p++) {
        if (seen[j][p]) {
          names.add(graph.node(GRAPH.joinSources(graph, j)[p]).name());
        }
      }
      out.put(graph.joins().get(j).sources() + " -> " + graph.joins().get(j).target(), names);
    }
    if (deferred != null) {
      List<String> names = new ArrayList<>();
      for (int i = 0; i < deferred.length; i++) {
        if (deferred[i]) {
          names.add(graph.node(i).name());
        }
      }
      out.put(DEFERRED, names);
    }
    return out;
  }
}
