package io.graphloop.engine;

import io.graphloop.graph.CompiledGraph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which sources of each waiting join have finished since its target last ran (LangGraph's
 * {@code NamedBarrierValue}). A join fires when all of its sources are in; firing clears it.
 *
 * <p>Immutable: every change returns a new instance, so a {@link RunState} never changes.
 */
public final class JoinBarriers {

  static final JoinBarriers NONE = new JoinBarriers(new boolean[0][]);

  private final boolean[][] seen;

  private JoinBarriers(boolean[][] seen) {
    this.seen = seen;
  }

  static JoinBarriers empty(CompiledGraph graph) {
    int count = graph.joins().size();
    if (count == 0) {
      return NONE;
    }
    boolean[][] seen = new boolean[count][];
    for (int j = 0; j < count; j++) {
      seen[j] = new boolean[graph.joinSources(j).length];
    }
    return new JoinBarriers(seen);
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
    return new JoinBarriers(seen);
  }

  /**
   * The progress {@link #describe} wrote, read back (e.g. from a checkpoint); unknown joins and sources are
   * ignored, so a checkpoint of an older version of the graph still loads.
   */
  public static JoinBarriers fromDescription(CompiledGraph graph, Map<String, ?> description) {
    JoinBarriers barriers = empty(graph);
    if (barriers == NONE || description == null || description.isEmpty()) {
      return barriers;
    }
    boolean[][] seen = barriers.mutableCopy();
    for (int j = 0; j < seen.length; j++) {
      Object names = description.get(graph.joins().get(j).sources() + " -> " + graph.joins().get(j).target());
      if (names instanceof List) {
        for (int p = 0; p < seen[j].length; p++) {
          seen[j][p] = ((List<?>) names).contains(graph.node(graph.joinSources(j)[p]).name());
        }
      }
    }
    return of(seen);
  }

  /** The names of the sources each join has seen, keyed by {@code "[a, b] -> c"}; for state views and checkpoints. */
  public Map<String, List<String>> describe(CompiledGraph graph) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (int j = 0; j < seen.length; j++) {
      List<String> names = new ArrayList<>();
      for (int p = 0; p < seen[j].length; p++) {
        if (seen[j][p]) {
          names.add(graph.node(graph.joinSources(j)[p]).name());
        }
      }
      out.put(graph.joins().get(j).sources() + " -> " + graph.joins().get(j).target(), names);
    }
    return out;
  }
}
