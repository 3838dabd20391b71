package io.graphloop.runtime;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The verticle of one instance of a virtual-thread node: such a node needs a virtual-thread context of its own (its
 * code runs on that context's virtual thread and may {@code Future.await}), so it cannot share a {@link NodeHost}'s
 * event-loop context. Deployed with the node's instance count, one {@link NodeInstance} per verticle.
 *
 * <p>Thread rules: {@code start} and {@code stop} run on this verticle's context, as do the instance's handlers.
 */
final class NodeVerticle extends VerticleBase {

  private final NodeInstance instance;

  NodeVerticle(NodeInstance instance) {
    this.instance = instance;
  }

  @Override
  public Future<?> start() {
    return instance.start(vertx, context);
  }

  @Override
  public Future<?> stop() {
    return instance.stop();
  }
}
