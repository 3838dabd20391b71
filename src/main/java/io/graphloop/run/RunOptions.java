package io.graphloop.run;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

/**
 * Options of one run, as a data object (code, {@code conf/} JSON and the wire alike).
 *
 * <ul>
 *   <li>{@code runId}: the run's id; {@code null} to let the coordinator make a UUID.</li>
 *   <li>{@code recursionLimit}: how many supersteps the run may execute; 0 for the deployment's default
 *       (LangGraph 1.x's 10007 unless configured).</li>
 *   <li>{@code timeoutMs}: the run's deadline, counted by its coordinator from when it accepts the run; past it
 *       the run fails with {@code RunTimeoutException} (its nodes in flight are abandoned). The caller waits the
 *       same time plus a grace period. 0 for the client's default (or, for raw JSON requests, the deployment's
 *       {@code runTimeoutMs}).</li>
 *   <li>{@code maxConcurrency}: at most this many node executions of the run at once (LangGraph's
 *       {@code max_concurrency}); a wider step runs as a sliding window. 0 for no limit.</li>
 *   <li>{@code config}: the run's configuration, handed to every node as {@code NodeContext.config()}
 *       (LangGraph's {@code configurable}); JSON-compatible.</li>
 *   <li>{@code threadId}: run on this thread: start from its latest state and add to its history (needs a
 *       checkpointer); {@code null} for a run without memory.</li>
 *   <li>{@code checkpointId}: start from this checkpoint of the thread instead of its latest (time travel). With an
 *       input, the input is applied to its state; without one, its tasks all run again (a replay) from a
 *       {@code fork} copy of it; either way the new checkpoints are a new branch of the history, and the
 *       thread's latest.</li>
 *   <li>{@code checkpointNs}: with {@code checkpointId}, the checkpoint is a subgraph's own, in this checkpoint
 *       namespace ({@code metadata.checkpointNs} of a child state of {@code getState(thread, null, true)}, e.g.
 *       {@code "research"} or {@code "research:<uuid>"}; LangGraph's {@code checkpoint_ns}): the parent is replayed
 *       (or, with {@code Command.resume}, resumed) from its checkpoint where that subgraph ran, and the subgraph
 *       from this one. {@code null} or empty: the thread's own checkpoint.</li>
 *   <li>{@code durability}: when checkpoints are written, a {@link Durability}: {@code sync}, {@code async} (the
 *       default) or {@code exit} on the wire.</li>
 *   <li>{@code multitaskStrategy}: when the thread already has a run, a {@link MultitaskStrategy}: {@code reject}
 *       (the default; fails with THREAD_BUSY) or {@code enqueue} (waits for it, within the run's deadline).</li>
 *   <li>{@code interruptBefore}/{@code interruptAfter}: node names at which the run stops as interrupted before /
 *       after they run (besides those compiled into the graph).</li>
 *   <li>{@code streamSubgraphs}: a streamed run also streams its subgraphs' events, each with its namespace
 *       ({@code StreamEvent.ns()}), as LangGraph's {@code stream(..., subgraphs=True)}; without it (the default), as
 *       in LangGraph, only the graph's own events are streamed. No effect on a run that is not streamed.</li>
 *   <li>{@code traceParent}: the W3C {@code traceparent} of the span the run's trace span opens under (a subgraph
 *       node passes its own); by default the context current where the run is received.</li>
 * </ul>
 *
 * <p>Mutable while being built; not thread-safe. The client copies it when a run is sent.
 */
public final class RunOptions {

  public static final String DEFAULT_RUN_ID = null;
  public static final int DEFAULT_RECURSION_LIMIT = 0;
  public static final long DEFAULT_TIMEOUT_MS = 0;
  public static final int DEFAULT_MAX_CONCURRENCY = 0;
  public static final Durability DEFAULT_DURABILITY = Durability.ASYNC;
  public static final MultitaskStrategy DEFAULT_MULTITASK_STRATEGY = MultitaskStrategy.REJECT;

  private static final JsonObject NO_CONFIG = new JsonObject();

  private String runId = DEFAULT_RUN_ID;
  private int recursionLimit = DEFAULT_RECURSION_LIMIT;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private int maxConcurrency = DEFAULT_MAX_CONCURRENCY;
  /** Never handed out nor changed in place (read as copies, replaced by setConfig), so copies of options share it. */
  private JsonObject config = NO_CONFIG;
  private String threadId;
  private String checkpointId;
  private String checkpointNs;
  private Durability durability = DEFAULT_DURABILITY;
  private MultitaskStrategy multitaskStrategy = DEFAULT_MULTITASK_STRATEGY;
  private java.util.List<String> interruptBefore = java.util.List.of();
  private java.util.List<String> interruptAfter = java.util.List.of();
  private String controlToken;
  private boolean streamSubgraphs;
  private String traceParent;

  /** The shortest capability token accepted: 22 characters hold 128 bits in base64. */
  public static final int MIN_CONTROL_TOKEN_LENGTH = 22;

  public RunOptions() {
  }

  public RunOptions(RunOptions other) {
    this.runId = other.runId;
    this.recursionLimit = other.recursionLimit;
    this.timeoutMs = other.timeoutMs;
    this.maxConcurrency = other.maxConcurrency;
    this.config = other.config;
    this.threadId = other.threadId;
    this.checkpointId = other.checkpointId;
    this.checkpointNs = other.checkpointNs;
    this.durability = other.durability;
    this.multitaskStrategy = other.multitaskStrategy;
    this.interruptBefore = other.interruptBefore;
    this.interruptAfter = other.interruptAfter;
    this.controlToken = other.controlToken;
    this.streamSubgraphs = other.streamSubgraphs;
    this.traceParent = other.traceParent;
  }

  /**
   * Reads options from JSON.
   *
   * @throws IllegalArgumentException naming the field when a value has the wrong type or range
   */
  public RunOptions(JsonObject json) {
    setRunId(JsonFields.optionalString(json, "runId", "options"));
    setRecursionLimit(JsonFields.optionalInt(json, "recursionLimit", DEFAULT_RECURSION_LIMIT, "options"));
    setTimeoutMs(JsonFields.optionalLong(json, "timeoutMs", DEFAULT_TIMEOUT_MS, "options"));
    setMaxConcurrency(JsonFields.optionalInt(json, "maxConcurrency", DEFAULT_MAX_CONCURRENCY, "options"));
    JsonObject configJson = JsonFields.optionalObject(json, "config", "options");
    this.config = configJson == null ? NO_CONFIG : checkedConfig(configJson.copy());
    setThreadId(JsonFields.optionalString(json, "threadId", "options"));
    setCheckpointId(JsonFields.optionalString(json, "checkpointId", "options"));
    setCheckpointNs(JsonFields.optionalString(json, "checkpointNs", "options"));
    setDurability(json.containsKey("durability")
        ? Durability.of(JsonFields.requiredString(json, "durability", "options")) : DEFAULT_DURABILITY);
    setMultitaskStrategy(json.containsKey("multitaskStrategy")
        ? MultitaskStrategy.of(JsonFields.requiredString(json, "multitaskStrategy", "options"))
        : DEFAULT_MULTITASK_STRATEGY);
    setInterruptBefore(names(json, "interruptBefore"));
    setInterruptAfter(names(json, "interruptAfter"));
    setControlToken(JsonFields.optionalString(json, "controlToken", "options"));
    Object subgraphs = json.getValue("streamSubgraphs");
    if (subgraphs != null && !(subgraphs instanceof Boolean)) {
      throw new IllegalArgumentException("Field 'streamSubgraphs' of options must be true or false, was " + subgraphs
          + ".");
    }
    setStreamSubgraphs(Boolean.TRUE.equals(subgraphs));
    setTraceParent(JsonFields.optionalString(json, "traceParent", "options"));
    for (String field : json.fieldNames()) {
      if (!KNOWN_FIELDS.contains(field)) {
        throw new IllegalArgumentException("Field '" + field + "' of options is unknown; run options are "
            + KNOWN_FIELDS + ".");
      }
    }
  }

  private static final java.util.List<String> KNOWN_FIELDS = java.util.List.of("runId", "recursionLimit", "timeoutMs",
      "maxConcurrency", "config", "threadId", "checkpointId", "checkpointNs", "durability", "multitaskStrategy", "interruptBefore",
      "interruptAfter", "controlToken", "streamSubgraphs", "traceParent");

  private static java.util.List<String> names(JsonObject json, String field) {
    io.vertx.core.json.JsonArray array = JsonFields.optionalArray(json, field, "options");
    if (array == null) {
      return java.util.List.of();
    }
    java.util.List<String> names = new java.util.ArrayList<>();
    for (Object name : array) {
      if (!(name instanceof String)) {
        throw new IllegalArgumentException("Field '" + field + "' of options must list node names, but holds " + name
            + ".");
      }
      names.add((String) name);
    }
    return names;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    if (runId != null) {
      json.put("runId", runId);
    }
    json.put("recursionLimit", recursionLimit).put("timeoutMs", timeoutMs)
        .put("maxConcurrency", maxConcurrency).put("config", config.copy());
    if (threadId != null) {
      json.put("threadId", threadId);
    }
    if (checkpointId != null) {
      json.put("checkpointId", checkpointId);
    }
    if (checkpointNs != null) {
      json.put("checkpointNs", checkpointNs);
    }
    json.put("durability", durability.wireName()).put("multitaskStrategy", multitaskStrategy.wireName());
    if (!interruptBefore.isEmpty()) {
      json.put("interruptBefore", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(interruptBefore)));
    }
    if (!interruptAfter.isEmpty()) {
      json.put("interruptAfter", new io.vertx.core.json.JsonArray(new java.util.ArrayList<>(interruptAfter)));
    }
    if (controlToken != null) {
      json.put("controlToken", controlToken);
    }
    if (streamSubgraphs) {
      json.put("streamSubgraphs", true);
    }
    if (traceParent != null) {
      json.put("traceParent", traceParent);
    }
    return json;
  }

  /** The W3C {@code traceparent} the run's trace span opens under, or {@code null}. */
  public String getTraceParent() {
    return traceParent;
  }

  /**
   * The span the run's trace span opens under, as a W3C trace context {@code traceparent}
   * ({@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}); {@code null} (the default): the context current
   * where the coordinator receives the run. A subgraph node passes its own span, so the child run is traced under
   * it. Ignored when tracing is not installed.
   *
   * @throws IllegalArgumentException when it is not a W3C traceparent
   */
  public RunOptions setTraceParent(String traceParent) {
    if (traceParent != null && !TRACE_PARENT.matcher(traceParent).matches()) {
      throw new IllegalArgumentException("traceParent must be a W3C traceparent, 00-<32 lower-case hex>-<16 lower-case "
          + "hex>-<2 hex> (e.g. 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01), was '" + traceParent + "'");
    }
    this.traceParent = traceParent;
    return this;
  }

  private static final java.util.regex.Pattern TRACE_PARENT = java.util.regex.Pattern.compile(
      "[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

  /** Whether a streamed run also streams its subgraphs' events (LangGraph's {@code subgraphs=True}). */
  public boolean isStreamSubgraphs() {
    return streamSubgraphs;
  }

  /**
   * Whether a streamed run also streams its subgraphs' events, each under its namespace (LangGraph's
   * {@code stream(..., subgraphs=True)}); false by default, as in LangGraph.
   */
  public RunOptions setStreamSubgraphs(boolean streamSubgraphs) {
    this.streamSubgraphs = streamSubgraphs;
    return this;
  }

  public String getControlToken() {
    return controlToken;
  }

  /**
   * The run's capability token: whoever presents it with the run id may cancel the run and grant its stream
   * credits, and nobody else. A secret of at least {@value #MIN_CONTROL_TOKEN_LENGTH} characters that the submitter
   * chose at random (e.g. {@code SecureIds.token()}); {@code null} lets the coordinator make one (a streamed run's
   * acknowledgement hands it to the submitter; {@code GraphClient} always sets one and remembers it for
   * {@code cancel(runId)} while the run is in flight). Never sent to nodes, never in events or checkpoints.
   */
  public RunOptions setControlToken(String controlToken) {
    if (controlToken != null && (controlToken.length() < MIN_CONTROL_TOKEN_LENGTH || controlToken.length() > 512)) {
      throw new IllegalArgumentException("controlToken must be a random secret of " + MIN_CONTROL_TOKEN_LENGTH
          + " to 512 characters (e.g. 32 random hex digits), was " + controlToken.length() + " characters long");
    }
    this.controlToken = controlToken;
    return this;
  }

  public String getThreadId() {
    return threadId;
  }

  /** Runs on this thread (needs a checkpointer); {@code null} for a run without memory. */
  public RunOptions setThreadId(String threadId) {
    if (threadId != null && threadId.isBlank()) {
      throw new IllegalArgumentException("threadId must not be blank (use null for a run without a thread)");
    }
    io.graphloop.state.Values.requireValidText(threadId, "threadId");
    this.threadId = threadId;
    return this;
  }

  public String getCheckpointId() {
    return checkpointId;
  }

  public String getCheckpointNs() {
    return checkpointNs;
  }

  /**
   * The checkpoint namespace {@link #setCheckpointId checkpointId} is in: a subgraph's (LangGraph's
   * {@code checkpoint_ns}); {@code null} or empty for the thread's own checkpoints.
   */
  public RunOptions setCheckpointNs(String checkpointNs) {
    this.checkpointNs = checkpointNs == null || checkpointNs.isEmpty() ? null : checkpointNs;
    return this;
  }

  /** Starts from this checkpoint of the thread instead of its latest (time travel); needs a thread id. */
  public RunOptions setCheckpointId(String checkpointId) {
    if (checkpointId != null && checkpointId.isBlank()) {
      throw new IllegalArgumentException("checkpointId must not be blank (use null for the thread's latest)");
    }
    this.checkpointId = checkpointId;
    return this;
  }

  public Durability getDurability() {
    return durability;
  }

  /** When checkpoints are written (wire names {@code sync}, {@code async}, {@code exit}); not null. */
  public RunOptions setDurability(Durability durability) {
    if (durability == null) {
      throw new IllegalArgumentException("durability must not be null; it is one of sync, async, exit"
          + " (Durability; the default is " + DEFAULT_DURABILITY + ")");
    }
    this.durability = durability;
    return this;
  }

  public MultitaskStrategy getMultitaskStrategy() {
    return multitaskStrategy;
  }

  /** What to do when the thread already has a run (wire names {@code reject}, {@code enqueue}); not null. */
  public RunOptions setMultitaskStrategy(MultitaskStrategy multitaskStrategy) {
    if (multitaskStrategy == null) {
      throw new IllegalArgumentException("multitaskStrategy must not be null; it is one of reject, enqueue"
          + " (MultitaskStrategy; the default is " + DEFAULT_MULTITASK_STRATEGY + ")");
    }
    this.multitaskStrategy = multitaskStrategy;
    return this;
  }

  public java.util.List<String> getInterruptBefore() {
    return interruptBefore;
  }

  /** Nodes before which the run stops as interrupted ({@code "*"}: every node). */
  public RunOptions setInterruptBefore(java.util.List<String> nodes) {
    this.interruptBefore = java.util.List.copyOf(nodes);
    return this;
  }

  public java.util.List<String> getInterruptAfter() {
    return interruptAfter;
  }

  /** Nodes after which the run stops as interrupted ({@code "*"}: every node). */
  public RunOptions setInterruptAfter(java.util.List<String> nodes) {
    this.interruptAfter = java.util.List.copyOf(nodes);
    return this;
  }

  public String getRunId() {
    return runId;
  }

  /** The run's id; {@code null} to let the coordinator choose a UUID. */
  public RunOptions setRunId(String runId) {
    if (runId != null && runId.isBlank()) {
      throw new IllegalArgumentException("runId must not be blank (use null to get a generated id)");
    }
    this.runId = runId;
    return this;
  }

  public int getRecursionLimit() {
    return recursionLimit;
  }

  /** Supersteps the run may execute; 0 for the deployment's default; otherwise at least 1. */
  public RunOptions setRecursionLimit(int recursionLimit) {
    if (recursionLimit < 0) {
      throw new IllegalArgumentException("recursionLimit must be greater than or equal to 1 (or 0 for the default), was "
          + recursionLimit);
    }
    this.recursionLimit = recursionLimit;
    return this;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  /** The run's deadline in ms (see the class comment); 0 for the default. */
  public RunOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be greater than or equal to 0 (0 = client default), was "
          + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
    return this;
  }

  public int getMaxConcurrency() {
    return maxConcurrency;
  }

  /** Node executions of this run at once; 0 for no limit; at least 0. */
  public RunOptions setMaxConcurrency(int maxConcurrency) {
    if (maxConcurrency < 0) {
      throw new IllegalArgumentException("maxConcurrency must be greater than or equal to 0 (0 = no limit), was "
          + maxConcurrency);
    }
    this.maxConcurrency = maxConcurrency;
    return this;
  }

  /** A copy of the run's configuration. */
  public JsonObject getConfig() {
    return config.copy();
  }

  /** Whether the run has a configuration (a non-empty one); spares {@link #getConfig()}'s copy when it has none. */
  public boolean hasConfig() {
    return !config.isEmpty();
  }

  /** The run's configuration, given to every node as {@code NodeContext.config()}. */
  public RunOptions setConfig(JsonObject config) {
    this.config = checkedConfig(java.util.Objects.requireNonNull(config, "config").copy());
    return this;
  }

  /** The config, once its values are known to be JSON-compatible and not nested too deep (else the run fails late). */
  private static JsonObject checkedConfig(JsonObject config) {
    io.graphloop.state.Values.freezeUpdate(config.getMap(), "the run's config (options.config)");
    return config;
  }
}
