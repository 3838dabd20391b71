package io.graphloop.protocol;

import io.graphloop.engine.Task;
import io.graphloop.engine.TaskResult;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A node's successful reply: its partial update, already frozen by the node verticle (so a node that
 * keeps and later changes the map it returned changes nothing). JSON form: {@code {"update": {...}}}.
 *
 * <p>Immutable.
 *
 * @param update the channels the node writes
 */
public record NodeReply(Map<String, Object> update) {

  /** The result of {@code task} that this reply reports. */
  public TaskResult toResult(Task task) {
    return new TaskResult(task, update);
  }

  public JsonObject toJson() {
    return new JsonObject().put("update", new JsonObject(update));
  }

  public static NodeReply fromJson(JsonObject json) {
    JsonObject update = Json.optionalObject(json, "update", "the node reply");
    return new NodeReply(update == null ? Map.of() : Values.freezeUpdate(update.getMap(), "a node's update"));
  }

  /** Its codec. */
  public static final class Codec extends JsonBodyCodec<NodeReply> {
    public Codec() {
      super("graphloop.NodeReply");
    }

    @Override
    JsonObject toJson(NodeReply body) {
      return body.toJson();
    }

    @Override
    NodeReply fromJson(JsonObject json) {
      return NodeReply.fromJson(json);
    }
  }
}
