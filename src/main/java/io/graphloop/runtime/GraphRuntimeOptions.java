package io.graphloop.runtime;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of one graph deployment, as a data object (from code, from {@code conf/graphloop.json}, from
 * the wire). Every limit is bounded; the defaults are safe for a small machine.
 *
 * <ul>
 *   <li>{@code coordinatorInstances}: coordinator verticles (each owns its runs); 0 means one per event loop.</li>
 *   <li>{@code nodeInstances}: verticles per node; 0 means one per event loop. Per-node overrides with
 *       {@link #setNodeInstances(String, int)}.</li>
 *   <li>{@code nodeTimeoutMs}: how long a coordinator waits for a node's reply unless the node says otherwise.</li>
 *   <li>{@code maxInFlightRuns}: runs one coordinator drives at once; over it a run is rejected at once as
 *       overloaded.</li>
 *   <li>{@code recursionLimit}: supersteps a run may execute unless the run says otherwise (LangGraph 1.x's
 *       default, 10007).</li>
 * </ul>
 *
 * <p>Mutable while being built; not thread-safe. The runtime copies it at deployment.
 */
public final class GraphRuntimeOptions {

  public static final int DEFAULT_COORDINATOR_INSTANCES = 0;
  public static final int DEFAULT_NODE_INSTANCES = 0;
  public static final long DEFAULT_NODE_TIMEOUT_MS = 120_000;
  public static final int DEFAULT_MAX_IN_FLIGHT_RUNS = 10_000;
  public static final int DEFAULT_RECURSION_LIMIT = 10_007;

  private int coordinatorInstances = DEFAULT_COORDINATOR_INSTANCES;
  private int nodeInstances = DEFAULT_NODE_INSTANCES;
  private final Map<String, Integer> instancesPerNode = new LinkedHashMap<>();
  private long nodeTimeoutMs = DEFAULT_NODE_TIMEOUT_MS;
  private int maxInFlightRuns = DEFAULT_MAX_IN_FLIGHT_RUNS;
  private int recursionLimit = DEFAULT_RECURSION_LIMIT;

  public GraphRuntimeOptions() {
  }

  public GraphRuntimeOptions(GraphRuntimeOptions other) {
    this.coordinatorInstances = other.coordinatorInstances;
    this.nodeInstances = other.nodeInstances;
    this.instancesPerNode.putAll(other.instancesPerNode);
    this.nodeTimeoutMs = other.nodeTimeoutMs;
    this.maxInFlightRuns = other.maxInFlightRuns;
    this.recursionLimit = other.recursionLimit;
  }

  /**
   * Reads options from JSON; absent fields keep their defaults.
   *
   * @throws IllegalArgumentException naming the field whose value is out of range
   */
  public GraphRuntimeOptions(JsonObject json) {
    setCoordinatorInstances(json.getInteger("coordinatorInstances", DEFAULT_COORDINATOR_INSTANCES));
    setNodeInstances(json.getInteger("nodeInstances", DEFAULT_NODE_INSTANCES));
    JsonObject perNode = json.getJsonObject("instancesPerNode", new JsonObject());
    for (String node : perNode.fieldNames()) {
      setNodeInstances(node, perNode.getInteger(node));
    }
    setNodeTimeoutMs(json.getLong("nodeTimeoutMs", DEFAULT_NODE_TIMEOUT_MS));
    setMaxInFlightRuns(json.getInteger("maxInFlightRuns", DEFAULT_MAX_IN_FLIGHT_RUNS));
    setRecursionLimit(json.getInteger("recursionLimit", DEFAULT_RECURSION_LIMIT));
  }

  public JsonObject toJson() {
    JsonObject perNode = new JsonObject();
    instancesPerNode.forEach(perNode::put);
    return new JsonObject().put("coordinatorInstances", coordinatorInstances).put("nodeInstances", nodeInstances)
        .put("instancesPerNode", perNode).put("nodeTimeoutMs", nodeTimeoutMs).put("maxInFlightRuns", maxInFlightRuns)
        .put("recursionLimit", recursionLimit);
  }

  public int getCoordinatorInstances() {
    return coordinatorInstances;
  }

  /** Coordinator verticles to deploy; 0 for one per event loop. */
  public GraphRuntimeOptions setCoordinatorInstances(int coordinatorInstances) {
    this.coordinatorInstances = atLeast("coordinatorInstances", coordinatorInstances, 0);
    return this;
  }

  public int getNodeInstances() {
    return nodeInstances;
  }

  /** Verticles per node; 0 for one per event loop. */
  public GraphRuntimeOptions setNodeInstances(int nodeInstances) {
    this.nodeInstances = atLeast("nodeInstances", nodeInstances, 0);
    return this;
  }

  /** Verticles for node {@code node}, overriding {@link #setNodeInstances(int)}; at least 1. */
  public GraphRuntimeOptions setNodeInstances(String node, int instances) {
    instancesPerNode.put(node, atLeast("instancesPerNode." + node, instances, 1));
    return this;
  }

  /** The verticles to deploy for {@code node}; 0 means one per event loop. */
  public int nodeInstances(String node) {
    return instancesPerNode.getOrDefault(node, nodeInstances);
  }

  public long getNodeTimeoutMs() {
    return nodeTimeoutMs;
  }

  /** Default reply timeout of node executions, in ms; at least 1. */
  public GraphRuntimeOptions setNodeTimeoutMs(long nodeTimeoutMs) {
    if (nodeTimeoutMs < 1) {
      throw new IllegalArgumentException("nodeTimeoutMs must be greater than or equal to 1, was " + nodeTimeoutMs);
    }
    this.nodeTimeoutMs = nodeTimeoutMs;
    return this;
  }

  public int getMaxInFlightRuns() {
    return maxInFlightRuns;
  }

  /** Runs one coordinator drives at once; at least 1. */
  public GraphRuntimeOptions setMaxInFlightRuns(int maxInFlightRuns) {
    this.maxInFlightRuns = atLeast("maxInFlightRuns", maxInFlightRuns, 1);
    return this;
  }

  public int getRecursionLimit() {
    return recursionLimit;
  }

  /** Default supersteps per run; at least 1. */
  public GraphRuntimeOptions setRecursionLimit(int recursionLimit) {
    this.recursionLimit = atLeast("recursionLimit", recursionLimit, 1);
    return this;
  }

  private static int atLeast(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be greater than or equal to " + min + ", was " + value);
    }
    return value;
  }
}
