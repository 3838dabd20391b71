package io.graphloop.graph;

import io.graphloop.state.State;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A compiled graph used as a node of another graph, with how its channels map from and to the parent's state.
 * The child runs as a run of its own graph (deployed with the parent); its stream events appear in the parent's
 * stream under the namespace {@code "<node>:<task id>"}.
 *
 * <p>Mapping, by default as LangGraph's shared keys: the child's input is the parent's whole state, and its
 * update to the parent is what it changed: keys it added or whose value differs, and for the parent's append
 * channels only the elements it appended. {@link #inputKeys}/{@link #outputKeys} rename and select keys;
 * {@link #input}/{@link #output} take full control.
 *
 * <p>Persistence, LangGraph's {@code compile(checkpointer=...)} of a subgraph ({@link Persistence}): by default
 * ({@link Persistence#PER_INVOCATION}, LangGraph's {@code checkpointer=None}) the child checkpoints under the parent's
 * thread for one invocation of the node; {@link #stateful()} ({@code checkpointer=True}) keeps its state across the
 * parent's invocations on the same thread; {@link #withoutCheckpoints()} ({@code checkpointer=False}) keeps none.
 *
 * <p>Immutable: every method returns a new instance. The mapping functions must be pure and thread-safe.
 */
public final class Subgraph {

  /**
   * How a subgraph keeps its state on the parent's thread (LangGraph's {@code compile(checkpointer=...)} of the child
   * graph). Without a thread (a parent run without {@code threadId}) no child keeps any.
   */
  public enum Persistence {
    /**
     * LangGraph's {@code checkpointer=None} (the default): the child checkpoints under the parent's thread in the
     * task's own namespace ({@code "<node>:<uuid>"}), so an {@code interrupt} inside it can be resumed and
     * {@code getState(thread, null, true)} shows it, but each invocation of the node starts a new child state.
     */
    PER_INVOCATION,
    /**
     * LangGraph's {@code checkpointer=True}: the child checkpoints in the namespace {@code "<node>"} (the parent's
     * namespace without task ids, then the node), the same for every invocation, so the child's state carries over
     * from one invocation of the node to the next on the same thread (the input is applied to it, through the
     * child's reducers). A parent replayed from an earlier checkpoint loads the child's state as it was then.
     */
    STATEFUL,
    /**
     * LangGraph's {@code checkpointer=False}: the child keeps no checkpoints and starts anew each invocation. It
     * cannot stop the parent: an {@code interrupt} or a breakpoint inside it fails the node.
     */
    NONE
  }

  private final CompiledGraph graph;
  private final Function<State, Map<String, Object>> input;
  private final BiFunction<State, State, Map<String, Object>> output;
  private final Persistence persistence;

  private Subgraph(CompiledGraph graph, Function<State, Map<String, Object>> input,
                   BiFunction<State, State, Map<String, Object>> output, Persistence persistence) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.input = input;
    this.output = output;
    this.persistence = Objects.requireNonNull(persistence, "persistence");
  }

  /** {@code graph} as a node, with the default mapping, checkpointed per invocation. */
  public static Subgraph of(CompiledGraph graph) {
    return new Subgraph(graph, null, null, Persistence.PER_INVOCATION);
  }

  /** This subgraph with {@code persistence}. */
  public Subgraph persistence(Persistence persistence) {
    return new Subgraph(graph, input, output, persistence);
  }

  /** This subgraph keeping its state across the parent's invocations (LangGraph's {@code checkpointer=True}). */
  public Subgraph stateful() {
    return persistence(Persistence.STATEFUL);
  }

  /** This subgraph keeping no checkpoints (LangGraph's {@code checkpointer=False}). */
  public Subgraph withoutCheckpoints() {
    return persistence(Persistence.NONE);
  }

  /** How this subgraph keeps its state. */
  public Persistence persistence() {
    return persistence;
  }

  /** The child's input is the parent's keys named here, renamed: {@code parentKey -> childKey}. */
  public Subgraph inputKeys(Map<String, String> parentToChild) {
    Map<String, String> keys = Map.copyOf(parentToChild);
    return input(parent -> {
      Map<String, Object> in = new LinkedHashMap<>();
      keys.forEach((parentKey, childKey) -> {
        if (parent.has(parentKey)) {
          in.put(childKey, parent.get(parentKey));
        }
      });
      return in;
    });
  }

  /** The parent's update is the child's final keys named here, renamed: {@code childKey -> parentKey}. */
  public Subgraph outputKeys(Map<String, String> childToParent) {
    Map<String, String> keys = Map.copyOf(childToParent);
    return output((child, parent) -> {
      Map<String, Object> out = new LinkedHashMap<>();
      keys.forEach((childKey, parentKey) -> {
        if (child.has(childKey)) {
          out.put(parentKey, child.get(childKey));
        }
      });
      return out;
    });
  }

  /** The child's input computed from the parent's snapshot. */
  public Subgraph input(Function<State, Map<String, Object>> mapping) {
    return new Subgraph(graph, Objects.requireNonNull(mapping, "mapping"), output, persistence);
  }

  /** The parent's update computed from the child's final state and the parent's snapshot. */
  public Subgraph output(BiFunction<State, State, Map<String, Object>> mapping) {
    return new Subgraph(graph, input, Objects.requireNonNull(mapping, "mapping"), persistence);
  }

  /** The child graph. */
  public CompiledGraph graph() {
    return graph;
  }

  /** The input mapping, or {@code null} for the default (the parent's whole state). */
  public Function<State, Map<String, Object>> inputMapping() {
    return input;
  }

  /** The output mapping, or {@code null} for the default (what the child changed). */
  public BiFunction<State, State, Map<String, Object>> outputMapping() {
    return output;
  }
}
