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
 * <p>Immutable: every method returns a new instance. The mapping functions must be pure and thread-safe.
 */
public final class Subgraph {

  private final CompiledGraph graph;
  private final Function<State, Map<String, Object>> input;
  private final BiFunction<State, State, Map<String, Object>> output;

  private Subgraph(CompiledGraph graph, Function<State, Map<String, Object>> input,
                   BiFunction<State, State, Map<String, Object>> output) {
    this.graph = Objects.requireNonNull(graph, "graph");
    this.input = input;
    this.output = output;
  }

  /** {@code graph} as a node, with the default mapping. */
  public static Subgraph of(CompiledGraph graph) {
    return new Subgraph(graph, null, null);
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
    return new Subgraph(graph, Objects.requireNonNull(mapping, "mapping"), output);
  }

  /** The parent's update computed from the child's final state and the parent's snapshot. */
  public Subgraph output(BiFunction<State, State, Map<String, Object>> mapping) {
    return new Subgraph(graph, input, Objects.requireNonNull(mapping, "mapping"));
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
