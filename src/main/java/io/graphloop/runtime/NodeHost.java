package io.graphloop.runtime;

import io.graphloop.graph.NodeDefinition;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The verticle that hosts one instance each of many nodes of a deployment on one event loop: a deployment has one
 * host per event loop (fewer when its nodes have fewer instances in all), deployed as one Vert.x deployment, instead
 * of a verticle (and a Vert.x context) per node instance. Async, blocking and subgraph nodes are hosted; a
 * virtual-thread node keeps a {@link NodeVerticle} of its own.
 *
 * <p>Every node keeps its own addresses: each {@link NodeInstance} registers the node's public address (on a
 * clustered Vert.x its {@link NodeRoute} does) and its loop address on the host's context, so remote callers, the
 * coordinators on other loops and placement see what they saw with a verticle per node; a coordinator on the host's
 * loop hands requests to the instance directly. Undeploying the deployment (the graph's, or a node-only deployment of
 * some of its nodes: {@link GraphRuntimeOptions#setNodes}) stops every instance of its hosts. Metrics and traces stay per
 * node.
 *
 * <p>Why (issue 17): on a 10,000-node chain a verticle and a context per node instance (40,000 of each on 4 event
 * loops, with their consumers and deployment records) spread the objects a step touches over about 100 MB, and the
 * first touch of the node's instance per step was a TLB miss; a host makes all its instances one after another before
 * registering anything, so the instances a coordinator reaches lie together.
 *
 * <p>Which instances a host carries is decided before deployment ({@link Plan}): a node's instances go to
 * consecutive hosts, the next node starting where the previous ended, so nodes with fewer instances than hosts are
 * spread over the loops as Vert.x spread their verticles; a node with more instances than hosts has several on some
 * host. Hosts take their share in the order they start.
 *
 * <p>Thread rules: {@code start} and {@code stop} run on this host's context, where its instances' handlers run too;
 * {@link Plan} is filled on the deploying thread before the deployment and only read afterwards (the claim counter is
 * atomic).
 */
final class NodeHost extends VerticleBase {

  private final Plan plan;
  private NodeInstance[] instances = new NodeInstance[0];

  NodeHost(Plan plan) {
    this.plan = plan;
  }

  @Override
  public Future<?> start() {
    List<Slot> mine = plan.claim();
    NodeInstance[] made = new NodeInstance[mine.size()];
    for (int i = 0; i < made.length; i++) { // made together, before any consumer: they lie together in memory
      Slot slot = mine.get(i);
      made[i] = new NodeInstance(plan.graph, slot.node, slot.resources, slot.route);
    }
    instances = made;
    List<Future<Void>> started = new ArrayList<>(made.length);
    for (NodeInstance instance : made) {
      started.add(instance.start(vertx, context));
    }
    return Future.all(started).recover(failure -> stopAll().transform(stopped -> Future.failedFuture(failure)));
  }

  @Override
  public Future<?> stop() {
    return stopAll();
  }

  private Future<Void> stopAll() {
    List<Future<Void>> stopped = new ArrayList<>(instances.length);
    for (NodeInstance instance : instances) {
      stopped.add(instance.stop());
    }
    return Future.join(stopped).mapEmpty();
  }

  /** One node instance a host is to carry. */
  private static final class Slot {
    private final NodeDefinition node;
    private final NodeResources resources;
    private final NodeRoute.Targets route;

    private Slot(NodeDefinition node, NodeResources resources, NodeRoute.Targets route) {
      this.node = node;
      this.resources = resources;
      this.route = route;
    }
  }

  /**
   * Which node instances each host of one deployment carries. Filled by {@link #add} before the hosts are deployed
   * (one thread), then read by the hosts as they start.
   */
  static final class Plan {
    private final String graph;
    private final int maxHosts;
    private final List<List<Slot>> perHost = new ArrayList<>();
    private final AtomicInteger claimed = new AtomicInteger();
    private int next; // the host the next node's first instance goes to
    private int total;

    /** @param maxHosts the most hosts to use: the event-loop count */
    Plan(String graph, int maxHosts) {
      if (maxHosts < 1) {
        throw new IllegalArgumentException("maxHosts must be at least 1, got " + maxHosts);
      }
      this.graph = graph;
      this.maxHosts = maxHosts;
      for (int i = 0; i < maxHosts; i++) {
        perHost.add(new ArrayList<>());
      }
    }

    /** Places {@code instances} instances of {@code node} on consecutive hosts, after the previous node's. */
    void add(NodeDefinition node, NodeResources resources, NodeRoute.Targets route, int instances) {
      for (int i = 0; i < instances; i++) {
        perHost.get(next).add(new Slot(node, resources, route));
        next = (next + 1) % maxHosts;
      }
      total += instances;
    }

    /** Whether no instance was placed (then no host is deployed). */
    boolean isEmpty() {
      return total == 0;
    }

    /** How many hosts to deploy: one per event loop, fewer when there are fewer instances in all. */
    int hosts() {
      return Math.max(1, Math.min(maxHosts, total));
    }

    /** The names of the node instances host {@code host} carries, in order (for tests and diagnostics). */
    List<String> nodesOf(int host) {
      List<String> names = new ArrayList<>();
      perHost.get(host).forEach(slot -> names.add(slot.node.name()));
      return names;
    }

    /** The share of the next host to start (each host claims once; none is left for extra hosts). */
    private List<Slot> claim() {
      int host = claimed.getAndIncrement();
      return host < hosts() ? perHost.get(host) : List.of();
    }
  }
}
