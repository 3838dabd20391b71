package io.graphloop.runtime;

import io.graphloop.engine.NodeOutputs;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.graph.NodeKind;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.FailureReply;
import io.graphloop.protocol.NodeReply;
import io.graphloop.protocol.NodeRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * One instance of a node: listens on {@code graphloop.<graph>.node.<name>} (and on its event loop's
 * local address, see {@link LoopAffinity}), runs the node for each request and replies with the frozen
 * partial update, or with a {@link FailureReply} carrying a {@link NodeFailedException}.
 *
 * <p>Async nodes run on this verticle's event loop. Blocking nodes run on a worker thread through
 * {@code executeBlocking(..., false)} (unordered, so executions run in parallel) on Vert.x's worker pool
 * or on the node's named pool; they never run on an event loop.
 *
 * <p>Thread rules: handlers run on this verticle's event loop; the blocking part runs on a worker thread
 * and only reads immutable data.
 */
final class NodeVerticle extends VerticleBase {

  private final String graph;
  private final NodeDefinition node;
  private MessageConsumer<Object> publicConsumer;
  private MessageConsumer<Object> loopConsumer;
  private String loopAddress;
  private LoopAffinity affinity;
  private WorkerExecutor workerPool;

  NodeVerticle(String graph, NodeDefinition node) {
    this.graph = graph;
    this.node = node;
  }

  @Override
  public Future<?> start() {
    String address = Addresses.node(graph, node.name());
    if (node.kind() == NodeKind.BLOCKING && node.options().getWorkerPool() != null) {
      workerPool = vertx.createSharedWorkerExecutor(node.options().getWorkerPool(), node.options().getWorkerPoolSize());
    }
    affinity = new LoopAffinity(vertx);
    loopAddress = LoopAffinity.onThisLoop(address);
    publicConsumer = vertx.eventBus().consumer(address, this::handle);
    loopConsumer = vertx.eventBus().localConsumer(loopAddress, this::handle);
    return Future.all(publicConsumer.completion(), loopConsumer.completion())
        .onSuccess(done -> affinity.register(loopAddress));
  }

  @Override
  public Future<?> stop() {
    affinity.unregister(loopAddress);
    Future<Void> closed = workerPool == null ? Future.succeededFuture() : workerPool.close();
    return Future.join(publicConsumer.unregister(), loopConsumer.unregister(), closed);
  }

  private void handle(Message<Object> message) {
    NodeRequest request;
    try {
      request = read(message.body());
    } catch (IllegalArgumentException e) {
      message.reply(new FailureReply(new GraphloopException(FailureCode.BAD_REQUEST, "Bad request to node '"
          + node.name() + "' of graph '" + graph + "': " + e.getMessage())));
      return;
    }
    ExecutionContext context = new ExecutionContext(vertx, request);
    Future<Map<String, Object>> update;
    if (node.kind() == NodeKind.ASYNC) {
      update = runAsync(request, context);
    } else if (workerPool != null) {
      update = workerPool.executeBlocking(() -> runBlocking(request, context), false);
    } else {
      update = vertx.executeBlocking(() -> runBlocking(request, context), false);
    }
    update.onComplete(result -> {
      if (result.succeeded()) {
        message.reply(new NodeReply(result.result()));
      } else {
        message.reply(new FailureReply(failure(request, result.cause())));
      }
    });
  }

  private Future<Map<String, Object>> runAsync(NodeRequest request, ExecutionContext context) {
    Future<?> output;
    try {
      output = node.async().apply(request.input(), context);
    } catch (Throwable t) {
      return Future.failedFuture(t);
    }
    if (output == null) {
      return Future.failedFuture(new IllegalStateException("Node '" + node.name()
          + "' returned null instead of a Future; return Future.succeededFuture(update) or a failed future."));
    }
    return output.map(value -> toUpdate(request, value));
  }

  private Map<String, Object> runBlocking(NodeRequest request, ExecutionContext context) throws Exception {
    return toUpdate(request, node.blocking().apply(request.input(), context));
  }

  /** The node's output as a frozen update; output that cannot be one is the node's invalid update. */
  private Map<String, Object> toUpdate(NodeRequest request, Object output) {
    try {
      return NodeOutputs.toUpdate(output, node.name());
    } catch (IllegalArgumentException e) {
      throw new InvalidUpdateException(e.getMessage(), graph, request.runId(), request.step(), null,
          List.of(node.name()));
    }
  }

  private NodeRequest read(Object body) {
    if (body instanceof NodeRequest) {
      return (NodeRequest) body;
    }
    if (body instanceof JsonObject) {
      return NodeRequest.fromJson((JsonObject) body);
    }
    throw new IllegalArgumentException("the body is " + (body == null ? "null" : "a " + body.getClass().getName())
        + "; a node request is a NodeRequest or its JSON form");
  }

  private GraphloopException failure(NodeRequest request, Throwable cause) {
    if (cause instanceof GraphloopException) {
      return (GraphloopException) cause;
    }
    return new NodeFailedException(graph, request.runId(), request.step(), node.name(), request.attempt(),
        request.maxAttempts(), cause);
  }
}
