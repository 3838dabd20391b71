package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.engine.SubgraphOutputs;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.graph.Subgraph;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.protocol.RunOptions;
import io.graphloop.protocol.StreamEvent;
import io.graphloop.protocol.StreamMode;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Runs a subgraph node: maps the parent's snapshot to the child's input, runs the child graph through the event
 * bus as a run of its own (streamed in the parent's modes when the parent run is streamed, each child event
 * forwarded to the parent's coordinator under the namespace {@code "<node>:<run>:<step>"}), and maps the child's
 * final state back to the parent's update. A failed child run fails the node with the child's failure as cause.
 *
 * <p>Thread rules: started on the subgraph node verticle's event loop; the child's stream handlers run there.
 */
final class SubgraphExecution {

  private SubgraphExecution() {
  }

  static Future<Object> run(Vertx vertx, CompiledGraph parentGraph, NodeDefinition node, NodeRequest request) {
    Subgraph subgraph = node.subgraph();
    State parent = request.input();
    Map<String, Object> input;
    try {
      input = subgraph.inputMapping() == null ? parent.asMap() : subgraph.inputMapping().apply(parent);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    GraphClient client = GraphClient.create(vertx, subgraph.graph().name());
    RunOptions options = new RunOptions().setConfig(new JsonObject(request.config()));
    if (request.timeoutMs() > 0) {
      options.setTimeoutMs(request.timeoutMs());
    }
    Future<State> child = request.eventsTo() == null || request.streamModes().isEmpty()
        ? client.invoke(input, options)
        : streamed(vertx, client, input, options, node, request);
    return child.<Object>map(result -> subgraph.outputMapping() == null
            ? SubgraphOutputs.delta(parentGraph, parent, result)
            : subgraph.outputMapping().apply(result, parent))
        .recover(failure -> Future.failedFuture(new NodeFailedException(request.graph(), request.runId(),
            request.step(), node.name(), request.attempt(), request.maxAttempts(), failure)));
  }

  private static Future<State> streamed(Vertx vertx, GraphClient client, Map<String, Object> input, RunOptions options,
                                        NodeDefinition node, NodeRequest request) {
    StreamMode[] modes = request.streamModes().stream().map(StreamMode::of).toArray(StreamMode[]::new);
    String namespace = node.name() + ":" + request.runId() + ":" + request.step();
    Promise<State> done = Promise.promise();
    RunEventStream stream = client.stream(input, options, modes);
    stream.exceptionHandler(done::tryFail);
    stream.handler(event -> {
      if (StreamEvent.END.equals(event.event())) {
        Object values = event.data().get("values");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = values instanceof Map ? (Map<String, Object>) values : Map.of();
        done.tryComplete(State.of(map));
      } else {
        vertx.eventBus().send(request.eventsTo(), new JsonObject().put("runId", request.runId())
            .put("ns", namespace).put("forward", event.toJson()));
      }
    });
    return done.future();
  }
}
