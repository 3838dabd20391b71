package io.graphloop.graph;

import io.graphloop.state.State;
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
 * <p>The argument need not be a map, as in LangGraph ({@code Send("node", 3)}): {@code new Send("square", 3)} runs
 * {@code square} with a state whose {@link io.graphloop.state.State#arg()} is {@code 3}. Such a state holds the
 * argument under the one reserved key {@link #ARG}, which is also how it travels and is checkpointed.
 *
 * <p>The input is what the node receives as its {@code State}; it must be JSON-compatible. It is
 * frozen (deeply copied into immutable values) when the Send leaves the router or node that made it;
 * a value that is not JSON-compatible then fails the run with an {@code InvalidUpdateException}
 * naming that node. The Send itself keeps a shallow, unmodifiable copy of the map it was given.
 *
 * <p>A Send may carry a {@link TimeoutPolicy} of its own (LangGraph's {@code Send(node, arg, timeout=...)}): its push
 * task then runs under that policy instead of the target node's (the whole policy replaces the node's; it is kept
 * with the task in checkpoints, so a resumed step runs the task under it too).
 *
 * <p>Immutable once frozen; safe to share between threads.
 */
public final class Send {

  /** The key under which the input of a Send holds an argument that is not a map. */
  public static final String ARG = State.SEND_ARG;

  private final String node;
  private final Map<String, Object> input;
  private final TimeoutPolicy timeout;

  /**
   * A Send of {@code input} to {@code node}.
   *
   * @param node  the node to run (not START or END; checked when the Send is routed)
   * @param input what the node receives as its state; use {@code Map.of()} for nothing ({@code null} is sent as
   *              a null argument, see {@link #Send(String, Object)})
   */
  public Send(String node, Map<String, ?> input) {
    this(node, input, null);
  }

  /**
   * A Send of {@code input} to {@code node} whose push task runs under {@code timeout} instead of the node's own
   * policy ({@code null}: the node's).
   */
  public Send(String node, Map<String, ?> input, TimeoutPolicy timeout) {
    this.node = Objects.requireNonNull(node, "node");
    this.timeout = timeout;
    if (input == null) {
      input = wrap(null);     // LangGraph's Send("node", None): the node's arg() is null
    }
    this.input = Values.isFrozen(input) ? frozenAsIs(input) : Collections.unmodifiableMap(new LinkedHashMap<>(input));
  }

  /**
   * A Send of {@code arg} to {@code node}, whatever its type (LangGraph's {@code Send(node, arg)}): a map is the
   * node's state as with {@link #Send(String, Map)}; any other value, {@code null} included, is what the node's
   * {@link io.graphloop.state.State#arg()} returns.
   */
  @SuppressWarnings("unchecked")
  public Send(String node, Object arg) {
    this(node, arg instanceof Map<?, ?> map ? (Map<String, ?>) map : wrap(arg), null);
  }

  /** {@link #Send(String, Object)} with a timeout policy of its own ({@code null}: the node's). */
  @SuppressWarnings("unchecked")
  public Send(String node, Object arg, TimeoutPolicy timeout) {
    this(node, arg instanceof Map<?, ?> map ? (Map<String, ?>) map : wrap(arg), timeout);
  }

  /** The Send's own timeout policy, or {@code null} when its task takes the target node's. */
  public TimeoutPolicy timeout() {
    return timeout;
  }

  private static Map<String, ?> wrap(Object arg) {
    Map<String, Object> input = new LinkedHashMap<>(2);
    input.put(ARG, arg);
    return input;
  }

  /** The Send's argument: a non-map argument as it was given (frozen once routed), else the input map. */
  public Object arg() {
    return input.size() == 1 && input.containsKey(ARG) ? input.get(ARG) : input;
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
    return new Send(node, Values.freezeUpdate(input, "the input of the Send to '" + node + "' from " + where), timeout);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Send && node.equals(((Send) o).node) && input.equals(((Send) o).input)
        && Objects.equals(timeout, ((Send) o).timeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(node, input, timeout);
  }

  @Override
  public String toString() {
    return "Send(" + node + ", " + arg() + (timeout == null ? "" : ", " + timeout) + ")";
  }

  /**
   * The Send as a JSON-compatible map, the form it travels and is checkpointed in: {@code node}, {@code input} and,
   * when it has one, {@code timeout} ({@link TimeoutPolicy#toJson()}'s map).
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>(4);
    map.put("node", node);
    map.put("input", input);
    if (timeout != null) {
      map.put("timeout", timeout.toJson().getMap());
    }
    return map;
  }

  /**
   * The timeout policy saved beside a Send or a push task ({@code "timeout"} of {@code map}), or {@code null}.
   *
   * @throws IllegalArgumentException when it is there but not a valid policy, naming {@code where}
   */
  @SuppressWarnings("unchecked")
  public static TimeoutPolicy timeoutOf(Map<String, ?> map, String where) {
    Object value = map.get("timeout");
    if (value == null) {
      return null;
    }
    if (value instanceof io.vertx.core.json.JsonObject) {
      return TimeoutPolicy.fromJson((io.vertx.core.json.JsonObject) value, where);
    }
    if (value instanceof Map) {
      return TimeoutPolicy.fromJson(new io.vertx.core.json.JsonObject((Map<String, Object>) value), where);
    }
    throw new IllegalArgumentException("The timeout of " + where + " must be an object {\"runTimeoutMs\": n, "
        + "\"idleTimeoutMs\": n, \"refreshOn\": \"auto\"|\"heartbeat\"}, was " + value);
  }
}
