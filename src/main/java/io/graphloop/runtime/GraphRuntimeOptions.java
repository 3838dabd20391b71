package io.graphloop.runtime;

import io.graphloop.cache.NodeCacheOptions;
import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

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
 *   <li>{@code maxRunBacklog}: tasks waiting on a coordinator's event loop (run requests it has not read yet, and
 *       the rest of the loop's work); while more wait, a run it reads is refused at once as overloaded, so a burst
 *       is answered as it arrives instead of after the runs before it were started.</li>
 *   <li>{@code maxEarlyCancels}, {@code earlyCancelTtlMs}: cancels of runs a coordinator does not know yet that it
 *       keeps (at most this many, each this long), so that a run whose cancel overtook it is refused as cancelled
 *       when it arrives.</li>
 *   <li>{@code recursionLimit}: supersteps a run may execute unless the run says otherwise (LangGraph 1.x's
 *       default, 10007).</li>
 *   <li>{@code runTimeoutMs}: the deadline of a run whose request names none (raw JSON requests; the
 *       {@code GraphClient} always names one).</li>
 *   <li>{@code replyGraceMs}: how much longer than a node's timeout the coordinator waits for its reply
 *       before it gives the node up (the node answers with a timeout itself; the grace covers a lost message
 *       or a dead cluster member).</li>
 *   <li>{@code memberRefreshMs}: on a cluster, how old a coordinator's list of the members that host a node may
 *       get before it is read again from the cluster manager (it is also read again after an attempt failed in
 *       transport). A coordinator picks the member of each request from that list, so that a retry after a
 *       transport failure goes to another member than the one that failed; a member that joins gets requests
 *       within about this long.</li>
 *   <li>{@code memberQuarantineMs}: on a cluster, how long every node's requests avoid a member that left one
 *       unanswered until its deadline or refused its connection (a hung or unreachable member the cluster still
 *       lists), unless it answers a request meanwhile; 0 (the default) turns this off. Off by default because a
 *       healthy member that is only slow (a loaded machine, a cold JVM) also misses deadlines, and quarantine then
 *       sends its share of the work elsewhere until a probe is answered; turn it on (e.g. 5000) where members may
 *       hang (long GC pauses, a stopped process) while the cluster still lists them.</li>
 *   <li>{@code blockedNodeThresholdMs}: an async node whose code holds its event loop longer than this is
 *       reported by name (logged and counted in {@code GraphRuntime.metrics()}).</li>
 *   <li>{@code httpClients}: named {@code WebClientOptions} (JSON) for {@code NodeContext.webClient(name)}; the
 *       default client ({@code NodeContext.webClient()}) uses {@code "default"} if present. A client's
 *       {@code "pool"} field holds its connection pool's {@code PoolOptions} (JSON, e.g.
 *       {@code {"http1MaxSize": 1000}}; Vert.x's default keeps 5 connections per host). Each name is one client per
 *       event loop, a node using its own loop's (its responses are read on its loop, not handed over from another),
 *       so the pool bounds each loop's connections; {@code "perEventLoop": false} makes it one client shared by every
 *       loop (one pool: an exact bound on connections to a host).</li>
 *   <li>{@code maxBufferedEvents}: events a streamed run holds for a slow consumer; past half of it the run waits
 *       between steps (custom events beyond it are dropped, oldest first).</li>
 *   <li>{@code maxPendingEmits}: custom events ({@code ctx.emit}) of one node execution on their way to the
 *       coordinator; past it a blocking node's emit waits, an async node's is dropped and counted
 *       ({@code EmitWindow}).</li>
 *   <li>{@code streamIdleTimeoutMs}: a stream whose consumer grants no credits this long is dropped (the run goes
 *       on).</li>
 *   <li>{@code threadTtlMinutes}: thread retention: threads whose newest checkpoint is older than this are deleted
 *       ({@link ThreadRetention}); none by default. {@code retentionSweepIntervalMs} (default 60 s) and
 *       {@code retentionBatchSize} (default 1,000) pace the sweep.</li>
 *   <li>{@code keepLatestCheckpoints}: checkpoint retention: every thread keeps only its newest N checkpoints
 *       ({@link CheckpointRetention}, LangGraph's {@code keep_latest}); all by default. Swept with the same
 *       interval and batch size.</li>
 *   <li>{@code maxRequestBytes}: the largest JSON run request (as a JSON object, string or buffer) a coordinator
 *       accepts; larger ones get a bad-request failure. Java callers' {@code RunRequest}s in the same JVM are not
 *       measured.</li>
 *   <li>{@code checkpointer}: the checkpoint store that keeps threads (see {@link #setCheckpointer}); none by
 *       default.</li>
 *   <li>{@code nodeCache}: {@code {"maxEntries": n}} to give graphs compiled without a cache the checkpoint store's
 *       node cache (see {@link #setNodeCache}); none by default.</li>
 *   <li>{@code coordinator}: whether this deployment runs coordinators (receives and drives runs); a worker member
 *       of a cluster says false.</li>
 *   <li>{@code nodes}: the nodes whose verticles this deployment hosts; {@code null} (the default) for all, an empty
 *       list for none (a coordinator-only member). Nodes hosted elsewhere are reached over the clustered bus.</li>
 * </ul>
 *
 * <p>The fields come in groups, each a small immutable record of its own with the same JSON names, ranges and errors:
 * {@link RunLimits} (admission and a run's defaults), {@link NodeCallOptions} (calls to nodes), {@link StreamLimits}
 * (a stream's events), {@link RetentionOptions}, {@link InstanceCounts} (verticles), {@link MemberRole} (whether a
 * member coordinates, which nodes it hosts) and {@link DeploymentResources} (what a deployment is given: its
 * checkpoint store, node cache, HTTP clients and long-term store); this class keeps the groups and the setters users
 * call.
 *
 * <p>Mutable while being built; not thread-safe. The runtime copies it at deployment.
 */
public final class GraphRuntimeOptions {

  public static final int DEFAULT_COORDINATOR_INSTANCES = 0;
  public static final int DEFAULT_NODE_INSTANCES = 0;
  public static final long DEFAULT_NODE_TIMEOUT_MS = 120_000;
  public static final int DEFAULT_MAX_IN_FLIGHT_RUNS = 10_000;
  public static final int DEFAULT_MAX_RUN_BACKLOG = 20_000;
  public static final int DEFAULT_RECURSION_LIMIT = 10_007;
  public static final long DEFAULT_RUN_TIMEOUT_MS = 600_000;
  public static final long DEFAULT_REPLY_GRACE_MS = 5_000;
  public static final long DEFAULT_MEMBER_REFRESH_MS = 1_000;
  public static final long MAX_MEMBER_REFRESH_MS = 600_000;
  public static final long DEFAULT_MEMBER_QUARANTINE_MS = 0;
  public static final long MAX_MEMBER_QUARANTINE_MS = 600_000;
  public static final long DEFAULT_BLOCKED_NODE_THRESHOLD_MS = 100;
  public static final int DEFAULT_MAX_BUFFERED_EVENTS = 10_000;
  public static final int DEFAULT_MAX_PENDING_EMITS = 1_000;
  public static final int DEFAULT_MAX_REQUEST_BYTES = 4 * 1024 * 1024;
  public static final long DEFAULT_STREAM_IDLE_TIMEOUT_MS = 60_000;
  public static final int DEFAULT_MAX_EARLY_CANCELS = 10_000;
  public static final long DEFAULT_EARLY_CANCEL_TTL_MS = 60_000;

  private InstanceCounts instances = InstanceCounts.DEFAULTS;
  private RunLimits runLimits = RunLimits.DEFAULTS;
  private NodeCallOptions nodeCalls = NodeCallOptions.DEFAULTS;
  private StreamLimits streamLimits = StreamLimits.DEFAULTS;
  private RetentionOptions retention = RetentionOptions.DEFAULTS;
  private MemberRole role = new MemberRole(true, null);
  private DeploymentResources resources = DeploymentResources.NONE;

  public GraphRuntimeOptions() {
  }

  public GraphRuntimeOptions(GraphRuntimeOptions other) {
    this.instances = other.instances;
    this.runLimits = other.runLimits;
    this.nodeCalls = other.nodeCalls;
    this.streamLimits = other.streamLimits;
    this.retention = other.retention;
    this.role = other.role;
    this.resources = other.resources;
  }

  /**
   * Reads options from JSON; absent fields keep their defaults.
   *
   * @throws IllegalArgumentException naming the field whose value is out of range
   */
  public GraphRuntimeOptions(JsonObject json) {
    instances = InstanceCounts.fromJson(json);
    nodeCalls = NodeCallOptions.fromJson(json);
    runLimits = RunLimits.fromJson(json);
    setHttpClients(orEmpty(JsonFields.optionalObject(json, "httpClients", "runtime options")));
    streamLimits = StreamLimits.fromJson(json);
    role = MemberRole.fromJson(json);
    setCheckpointer(JsonFields.optionalObject(json, "checkpointer", "runtime options"));
    JsonObject cache = JsonFields.optionalObject(json, "nodeCache", "runtime options");
    setNodeCache(cache == null ? null : new NodeCacheOptions(cache));
    retention = RetentionOptions.fromJson(json);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject();
    instances.writeTo(json);
    nodeCalls.writeTo(json);
    runLimits.writeTo(json);
    json.put("httpClients", resources.httpClients().copy());
    streamLimits.writeTo(json);
    role.writeTo(json);
    retention.writeTo(json);
    if (resources.checkpointer() != null) {
      json.put("checkpointer", resources.checkpointer().copy());
    }
    if (resources.nodeCache() != null) {
      json.put("nodeCache", resources.nodeCache().toJson());
    }
    return json;
  }

  public int getCoordinatorInstances() {
    return instances.coordinatorInstances();
  }

  /** Coordinator verticles to deploy; 0 for one per event loop. */
  public GraphRuntimeOptions setCoordinatorInstances(int coordinatorInstances) {
    instances = instances.withCoordinators(coordinatorInstances);
    return this;
  }

  public int getNodeInstances() {
    return instances.nodeInstances();
  }

  /** Verticles per node; 0 for one per event loop. */
  public GraphRuntimeOptions setNodeInstances(int nodeInstances) {
    instances = instances.withNodes(nodeInstances);
    return this;
  }

  /** Verticles for node {@code node}, overriding {@link #setNodeInstances(int)}; at least 1. */
  public GraphRuntimeOptions setNodeInstances(String node, int instances) {
    this.instances = this.instances.withNode(node, instances);
    return this;
  }

  /** The verticles to deploy for {@code node}; 0 means one per event loop. */
  public int nodeInstances(String node) {
    return instances.of(node);
  }

  public long getNodeTimeoutMs() {
    return nodeCalls.nodeTimeoutMs();
  }

  /** Default reply timeout of node executions, in ms; at least 1. */
  public GraphRuntimeOptions setNodeTimeoutMs(long nodeTimeoutMs) {
    nodeCalls = nodeCalls.withNodeTimeoutMs(nodeTimeoutMs);
    return this;
  }

  public int getMaxInFlightRuns() {
    return runLimits.maxInFlightRuns();
  }

  /** Runs one coordinator drives at once; at least 1. */
  public GraphRuntimeOptions setMaxInFlightRuns(int maxInFlightRuns) {
    runLimits = runLimits.withMaxInFlightRuns(maxInFlightRuns);
    return this;
  }

  public int getMaxRunBacklog() {
    return runLimits.maxRunBacklog();
  }

  /**
   * Tasks waiting on a coordinator's event loop beyond which the runs it reads are refused at once (503): under a
   * burst, the loop's queue is the backlog of runs not yet admitted, which {@code maxInFlightRuns} does not see.
   * At least 1.
   */
  public GraphRuntimeOptions setMaxRunBacklog(int maxRunBacklog) {
    runLimits = runLimits.withMaxRunBacklog(maxRunBacklog);
    return this;
  }

  public int getMaxEarlyCancels() {
    return runLimits.maxEarlyCancels();
  }

  /**
   * Cancels of runs a coordinator does not know (yet) that it keeps, so that a run whose cancel came before it (sent
   * but not arrived, or sent to another coordinator) is refused as cancelled when it comes; the oldest is forgotten
   * first. At least 1.
   */
  public GraphRuntimeOptions setMaxEarlyCancels(int maxEarlyCancels) {
    runLimits = runLimits.withMaxEarlyCancels(maxEarlyCancels);
    return this;
  }

  public long getEarlyCancelTtlMs() {
    return runLimits.earlyCancelTtlMs();
  }

  /**
   * How long a cancel of a run the coordinator does not know holds (see {@link #setMaxEarlyCancels}): longer than a
   * run request may take to reach its coordinator. At least 1.
   */
  public GraphRuntimeOptions setEarlyCancelTtlMs(long earlyCancelTtlMs) {
    runLimits = runLimits.withEarlyCancelTtlMs(earlyCancelTtlMs);
    return this;
  }

  public int getRecursionLimit() {
    return runLimits.recursionLimit();
  }

  /** Default supersteps per run; at least 1. */
  public GraphRuntimeOptions setRecursionLimit(int recursionLimit) {
    runLimits = runLimits.withRecursionLimit(recursionLimit);
    return this;
  }

  public long getRunTimeoutMs() {
    return runLimits.runTimeoutMs();
  }

  /** Deadline of runs whose request names none, in ms; at least 1. */
  public GraphRuntimeOptions setRunTimeoutMs(long runTimeoutMs) {
    runLimits = runLimits.withRunTimeoutMs(runTimeoutMs);
    return this;
  }

  public long getReplyGraceMs() {
    return nodeCalls.replyGraceMs();
  }

  /** Extra wait for a node's reply beyond its timeout, in ms; at least 0. */
  public GraphRuntimeOptions setReplyGraceMs(long replyGraceMs) {
    nodeCalls = nodeCalls.withReplyGraceMs(replyGraceMs);
    return this;
  }

  public long getMemberRefreshMs() {
    return nodeCalls.memberRefreshMs();
  }

  /**
   * On a cluster, how old a coordinator's list of the members hosting a node may get before it is read again, in
   * ms; 10 to {@value #MAX_MEMBER_REFRESH_MS}.
   */
  public GraphRuntimeOptions setMemberRefreshMs(long memberRefreshMs) {
    nodeCalls = nodeCalls.withMemberRefreshMs(memberRefreshMs);
    return this;
  }

  public long getMemberQuarantineMs() {
    return nodeCalls.memberQuarantineMs();
  }

  /**
   * On a cluster, how long every node's requests avoid a member that left one unanswered or refused its connection
   * (unless it answers one meanwhile), in ms; 0 (off) to {@value #MAX_MEMBER_QUARANTINE_MS}.
   */
  public GraphRuntimeOptions setMemberQuarantineMs(long memberQuarantineMs) {
    nodeCalls = nodeCalls.withMemberQuarantineMs(memberQuarantineMs);
    return this;
  }

  public long getBlockedNodeThresholdMs() {
    return nodeCalls.blockedNodeThresholdMs();
  }

  /** How long an async node may hold its event loop before it is reported, in ms; at least 1. */
  public GraphRuntimeOptions setBlockedNodeThresholdMs(long blockedNodeThresholdMs) {
    nodeCalls = nodeCalls.withBlockedNodeThresholdMs(blockedNodeThresholdMs);
    return this;
  }

  /** A copy of the named HTTP client options (name to {@code WebClientOptions} JSON). */
  public JsonObject getHttpClients() {
    return resources.httpClients().copy();
  }

  /** Named HTTP clients: each field is a client name, its value {@code WebClientOptions} as JSON. */
  public GraphRuntimeOptions setHttpClients(JsonObject httpClients) {
    resources = resources.withHttpClients(httpClients);
    return this;
  }

  /** Adds the HTTP client {@code name} with {@code options} (as JSON). */
  public GraphRuntimeOptions addHttpClient(String name, JsonObject options) {
    resources = resources.withHttpClient(name, options);
    return this;
  }

  public int getMaxBufferedEvents() {
    return streamLimits.maxBufferedEvents();
  }

  /** Events a streamed run may hold for a slow consumer; the run waits between steps past half of it. */
  public GraphRuntimeOptions setMaxBufferedEvents(int maxBufferedEvents) {
    streamLimits = streamLimits.withMaxBufferedEvents(maxBufferedEvents);
    return this;
  }

  public int getMaxPendingEmits() {
    return streamLimits.maxPendingEmits();
  }

  /**
   * Custom events of one node execution sent and not yet taken by the coordinator: past it a blocking node's
   * {@code emit} waits, an async node's is dropped and counted ({@code metrics().node(n).customEventsDropped()}).
   */
  public GraphRuntimeOptions setMaxPendingEmits(int maxPendingEmits) {
    streamLimits = streamLimits.withMaxPendingEmits(maxPendingEmits);
    return this;
  }

  public long getStreamIdleTimeoutMs() {
    return streamLimits.streamIdleTimeoutMs();
  }

  /** How long a stream with undelivered events may go without credits before it is dropped; at least 1. */
  public GraphRuntimeOptions setStreamIdleTimeoutMs(long streamIdleTimeoutMs) {
    streamLimits = streamLimits.withStreamIdleTimeoutMs(streamIdleTimeoutMs);
    return this;
  }

  public int getMaxRequestBytes() {
    return runLimits.maxRequestBytes();
  }

  /** The largest JSON run request (encoded) a coordinator accepts; larger ones are refused as bad requests. */
  public GraphRuntimeOptions setMaxRequestBytes(int maxRequestBytes) {
    runLimits = runLimits.withMaxRequestBytes(maxRequestBytes);
    return this;
  }

  public Integer getKeepLatestCheckpoints() {
    return retention.keepLatestCheckpoints();
  }

  /**
   * Every thread keeps only its newest {@code count} checkpoints, older ones being pruned in the background
   * ({@link CheckpointRetention}); {@code null} (default) keeps them all.
   */
  public GraphRuntimeOptions setKeepLatestCheckpoints(Integer count) {
    retention = retention.withKeepLatestCheckpoints(count);
    return this;
  }

  public Double getThreadTtlMinutes() {
    return retention.threadTtlMinutes();
  }

  /** Threads idle (no new checkpoint) longer than this many minutes are deleted; {@code null} (default) keeps them. */
  public GraphRuntimeOptions setThreadTtlMinutes(Double minutes) {
    retention = retention.withThreadTtlMinutes(minutes);
    return this;
  }

  public long getRetentionSweepIntervalMs() {
    return retention.retentionSweepIntervalMs();
  }

  /** How often thread retention sweeps (0: never by itself). */
  public GraphRuntimeOptions setRetentionSweepIntervalMs(long intervalMs) {
    retention = retention.withRetentionSweepIntervalMs(intervalMs);
    return this;
  }

  public int getRetentionBatchSize() {
    return retention.retentionBatchSize();
  }

  /** Threads listed and deleted per batch of a retention sweep (at most ten batches per sweep). */
  public GraphRuntimeOptions setRetentionBatchSize(int batchSize) {
    retention = retention.withRetentionBatchSize(batchSize);
    return this;
  }

  /** The long-term store handed to nodes ({@code NodeContext.store()}), or {@code null} (the default) for none. */
  public io.graphloop.store.Store getStore() {
    return resources.store();
  }

  /**
   * Hands {@code store} to this deployment's nodes through {@code NodeContext.store()} (LangGraph's
   * {@code compile(store=...)}). The caller opens and closes it; several deployments may share one.
   */
  public GraphRuntimeOptions setStore(io.graphloop.store.Store store) {
    resources = resources.withStore(store);
    return this;
  }

  /** The checkpoint store's configuration, or {@code null} for a deployment without one. */
  public JsonObject getCheckpointer() {
    return resources.checkpointer() == null ? null : resources.checkpointer().copy();
  }

  /**
   * The checkpoint store that keeps threads, as {@code CheckpointStores} reads it: {@code {"type": "sqlite",
   * "dataDir": "data"}} (the default type), {@code {"type": "postgres", "host": ..., "database": ...}} or
   * {@code {"type": "memory"}}; {@code null} for none (runs on threads are then refused).
   */
  public GraphRuntimeOptions setCheckpointer(JsonObject checkpointer) {
    resources = resources.withCheckpointer(checkpointer);
    return this;
  }

  /** The options of the checkpoint store's node cache given to graphs compiled without a cache, or {@code null}. */
  public NodeCacheOptions getNodeCache() {
    return resources.nodeCache() == null ? null : new NodeCacheOptions(resources.nodeCache());
  }

  /**
   * Gives a graph compiled without a cache the checkpoint store's node cache ({@code CheckpointStore.nodeCache}) with
   * these options, so the nodes' {@code CachePolicy}s apply and every member sharing the store shares cached writes
   * (a deployment must then have a checkpointer); {@code null} (the default) for none.
   */
  public GraphRuntimeOptions setNodeCache(NodeCacheOptions nodeCache) {
    resources = resources.withNodeCache(nodeCache);
    return this;
  }

  public boolean isCoordinator() {
    return role.coordinator();
  }

  /** Whether this deployment runs coordinators; false for a worker member that only hosts nodes. */
  public GraphRuntimeOptions setCoordinator(boolean coordinator) {
    role = new MemberRole(coordinator, role.nodes());
    return this;
  }

  /** The nodes this deployment hosts, or {@code null} for all. */
  public java.util.List<String> getNodes() {
    return role.nodes();
  }

  /** Host only these nodes ({@code null}: all; empty: none, a coordinator-only member). */
  public GraphRuntimeOptions setNodes(java.util.List<String> nodes) {
    role = new MemberRole(role.coordinator(), nodes);
    return this;
  }

  /** Whether this deployment hosts node {@code node}. */
  public boolean hostsNode(String node) {
    return role.nodes() == null || role.nodes().contains(node);
  }

  private static JsonObject orEmpty(JsonObject json) {
    return json == null ? new JsonObject() : json;
  }
}
