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
 * {@code LastValueAfterFinish} and {@code NamedBarrierValueAfterFinish} channels). Also which joins fired in the step
 * that planned the current tasks: their targets are due because of the join, which LangGraph keeps available until
 * the target runs, so an update of the thread's state before then leaves them due ({@link StateUpdate}).
 *
 * <p>Immutable: every change returns a new instance, so a {@link RunState} never changes.
 */
public final class JoinBarriers {

  /** The graph's own arrays and options, without copies (this is the per-step path). */
  private static final GraphInternals.Accessor GRAPH = GraphInternals.get();

  static final JoinBarriers NONE = new JoinBarriers(new boolean[0][], null, null);

  /** The key of the waiting deferred nodes in {@link #describe}; present only while some are waiting. */
  public static final String DEFERRED = "deferred";

  /** The key of the joins that fired in the last step in {@link #describe}; present only when some did. */
  public static final String FIRED = "fired";

  private final boolean[][] seen;
  /** By node index: due deferred nodes that wait; null when none waits. */
  private final boolean[] deferred;
  /** By join index: the joins that fired in the step that planned the current tasks; null when none did. */
  private final boolean[] fired;

  private JoinBarriers(boolean[][] seen, boolean[] deferred, boolean[] fired) {
    this.seen = seen;
    this.deferred = deferred;
    this.fired = fired;
  }

  /** These joins' progress with {@code fired} (by join index, or null for none) as the joins that just fired. */
  JoinBarriers withFired(boolean[] fired) {
    return fired == null && this.fired == null ? this : new JoinBarriers(seen, deferred, fired);
  }

  /** Whether join {@code join} fired in the step that planned the current tasks (its target has not run since). */
  boolean fired(int join) {
    return fired != null && fired[join];
  }

  /** A copy of the joins that just fired, by join index, for the caller to change. */
  boolean[] firedCopy() {
    return fired == null ? new boolean[seen.length] : fired.clone();
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
    return new JoinBarriers(seen, any ? waiting : null, fired);
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
    return new JoinBarriers(seen, null, null);
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
    return new JoinBarriers(seen, null, null);
  }

  /** These deferred nodes' waits with the joins' progress {@code seen}. */
  JoinBarriers withSeen(boolean[][] seen) {
    return new JoinBarriers(seen, deferred, fired);
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
    boolean[] fired = null;
    for (int j = 0; j < seen.length; j++) {
      String key = key(graph, j);
      Object names = description.get(key);
      if (names instanceof List) {
        for (int p = 0; p < seen[j].length; p++) {
          seen[j][p] = ((List<?>) names).contains(graph.node(GRAPH.joinSources(graph, j)[p]).name());
        }
      }
      if (description.get(FIRED) instanceof List<?> keys && keys.contains(key)) {
        fired = fired == null ? new boolean[seen.length] : fired;
        fired[j] = true;
      }
    }
    return barriers.withSeen(seen).withFired(fired);
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
      out.put(key(graph, j), names);
    }
    if (fired != null) {
      List<String> keys = new ArrayList<>();
      for (int j = 0; j < fired.length; j++) {
        if (fired[j]) {
          keys.add(key(graph, j));
        }
      }
      if (!keys.isEmpty()) {
        out.put(FIRED, keys);
      }
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

  /** Join {@code join}'s key in {@link #describe}: {@code "[a, b] -> c"}. */
  private static String key(CompiledGraph graph, int join) {
    return graph.joins().get(join).sources() + " -> " + graph.joins().get(join).target();
  }
}
