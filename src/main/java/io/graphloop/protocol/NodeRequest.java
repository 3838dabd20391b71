package io.graphloop.protocol;

import io.graphloop.state.State;
import io.vertx.core.json.JsonObject;

/**
 * The coordinator's request to execute one node, sent to {@code graphloop.<graph>.node.<name>}.
 * Inside a JVM the snapshot travels by reference: every node of a step receives the same {@link State}.
 *
 * <p>Immutable.
 *
 * @param graph       the graph's name
 * @param runId       the run's id
 * @param step        the superstep
 * @param node        the node to execute
 * @param attempt     the attempt, from 1
 * @param maxAttempts the attempts the node's policy allows
 * @param input       the snapshot the node receives
 */
public record NodeRequest(String graph, String runId, int step, String node, int attempt, int maxAttempts,
                          State input) {

  public JsonObject toJson() {
    return new JsonObject().put("graph", graph).put("runId", runId).put("step", step).put("node", node)
        .put("attempt", attempt).put("maxAttempts", maxAttempts).put("input", input.toJson());
  }

  public static NodeRequest fromJson(JsonObject json) {
    String where = "the node request";
    JsonObject input = Json.optionalObject(json, "input", where);
    return new NodeRequest(Json.requiredString(json, "graph", where), Json.requiredString(json, "runId", where),
        Json.optionalInt(json, "step", 0, where), Json.requiredString(json, "node", where),
        Json.optionalInt(json, "attempt", 1, where), Json.optionalInt(json, "maxAttempts", 1, where),
        input == null ? State.empty() : State.of(input.getMap()));
  }

  /** Its codec. */
  public static final class Codec extends JsonBodyCodec<NodeRequest> {
    public Codec() {
      super("graphloop.NodeRequest");
    }

    @Override
    JsonObject toJson(NodeRequest body) {
      return body.toJson();
    }

    @Override
    NodeRequest fromJson(JsonObject json) {
      return NodeRequest.fromJson(json);
    }
  }
}
