package io.graphloop.graph;

import io.graphloop.state.Values;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Runs {@code node} in the next superstep with its own {@code input} instead of the graph's state: the
 * map-reduce fan-out of LangGraph's {@code Send(node, arg)}. A router returns Sends (one, or a collection
 * mixing Sends and node names), and so may a {@link Command}; every Send becomes its own task (a "push"
 * task), even when several go to the same node, and the tasks' updates meet at the channels' reducers.
 *
 * <pre>{@code
 * .addConditionalEdges("split", state -> state.getList("parts").stream()
 *     .map(part -> new Send("summarize", Map.of("part", part)))
 *     .toList())
 * }</pre>
 *
 * <p>The input is what the node receives as its {@code State}; it must be JSON-compatible. It is
 * frozen (deeply copied into immutable values) when the Send leaves the router or node that made it;
 * a value that is not JSON-compatible then fails the run with an {@code InvalidUpdateException}
 * naming that node. The Send itself keeps a shallow, unmodifiable copy of the map it was given.
 *
 * <p>Immutable once frozen; safe to share between threads.
 */
public final class Send {

  private final String node;
  private final Map<String, Object> input;

  /**
   * A Send of {@code input} to {@code node}.
   *
   * @param node  the node to run (not START or END; checked when the Send is routed)
   * @param input what the node receives as its state; use {@code Map.of()} for nothing
   */
  public Send(String node, Map<String, ?> input) {
    this.node = Objects.requireNonNull(node, "node");
    Objects.requireNonNull(input, "input (use Map.of() for an empty input)");
    this.input = Values.isFrozen(input) ? frozenAsIs(input) : Collections.unmodifiableMap(new LinkedHashMap<>(input));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> frozenAsIs(Map<String, ?> input) {
    return (Map<String, Object>) input;
  }

  /** The node to run. */
  public String node() {
    return node;
  }

  /** The input the node receives as its state; unmodifiable. */
  public Map<String, Object> input() {
    return input;
  }

  /**
   * This Send with its input deeply frozen (itself when it already is).
   *
   * @param where names the Send's origin in error messages, e.g. {@code "node 'split'"}
   * @throws IllegalArgumentException when a value of the input is not JSON-compatible, saying which node
   *                                  sent it, to which node, and why
   */
  public Send frozen(String where) {
    if (Values.isFrozen(input)) {
      return this;
    }
    return new Send(node, Values.freezeUpdate(input, "the input of the Send to '" + node + "' from " + where));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Send && node.equals(((Send) o).node) && input.equals(((Send) o).input);
  }

  @Override
  public int hashCode() {
    return Objects.hash(node, input);
  }

  @Override
  public String toString() {
    return "Send(" + node + ", " + input + ")";
  }
}
