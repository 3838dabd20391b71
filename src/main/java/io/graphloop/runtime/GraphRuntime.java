package io.graphloop.runtime;

import io.graphloop.internal.bus.LoopAffinity;
import io.graphloop.protocol.Addresses;

import io.graphloop.checkpoint.CheckpointStore;
import io.graphloop.checkpoint.CheckpointStores;
import io.graphloop.checkpoint.Checkpointer;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.protocol.Codecs;
import io.graphloop.graph.NodeKind;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A graph deployed on a {@link Vertx} instance: node instances (each listening on
 * {@code graphloop.<graph>.node.<name>}, instances configurable per node) and coordinator verticles on
 * {@code graphloop.<graph>.run}. The node instances live in node hosts, one verticle per event loop serving an instance
 * of many nodes ({@link NodeHost}), except virtual-thread nodes, which keep a verticle per instance. On a clustered
 * Vert.x each node also has one {@link NodeRoute} verticle. {@link #undeploy()} removes them all; runs still in flight
 * fail as cancelled.
 *
 * <pre>{@code
 * GraphRuntime.deploy(vertx, graph)
 *     .compose(runtime -> runtime.client().invoke(Map.of("query", "hi")))
 *     .onSuccess(state -> System.out.println(state));
 * }</pre>
 *
 * <p>Thread-safe: {@link #deploy} and {@link #undeploy} may be called from any thread.
 */
public final class GraphRuntime {

  private final Vertx vertx;
  private final CompiledGraph graph;
  /** The graph's name on the event bus (see {@link #busName()}). */
  private final String busName;
  private final List<String> deploymentIds;
  private final RuntimeMetrics metrics;
  private final HttpClients httpClients;
  private final List<GraphRuntime> subgraphs;
  private final Checkpointer checkpointer;
  private final CheckpointStore ownedStore;
  private final Drain drain;
  private volatile ThreadRetention retention; // set once after construction, when threadTtlMinutes is set
  private volatile ThreadRetention ttlRetention; // likewise, on a coordinator with a checkpointer (threads' own TTLs)
  private volatile CheckpointRetention checkpointRetention; // likewise, when keepLatestCheckpoints is set

  private GraphRuntime(Vertx vertx, CompiledGraph graph, String busName, List<String> deploymentIds,
                       RuntimeMetrics metrics, HttpClients httpClients, List<GraphRuntime> subgraphs,
                       Checkpointer checkpointer, CheckpointStore ownedStore, Drain drain) {
    this.busName = busName;
    this.drain = drain;
    this.vertx = vertx;
    this.graph = graph;
    this.deploymentIds = Collections.unmodifiableList(deploymentIds);
    this.metrics = metrics;
    this.httpClients = httpClients;
    this.subgraphs = List.copyOf(subgraphs);
    this.checkpointer = checkpointer;
    this.ownedStore = ownedStore;
  }

  /** Deploys {@code graph} with default options. */
  public static Future<GraphRuntime> deploy(Vertx vertx, CompiledGraph graph) {
    return deploy(vertx, graph, new GraphRuntimeOptions());
  }

  /**
   * Deploys {@code graph}'s subgraphs (each a graph of its own, with the same options and checkpoint store), then its node verticles,
   * then its coordinators. On failure, nothing stays deployed.
   */
  public static Future<GraphRuntime> deploy(Vertx vertx, CompiledGraph graph, GraphRuntimeOptions options) {
    if (options.getCheckpointer() == null) {
      return deploy(vertx, graph, options, null, null, graph.name());
    }
    return CheckpointStores.open(vertx, options.getCheckpointer())
        .compose(store -> deploy(vertx, graph, options, store, store, graph.name())
            .recover(failure -> store.close().transform(closed -> Future.failedFuture(failure))));
  }

  /**
   * Deploys {@code graph} keeping its threads in {@code store} (which the caller opened and closes); runs with a
   * thread id then start from the thread's latest state, save checkpoints and can be resumed.
   */
  public static Future<GraphRuntime> deploy(Vertx vertx, CompiledGraph graph, GraphRuntimeOptions options,
                                            CheckpointStore store) {
    return deploy(vertx, graph, options, store, null, graph.name());
  }

  /**
   * @param busName the graph's name on the event bus: its own name for the graph deployed, and for a subgraph its
   *                parent's bus name and its own ({@link Addresses#subgraph}), so that a compiled subgraph shared by
   *                two parents (each with its own store) is deployed twice on distinct addresses, each parent's runs
   *                reaching the child deployment that keeps its checkpoints in that parent's store
   */
  private static Future<GraphRuntime> deploy(Vertx vertx, CompiledGraph graph, GraphRuntimeOptions options,
                                             CheckpointStore store, CheckpointStore owned, String busName) {
    boolean top = busName.equals(graph.name()); // only the graph deployed, not a subgraph, sweeps thread TTLs
    GraphRuntimeOptions childOptions = new GraphRuntimeOptions(options).setCheckpointer(null)
        .setThreadTtlMinutes(null) // the parent's retention sweeps the store they share
        .setKeepLatestCheckpoints(null);
    List<CompiledGraph> children = new ArrayList<>();
    for (NodeDefinition node : graph.nodes()) {
      if (node.subgraph() != null && children.stream().noneMatch(c -> c.name().equals(node.subgraph().graph().name()))) {
        children.add(node.subgraph().graph());
      }
    }
    List<Future<GraphRuntime>> deployed = new ArrayList<>();
    // a subgraph keeps its checkpoints in its parent's store, under the parent's threads (see SubgraphThreads)
    children.forEach(child -> deployed.add(deploy(vertx, child, childOptions, store, null,
        Addresses.subgraph(busName, child.name()))));
    return Future.join(deployed).transform(done -> {
      List<GraphRuntime> ready = new ArrayList<>();
      deployed.stream().filter(Future::succeeded).forEach(f -> ready.add(f.result()));
      if (done.failed()) {
        return undeployAll(ready).transform(ignored -> Future.failedFuture(done.cause()));
      }
      Checkpointer checkpointer = store == null ? null : Checkpointer.forGraph(store, graph);
      CompiledGraph cached;
      try {
        cached = withStoreCache(graph, options, store);
      } catch (RuntimeException e) {
        return undeployAll(ready).transform(ignored -> Future.failedFuture(e));
      }
      Future<Void> warm = cached.cache() == null ? Future.succeededFuture()
          : vertx.executeBlocking(() -> { // keys need Jackson and SHA-256 loaded: not on an event loop
            TaskCache.warmUp();
            return null;
          }, false);
      return warm.compose(w -> deployOwn(vertx, cached, busName, options, ready, checkpointer, owned, top))
          .recover(failure -> undeployAll(ready).transform(ignored -> Future.failedFuture(failure)));
    });
  }

  /** {@code graph}, given the store's node cache when the options ask for it and it was compiled without one. */
  private static CompiledGraph withStoreCache(CompiledGraph graph, GraphRuntimeOptions options, CheckpointStore store) {
    if (options.getNodeCache() == null || graph.cache() != null) {
      return graph;
    }
    if (store == null) {
      throw new IllegalArgumentException("Runtime option nodeCache of graph '" + graph.name() + "' needs a checkpoint "
          + "store (the cache lives in it): set the checkpointer option, or compile the graph with a MemoryNodeCache");
    }
    return graph.withCache(store.nodeCache(options.getNodeCache(), java.time.Clock.systemUTC()));
  }

  private static Future<Void> undeployAll(List<GraphRuntime> runtimes) {
    List<Future<Void>> undeployed = new ArrayList<>();
    runtimes.forEach(runtime -> undeployed.add(runtime.undeploy()));
    return Future.join(undeployed).mapEmpty();
  }

  private static Future<GraphRuntime> deployOwn(Vertx vertx, CompiledGraph graph, String busName,
                                                GraphRuntimeOptions options, List<GraphRuntime> subgraphs,
                                                Checkpointer checkpointer, CheckpointStore owned, boolean top) {
    Codecs.register(vertx);
    GraphRuntimeOptions copy = new GraphRuntimeOptions(options);
    RuntimeMetrics metrics = new RuntimeMetrics();
    Drain drain = new Drain();
    HttpClients httpClients;
    try {
      httpClients = new HttpClients(vertx, copy.getHttpClients());
    } catch (RuntimeException e) {
      return Future.failedFuture(new IllegalArgumentException("Bad httpClients options: " + e.getMessage(), e));
    }
    int loops = LoopAffinity.eventLoops(vertx);
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    List<Future<String>> nodes = new ArrayList<>();
    NodeHost.Plan plan = new NodeHost.Plan(graph.name(), loops);
    List<NodeDefinition> hostedRoutes = new ArrayList<>();
    List<NodeRoute.Targets> hostedTargets = new ArrayList<>();
    for (NodeDefinition node : graph.nodes()) {
      if (!copy.hostsNode(node.name())) {
        continue;
      }
      int instances = orLoops(copy.nodeInstances(node.name()), loops);
      NodeBulkhead bulkhead = bulkheadOf(graph, node);
      if (bulkhead != null) {
        metrics.node(node.name()).queued = bulkhead::queued;
      }
      NodeResources resources = new NodeResources(graph, busName, bulkhead, httpClients, metrics,
          copy.getBlockedNodeThresholdMs(), metrics.node(node.name()), copy.getMaxPendingEmits(), copy.getStore());
      NodeRoute.Targets route = vertx.isClustered() ? new NodeRoute.Targets() : null;
      if (node.kind() != NodeKind.VIRTUAL_THREAD) { // hosted: one verticle per event loop serves many nodes
        plan.add(node, resources, route, instances);
        if (route != null) {
          hostedRoutes.add(node);
          hostedTargets.add(route);
        }
        continue;
      }
      DeploymentOptions deployment = new DeploymentOptions().setInstances(instances)
          .setThreadingModel(ThreadingModel.VIRTUAL_THREAD); // a virtual-thread context of its own per instance
      nodes.add(vertx.deployVerticle(() -> new NodeVerticle(new NodeInstance(graph.name(), node, resources, route)),
              deployment)
          .onSuccess(ids::add)
          .compose(id -> route == null ? Future.succeededFuture(id)
              : deployRoute(vertx, busName, node, route, copy, ids)));
    }
    if (!plan.isEmpty()) {
      nodes.add(vertx.deployVerticle(() -> new NodeHost(plan), new DeploymentOptions().setInstances(plan.hosts()))
          .onSuccess(ids::add)
          .compose(id -> {
            List<Future<String>> routes = new ArrayList<>();
            for (int i = 0; i < hostedRoutes.size(); i++) {
              routes.add(deployRoute(vertx, busName, hostedRoutes.get(i), hostedTargets.get(i), copy, ids));
            }
            return Future.all(routes).map(id);
          }));
    }
    int coordinators = orLoops(copy.getCoordinatorInstances(), loops);
    return Future.all(nodes)
        .compose(done -> !copy.isCoordinator() ? Future.<String>succeededFuture(null)
            : vertx.deployVerticle(() -> new CoordinatorVerticle(graph, busName, copy, metrics, checkpointer, vertx,
                drain),
                new DeploymentOptions().setInstances(coordinators)))
        .map(coordinatorId -> {
          List<String> all = new ArrayList<>();
          if (coordinatorId != null) {
            all.add(coordinatorId);
          }
          all.addAll(ids);
          GraphRuntime runtime = new GraphRuntime(vertx, graph, busName, all, metrics, httpClients, subgraphs,
              checkpointer, owned, drain);
          if (copy.getThreadTtlMinutes() != null && copy.isCoordinator() && checkpointer != null) {
            runtime.retention = ThreadRetention.start(vertx, checkpointer.store(), copy.getThreadTtlMinutes(),
                copy.getRetentionSweepIntervalMs(), copy.getRetentionBatchSize());
          }
          if (top && copy.isCoordinator() && checkpointer != null) {
            runtime.ttlRetention = ThreadRetention.startPerThread(vertx, checkpointer.store(),
                copy.getRetentionSweepIntervalMs(), copy.getRetentionBatchSize());
          }
          if (copy.getKeepLatestCheckpoints() != null && copy.isCoordinator() && checkpointer != null) {
            runtime.checkpointRetention = CheckpointRetention.start(vertx, checkpointer.store(),
                copy.getKeepLatestCheckpoints(), copy.getRetentionSweepIntervalMs(), copy.getRetentionBatchSize());
          }
          return runtime;
        })
        .recover(failure -> Future.join(nodes).transform(ignored -> undeployAll(vertx, ids))
            .eventually(httpClients::close)
            .transform(ignored -> Future.failedFuture(failure)));
  }

  /** Deploys node {@code node}'s {@link NodeRoute} (clustered Vert.x), once its instances listen. */
  private static Future<String> deployRoute(Vertx vertx, String busName, NodeDefinition node,
                                            NodeRoute.Targets route, GraphRuntimeOptions options, List<String> ids) {
    return vertx.deployVerticle(new NodeRoute(Addresses.node(busName, node.name()), route,
        options.getRunTimeoutMs())).onSuccess(ids::add);
  }

  private static NodeBulkhead bulkheadOf(CompiledGraph graph, NodeDefinition node) {
    int limit = node.options().getMaxConcurrency();
    return limit == 0 ? null : new NodeBulkhead(graph.name(), node.name(), limit, node.options().getMaxQueued());
  }

  private static int orLoops(int instances, int loops) {
    return instances > 0 ? instances : loops;
  }

  /** Checkpoint retention of this deployment, or {@code null} when {@code keepLatestCheckpoints} is not set. */
  public CheckpointRetention checkpointRetention() {
    return checkpointRetention;
  }

  /**
   * The sweep of threads' own TTLs ({@link ThreadRetention#startPerThread}) of this deployment, or {@code null} when
   * it has no checkpointer or coordinator.
   */
  public ThreadRetention ttlRetention() {
    return ttlRetention;
  }

  /** Thread retention of this deployment, or {@code null} when {@code threadTtlMinutes} is not set. */
  public ThreadRetention retention() {
    return retention;
  }

  /**
   * The graph's name in its event-bus addresses ({@link Addresses}): the graph's own name for the graph deployed; for
   * a subgraph deployed with its parent, the parent's bus name, a slash and its own name ({@link Addresses#subgraph}),
   * so two parents sharing one compiled subgraph each reach their own deployment of it (with their own store).
   */
  String busName() {
    return busName;
  }

  /** The runtimes of this graph's subgraphs, deployed with it (one per distinct subgraph name). */
  List<GraphRuntime> subgraphRuntimes() {
    return subgraphs;
  }

  /** A client for this graph on the same Vert.x instance. */
  public GraphClient client() {
    return GraphClient.create(vertx, busName);
  }

  /** The deployed graph (with the store's node cache when the options gave it one). */
  public CompiledGraph graph() {
    return graph;
  }

  /**
   * Removes the cached writes of {@code nodes} ({@code null} or empty: every node) from the graph's node cache, as
   * LangGraph's {@code clear_cache}; fails when the graph has no cache. See {@link CompiledGraph#clearCache}.
   */
  public Future<Void> clearCache(java.util.Collection<String> nodes) {
    return graph.clearCache(nodes);
  }

  /**
   * The Vert.x deployment ids: the coordinators first, then the nodes' (the node hosts, one deployment for all the
   * hosted nodes; one per virtual-thread node; on a clustered Vert.x one {@link NodeRoute} per node).
   */
  public List<String> deploymentIds() {
    return deploymentIds;
  }

  /** The deployment's counters: executions, failures, timeouts, retries, refusals, blocked-event-loop reports. */
  public RuntimeMetrics metrics() {
    return metrics;
  }

  /**
   * Undeploys the coordinators (in-flight runs fail as cancelled, or as {@code DRAINING} after {@link #drain}), then
   * the nodes, then the subgraphs; closes the
   * HTTP clients.
   */
  public Future<Void> undeploy() {
    if (checkpointRetention != null) {
      checkpointRetention.stop();
    }
    if (ttlRetention != null) {
      ttlRetention.stop();
    }
    if (retention != null) {
      retention.stop();
    }
    return undeployAll(vertx, deploymentIds).eventually(httpClients::close).eventually(() -> undeployAll(subgraphs))
        .eventually(() -> ownedStore == null ? Future.succeededFuture() : ownedStore.close());
  }

  /**
   * Stops admitting runs (new ones are refused with {@code FailureCode.DRAINING}), then completes once the runs in
   * flight on this deployment's coordinators have ended or {@code timeoutMs} has passed, with how many are still in
   * flight (0: none was lost). Those still running when it completes fail with {@code FailureCode.DRAINING} at
   * {@link #undeploy()}; a run on a thread keeps its last checkpoint, so it can be resumed (on another member, or after a restart). Runs of subgraphs
   * still serve their parents' runs. Draining cannot be undone: undeploy afterwards.
   *
   * @throws IllegalArgumentException when {@code timeoutMs} is negative
   */
  public Future<Integer> drain(long timeoutMs) {
    return drain.start(vertx, metrics, timeoutMs);
  }

  /** Whether {@link #drain} was called: the coordinators admit no new run. */
  public boolean draining() {
    return drain.draining();
  }

  /** The checkpointer keeping this graph's threads, or {@code null} when deployed without a store. */
  public Checkpointer checkpointer() {
    return checkpointer;
  }

  private static Future<Void> undeployAll(Vertx vertx, List<String> ids) {
    List<String> snapshot;
    synchronized (ids) {
      snapshot = new ArrayList<>(ids);
    }
    if (snapshot.isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.undeploy(snapshot.get(0)).transform(first -> {
      List<Future<Void>> rest = new ArrayList<>();
      for (String id : snapshot.subList(1, snapshot.size())) {
        rest.add(vertx.undeploy(id));
      }
      return Future.join(rest).transform(done -> first.succeeded() && done.succeeded() ? Future.succeededFuture()
          : Future.failedFuture(first.failed() ? first.cause() : done.cause()));
    });
  }
}
