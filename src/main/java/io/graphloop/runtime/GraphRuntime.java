package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.protocol.Codecs;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A graph deployed on a {@link Vertx} instance: one node verticle per node (listening on
 * {@code graphloop.<graph>.node.<name>}, instances configurable) and coordinator verticles on
 * {@code graphloop.<graph>.run}. {@link #undeploy()} removes them all; runs still in flight fail as
 * cancelled.
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
  private final List<String> deploymentIds;

  private GraphRuntime(Vertx vertx, CompiledGraph graph, List<String> deploymentIds) {
    this.vertx = vertx;
    this.graph = graph;
    this.deploymentIds = Collections.unmodifiableList(deploymentIds);
  }

  /** Deploys {@code graph} with default options. */
  public static Future<GraphRuntime> deploy(Vertx vertx, CompiledGraph graph) {
    return deploy(vertx, graph, new GraphRuntimeOptions());
  }

  /** Deploys {@code graph}'s node verticles, then its coordinators. On failure, nothing stays deployed. */
  public static Future<GraphRuntime> deploy(Vertx vertx, CompiledGraph graph, GraphRuntimeOptions options) {
    Codecs.register(vertx);
    GraphRuntimeOptions copy = new GraphRuntimeOptions(options);
    int loops = LoopAffinity.eventLoops(vertx);
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    List<Future<String>> nodes = new ArrayList<>();
    for (NodeDefinition node : graph.nodes()) {
      int instances = orLoops(copy.nodeInstances(node.name()), loops);
      nodes.add(vertx.deployVerticle(() -> new NodeVerticle(graph.name(), node),
          new DeploymentOptions().setInstances(instances)).onSuccess(ids::add));
    }
    int coordinators = orLoops(copy.getCoordinatorInstances(), loops);
    return Future.all(nodes)
        .compose(done -> vertx.deployVerticle(() -> new CoordinatorVerticle(graph, copy),
            new DeploymentOptions().setInstances(coordinators)))
        .map(coordinatorId -> {
          List<String> all = new ArrayList<>();
          all.add(coordinatorId);
          all.addAll(ids);
          return new GraphRuntime(vertx, graph, all);
        })
        .recover(failure -> Future.join(nodes).transform(ignored -> undeployAll(vertx, ids))
            .transform(ignored -> Future.failedFuture(failure)));
  }

  private static int orLoops(int instances, int loops) {
    return instances > 0 ? instances : loops;
  }

  /** A client for this graph on the same Vert.x instance. */
  public GraphClient client() {
    return GraphClient.create(vertx, graph.name());
  }

  /** The deployed graph. */
  public CompiledGraph graph() {
    return graph;
  }

  /** The Vert.x deployment ids: the coordinators first, then the nodes. */
  public List<String> deploymentIds() {
    return deploymentIds;
  }

  /** Undeploys the coordinators (in-flight runs fail as cancelled), then the nodes. */
  public Future<Void> undeploy() {
    return undeployAll(vertx, deploymentIds);
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
