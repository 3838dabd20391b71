package io.graphloop.graph;

import io.vertx.core.json.JsonArray;
import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Options of one node, as a data object: from code, from {@code conf/} JSON and back.
 *
 * <ul>
 *   <li>{@code timeoutMs}: how long the coordinator waits for the node's reply; 0 means the
 *       deployment's default ({@code GraphRuntimeOptions.nodeTimeoutMs}). LangGraph's run timeout.</li>
 *   <li>{@code idleTimeoutMs}/{@code timeoutRefreshOn}: the longest an attempt may go without progress (0, the
 *       default: no idle timeout) and which signals count as progress (see {@link TimeoutPolicy});
 *       {@link #setTimeout(TimeoutPolicy)} sets both limits at once.</li>
 *   <li>{@code workerPool}/{@code workerPoolSize}: for blocking nodes, a named worker pool of that size
 *       (shared by every node naming it); without a name, Vert.x's default worker pool.</li>
 *   <li>{@code retry}: the {@link RetryPolicy}; by default the graph's default ({@link NodeDefaults#setRetry}), else
 *       none (one attempt). Set explicitly (even to {@link RetryPolicy#none()}), it wins over the graph's default.</li>
 *   <li>{@code maxConcurrency}/{@code maxQueued}: a bulkhead across all runs of the node in one deployment:
 *       at most {@code maxConcurrency} executions at once (0 = no limit), further ones wait in a queue of at
 *       most {@code maxQueued}; beyond it an execution fails at once with a {@code LimitReachedException}.</li>
 *   <li>{@code destinations}: where a node that routes by returning a {@link Command} may go (node names,
 *       or END), like LangGraph's {@code add_node(..., destinations=(...))}. The validator counts them as
 *       the node's edges (reachability, a way out to END); at run time they are not enforced. None by default.</li>
 *   <li>{@code cachePolicy}: caching of the node's writes ({@link CachePolicy}); by default the graph's default
 *       ({@link NodeDefaults#setCachePolicy}), else none.</li>
 *   <li>{@code inputKeys}: the channels the node reads (LangGraph's per-node input schema); empty (the default) for
 *       the whole state.</li>
 * </ul>
 *
 * <p>Mutable while being built, like Vert.x options; the graph copies it at compile time.
 */
public final class NodeOptions {

  public static final long DEFAULT_TIMEOUT_MS = 0;
  public static final String DEFAULT_WORKER_POOL = null;
  public static final int DEFAULT_WORKER_POOL_SIZE = 8;
  public static final List<String> DEFAULT_DESTINATIONS = List.of();
  public static final int DEFAULT_MAX_CONCURRENCY = 0;
  public static final int DEFAULT_MAX_QUEUED = 1_000;
  public static final List<String> DEFAULT_INPUT_KEYS = List.of();

  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private long idleTimeoutMs;
  private TimeoutPolicy.RefreshOn timeoutRefreshOn = TimeoutPolicy.RefreshOn.AUTO;
  private String workerPool = DEFAULT_WORKER_POOL;
  private int workerPoolSize = DEFAULT_WORKER_POOL_SIZE;
  private RetryPolicy retry = RetryPolicy.none();
  /** Whether {@code retry} was set (in code or JSON): a graph's default retry policy then does not apply. */
  private boolean retrySet;
  private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
  private int maxQueued = DEFAULT_MAX_QUEUED;
  private List<String> destinations = DEFAULT_DESTINATIONS;
  private boolean defer;
  private CachePolicy cachePolicy;
  private List<String> inputKeys = DEFAULT_INPUT_KEYS;

  public NodeOptions() {
  }

  public NodeOptions(NodeOptions other) {
    this.timeoutMs = other.timeoutMs;
    this.idleTimeoutMs = other.idleTimeoutMs;
    this.timeoutRefreshOn = other.timeoutRefreshOn;
    this.workerPool = other.workerPool;
    this.workerPoolSize = other.workerPoolSize;
    this.retry = other.retry;
    this.retrySet = other.retrySet;
    this.maxConcurrency = other.maxConcurrency;
    this.maxQueued = other.maxQueued;
    this.destinations = other.destinations;
    this.defer = other.defer;
    this.cachePolicy = other.cachePolicy;
    this.inputKeys = other.inputKeys;
  }

  public NodeOptions(JsonObject json) {
    this.timeoutMs = JsonFields.optionalLong(json, "timeoutMs", DEFAULT_TIMEOUT_MS, "node options");
    this.idleTimeoutMs = JsonFields.optionalLong(json, "idleTimeoutMs", 0, "node options");
    String refreshOn = JsonFields.optionalString(json, "timeoutRefreshOn", "node options");
    this.timeoutRefreshOn = refreshOn == null ? TimeoutPolicy.RefreshOn.AUTO
        : TimeoutPolicy.RefreshOn.of(refreshOn, "node options (field timeoutRefreshOn)");
    this.workerPool = JsonFields.optionalString(json, "workerPool", "node options");
    this.workerPoolSize = JsonFields.optionalInt(json, "workerPoolSize", DEFAULT_WORKER_POOL_SIZE, "node options");
    JsonObject retryJson = JsonFields.optionalObject(json, "retry", "node options");
    this.retry = retryJson == null ? RetryPolicy.none() : RetryPolicy.fromJson(retryJson);
    this.retrySet = retryJson != null;
    this.maxConcurrency = JsonFields.optionalInt(json, "maxConcurrency", DEFAULT_MAX_CONCURRENCY, "node options");
    this.maxQueued = JsonFields.optionalInt(json, "maxQueued", DEFAULT_MAX_QUEUED, "node options");
    this.destinations = destinationsOf(json);
    Object deferValue = json.getValue("defer");
    if (deferValue != null && !(deferValue instanceof Boolean)) {
      throw new IllegalArgumentException("defer in node options must be true or false, was " + deferValue);
    }
    this.defer = Boolean.TRUE.equals(deferValue);
    JsonObject cacheJson = JsonFields.optionalObject(json, "cachePolicy", "node options");
    this.cachePolicy = cacheJson == null ? null : CachePolicy.fromJson(cacheJson);
    this.inputKeys = namesOf(json, "inputKeys", "channel names", DEFAULT_INPUT_KEYS);
    validate();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("timeoutMs", timeoutMs).put("workerPoolSize", workerPoolSize)
        .put("retry", retry.toJson()).put("maxConcurrency", maxConcurrency).put("maxQueued", maxQueued);
    if (idleTimeoutMs > 0) {
      json.put("idleTimeoutMs", idleTimeoutMs);
    }
    if (timeoutRefreshOn != TimeoutPolicy.RefreshOn.AUTO) {
      json.put("timeoutRefreshOn", timeoutRefreshOn.wireName());
    }
    if (workerPool != null) {
      json.put("workerPool", workerPool);
    }
    if (!destinations.isEmpty()) {
      json.put("destinations", new JsonArray(new ArrayList<>(destinations)));
    }
    if (defer) {
      json.put("defer", true);
    }
    if (cachePolicy != null) {
      json.put("cachePolicy", cachePolicy.toJson());
    }
    if (!inputKeys.isEmpty()) {
      json.put("inputKeys", new JsonArray(new ArrayList<>(inputKeys)));
    }
    return json;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  /** The reply timeout in ms; 0 for the deployment's default. Must be 0 or more. */
  public NodeOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be greater than or equal to 0 (0 = deployment default), was "
          + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
    return this;
  }

  public long getIdleTimeoutMs() {
    return idleTimeoutMs;
  }

  /**
   * The idle timeout in ms (LangGraph's {@code idle_timeout}): an attempt that goes this long without progress fails
   * with a {@code NodeTimeoutException} of kind {@code IDLE}; 0 (the default) for none. Must be 0 or more.
   */
  public NodeOptions setIdleTimeoutMs(long idleTimeoutMs) {
    if (idleTimeoutMs < 0) {
      throw new IllegalArgumentException("idleTimeoutMs must be greater than or equal to 0 (0 = no idle timeout), was "
          + idleTimeoutMs);
    }
    this.idleTimeoutMs = idleTimeoutMs;
    return this;
  }

  public TimeoutPolicy.RefreshOn getTimeoutRefreshOn() {
    return timeoutRefreshOn;
  }

  /** Which signals refresh the idle timeout: {@code AUTO} (the default) or only heartbeats. */
  public NodeOptions setTimeoutRefreshOn(TimeoutPolicy.RefreshOn timeoutRefreshOn) {
    this.timeoutRefreshOn = Objects.requireNonNull(timeoutRefreshOn, "timeoutRefreshOn");
    return this;
  }

  /**
   * Sets the run timeout ({@code timeoutMs}), the idle timeout and what refreshes it from {@code policy} (LangGraph's
   * {@code add_node(..., timeout=TimeoutPolicy(...))}); {@code null} clears them (the deployment's default applies).
   */
  public NodeOptions setTimeout(TimeoutPolicy policy) {
    if (policy == null) {
      return setTimeoutMs(0).setIdleTimeoutMs(0).setTimeoutRefreshOn(TimeoutPolicy.RefreshOn.AUTO);
    }
    return setTimeoutMs(policy.runTimeoutMs()).setIdleTimeoutMs(policy.idleTimeoutMs())
        .setTimeoutRefreshOn(policy.refreshOn());
  }

  /** The node's own limits as a policy, or {@code null} when it sets neither (the deployment's default applies). */
  public TimeoutPolicy getTimeout() {
    return timeoutMs == 0 && idleTimeoutMs == 0 ? null : TimeoutPolicy.of(timeoutMs, idleTimeoutMs, timeoutRefreshOn);
  }

  public String getWorkerPool() {
    return workerPool;
  }

  /** The name of the worker pool that runs this (blocking) node; {@code null} for Vert.x's default pool. */
  public NodeOptions setWorkerPool(String workerPool) {
    this.workerPool = workerPool;
    return this;
  }

  public int getWorkerPoolSize() {
    return workerPoolSize;
  }

  /** The size of the named worker pool; must be 1 or more. */
  public NodeOptions setWorkerPoolSize(int workerPoolSize) {
    if (workerPoolSize < 1) {
      throw new IllegalArgumentException("workerPoolSize must be greater than or equal to 1, was " + workerPoolSize);
    }
    this.workerPoolSize = workerPoolSize;
    return this;
  }

  public RetryPolicy getRetry() {
    return retry;
  }

  /**
   * The node's retry policy; {@link RetryPolicy#none()} for one attempt. Set, it wins over the graph's default
   * ({@link NodeDefaults#setRetry}).
   */
  public NodeOptions setRetry(RetryPolicy retry) {
    this.retry = java.util.Objects.requireNonNull(retry, "retry");
    this.retrySet = true;
    return this;
  }

  /** Whether the retry policy was set ({@link #setRetry}, or {@code retry} in JSON). */
  public boolean isRetrySet() {
    return retrySet;
  }

  public int getMaxConcurrency() {
    return maxConcurrency;
  }

  /** Executions at once across all runs of the node in a deployment; 0 for no limit; at least 0. */
  public NodeOptions setMaxConcurrency(int maxConcurrency) {
    if (maxConcurrency < 0) {
      throw new IllegalArgumentException("maxConcurrency must be greater than or equal to 0 (0 = no limit), was "
          + maxConcurrency);
    }
    this.maxConcurrency = maxConcurrency;
    return this;
  }

  public int getMaxQueued() {
    return maxQueued;
  }

  /** Executions that may wait for the concurrency limit; beyond it they fail at once; at least 0. */
  public NodeOptions setMaxQueued(int maxQueued) {
    if (maxQueued < 0) {
      throw new IllegalArgumentException("maxQueued must be greater than or equal to 0, was " + maxQueued);
    }
    this.maxQueued = maxQueued;
    return this;
  }

  public List<String> getDestinations() {
    return destinations;
  }

  /**
   * Where the node may route by returning a {@link Command}: node names, or {@code StateGraph.END}. The
   * validator treats them as the node's edges; declare them for a node that has no other outgoing edge.
   */
  public NodeOptions setDestinations(List<String> destinations) {
    Objects.requireNonNull(destinations, "destinations (use List.of() for none)");
    for (String name : destinations) {
      if (name == null) {
        throw new IllegalArgumentException("destinations must not contain null; use node names or END, was "
            + destinations);
      }
    }
    this.destinations = List.copyOf(destinations);
    return this;
  }

  public boolean isDefer() {
    return defer;
  }

  /**
   * Defers the node as LangGraph's {@code add_node(..., defer=True)}: once an edge, a router, a Command or a waiting
   * join makes it due, it waits until a step is planned in which no other node is due by an edge, router, Command
   * or join (Sends do not count, as in LangGraph), and then runs once. Typical use: a reducer after branches of
   * different lengths. A deferred node still due when a run stops at an interrupt stays due on the thread.
   */
  public NodeOptions setDefer(boolean defer) {
    this.defer = defer;
    return this;
  }

  public CachePolicy getCachePolicy() {
    return cachePolicy;
  }

  /**
   * Caches the node's writes under {@code cachePolicy} (LangGraph's {@code add_node(..., cache_policy=...)}) when
   * the graph is compiled with a cache ({@code StateGraph.compile(NodeCache)}); {@code null} (the default) for
   * none.
   */
  public NodeOptions setCachePolicy(CachePolicy cachePolicy) {
    this.cachePolicy = cachePolicy;
    return this;
  }

  public List<String> getInputKeys() {
    return inputKeys;
  }

  /**
   * The channels the node reads (LangGraph's per-node input schema, e.g. {@code add_node("b", node_b)} with
   * {@code def node_b(state: StateForB)}): the node's state holds only those of them that have a value, so a node
   * sees neither the rest of the graph's state nor keys that were never written. Only for tasks planned by edges,
   * routers, Commands and joins: a {@code Send}'s argument reaches its node whole, as in LangGraph. The empty list
   * (the default) for the whole state. In a {@code strictChannels()} graph each key must be a declared channel
   * (compile says so otherwise); in another graph a key no channel declares is a last-value channel, as any key a
   * node writes.
   */
  public NodeOptions setInputKeys(List<String> inputKeys) {
    Objects.requireNonNull(inputKeys, "inputKeys (use List.of() for the whole state)");
    for (String key : inputKeys) {
      if (key == null || key.isBlank()) {
        throw new IllegalArgumentException("inputKeys must hold channel names, not null or blank ones, was "
            + inputKeys);
      }
    }
    this.inputKeys = List.copyOf(new java.util.LinkedHashSet<>(inputKeys));
    return this;
  }

  private static List<String> namesOf(JsonObject json, String field, String what, List<String> absent) {
    Object value = json.getValue(field);
    if (value == null) {
      return absent;
    }
    if (!(value instanceof JsonArray)) {
      throw new IllegalArgumentException(field + " in node options must be an array of " + what + ", was " + value);
    }
    List<String> names = new ArrayList<>();
    for (Object name : (JsonArray) value) {
      if (!(name instanceof String) || ((String) name).isBlank()) {
        throw new IllegalArgumentException(field + " in node options must be an array of " + what + ", but holds "
            + name);
      }
      names.add((String) name);
    }
    return List.copyOf(new java.util.LinkedHashSet<>(names));
  }

  private static List<String> destinationsOf(JsonObject json) {
    Object value = json.getValue("destinations");
    if (value == null) {
      return DEFAULT_DESTINATIONS;
    }
    if (!(value instanceof JsonArray)) {
      throw new IllegalArgumentException("destinations must be an array of node names (or \"" + StateGraph.END
          + "\"), was " + value);
    }
    List<String> names = new ArrayList<>();
    for (Object name : (JsonArray) value) {
      if (!(name instanceof String)) {
        throw new IllegalArgumentException("destinations must be an array of node names (or \"" + StateGraph.END
            + "\"), but holds " + name);
      }
      names.add((String) name);
    }
    return List.copyOf(names);
  }

  private void validate() {
    setTimeoutMs(timeoutMs);
    setIdleTimeoutMs(idleTimeoutMs);
    setWorkerPoolSize(workerPoolSize);
    setMaxConcurrency(maxConcurrency);
    setMaxQueued(maxQueued);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeOptions && timeoutMs == ((NodeOptions) o).timeoutMs
        && workerPoolSize == ((NodeOptions) o).workerPoolSize && Objects.equals(workerPool, ((NodeOptions) o).workerPool)
        && retry.equals(((NodeOptions) o).retry) && maxConcurrency == ((NodeOptions) o).maxConcurrency
        && maxQueued == ((NodeOptions) o).maxQueued && destinations.equals(((NodeOptions) o).destinations) && defer == ((NodeOptions) o).defer
        && Objects.equals(cachePolicy, ((NodeOptions) o).cachePolicy)
        && inputKeys.equals(((NodeOptions) o).inputKeys);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeoutMs, workerPool, workerPoolSize, retry, maxConcurrency, maxQueued, destinations, defer, cachePolicy,
        inputKeys);
  }
}
