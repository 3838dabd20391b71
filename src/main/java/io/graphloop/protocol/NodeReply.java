package io.graphloop.protocol;

import io.graphloop.internal.engine.NodeOutput;
import io.graphloop.internal.engine.Task;
import io.graphloop.internal.engine.TaskResult;
import io.graphloop.graph.Send;
import io.graphloop.state.JsonFields;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A node's successful reply: its partial update, already frozen by the node instance (so a node that
 * keeps and later changes the map it returned changes nothing), and, when the node returned a
 * {@code Command}, its goto targets and its Sends (inputs frozen).
 * JSON form: {@code {"update": {...}, "goto": ["b"], "sends": [{"node": "x", "input": {...}}]}}, where
 * {@code goto} and {@code sends} are left out when empty.
 *
 * <p>Immutable.
 *
 * @param update the channels the node writes
 * @param goTo   the nodes (or END) the node's Command goes to, in the order given
 * @param sends  the Sends of the node's Command, in the order given
 */
public record NodeReply(Map<String, Object> update, List<String> goTo, List<Send> sends) {

  private static final String WHERE = "the node reply";

  public NodeReply {
    goTo = goTo == null ? List.of() : List.copyOf(goTo);
    sends = sends == null ? List.of() : List.copyOf(sends);
  }

  /** A reply with a plain update, no routing. */
  public NodeReply(Map<String, Object> update) {
    this(update, List.of(), List.of());
  }

  /** The reply reporting a node's read output. */
  public static NodeReply of(NodeOutput output) {
    return new NodeReply(output.update(), output.goTo(), output.sends());
  }

  /** The result of {@code task} that this reply reports. */
  public TaskResult toResult(Task task) {
    return new TaskResult(task, update, goTo, sends);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("update", new JsonObject(update));
    if (!goTo.isEmpty()) {
      json.put("goto", new JsonArray(new ArrayList<>(goTo)));
    }
    if (!sends.isEmpty()) {
      JsonArray array = new JsonArray();
      for (Send send : sends) {
        array.add(new JsonObject().put("node", send.node()).put("input", new JsonObject(send.input())));
      }
      json.put("sends", array);
    }
    return json;
  }

  public static NodeReply fromJson(JsonObject json) {
    JsonObject update = JsonFields.optionalObject(json, "update", WHERE);
    List<String> goTo = new ArrayList<>();
    JsonArray gotoArray = JsonFields.optionalArray(json, "goto", WHERE);
    if (gotoArray != null) {
      for (Object target : gotoArray) {
        if (!(target instanceof String)) {
          throw new IllegalArgumentException("Field 'goto' of " + WHERE + " must hold node names (strings), but holds "
              + target + ".");
        }
        goTo.add((String) target);
      }
    }
    List<Send> sends = new ArrayList<>();
    JsonArray sendArray = JsonFields.optionalArray(json, "sends", WHERE);
    if (sendArray != null) {
      for (Object item : sendArray) {
        if (!(item instanceof JsonObject)) {
          throw new IllegalArgumentException("Field 'sends' of " + WHERE + " must hold objects {\"node\": ..., "
              + "\"input\": {...}}, but holds " + item + ".");
        }
        String where = "a Send of " + WHERE;
        String node = JsonFields.requiredString((JsonObject) item, "node", where);
        JsonObject input = JsonFields.optionalObject((JsonObject) item, "input", where);
        sends.add(new Send(node, input == null ? Map.of() : input.getMap()).frozen("a node reply"));
      }
    }
    return new NodeReply(update == null ? Map.of() : Values.freezeUpdate(update.getMap(), "a node's update"), goTo,
        sends);
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
