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
 * {@code Command}, its goto targets and its Sends (inputs frozen); when the node returned several Commands that write
 * a channel more than once, its writes one by one, for the streams (LangGraph streams them so).
 * JSON form: {@code {"update": {...}, "goto": ["b"], "sends": [{"node": "x", "input": {...}}],
 * "writes": [{"foo": "a1"}, {"foo": "a2"}]}}, where {@code goto}, {@code sends} and {@code writes} are left out when
 * empty.
 *
 * <p>Immutable.
 *
 * @param update the channels the node writes
 * @param goTo   the nodes (or END) the node's Command goes to, in the order given
 * @param sends  the Sends of the node's Command, in the order given
 * @param writes the node's writes one by one ({@code {channel: value}} each, in the order returned) when it wrote a
 *               channel more than once (several Commands); empty otherwise. Only the streams read it: {@code update}
 *               is what the state takes
 */
public record NodeReply(Map<String, Object> update, List<String> goTo, List<Send> sends,
                        List<Map<String, Object>> writes) {

  private static final String WHERE = "the node reply";

  public NodeReply {
    goTo = goTo == null ? List.of() : List.copyOf(goTo);
    sends = sends == null ? List.of() : List.copyOf(sends);
    writes = writes == null ? List.of() : Values.frozenListOfMaps(writes);
  }

  /** A reply without separate writes. */
  public NodeReply(Map<String, Object> update, List<String> goTo, List<Send> sends) {
    this(update, goTo, sends, List.of());
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
        JsonObject sent = new JsonObject().put("node", send.node()).put("input", new JsonObject(send.input()));
        if (send.timeout() != null) {
          sent.put("timeout", send.timeout().toJson());
        }
        array.add(sent);
      }
      json.put("sends", array);
    }
    if (!writes.isEmpty()) {
      JsonArray array = new JsonArray();
      writes.forEach(write -> array.add(new JsonObject(write)));
      json.put("writes", array);
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
        sends.add(new Send(node, input == null ? Map.of() : input.getMap(),
            Send.timeoutOf(((JsonObject) item).getMap(), where)).frozen("a node reply"));
      }
    }
    List<Map<String, Object>> writes = new ArrayList<>();
    JsonArray writeArray = JsonFields.optionalArray(json, "writes", WHERE);
    if (writeArray != null) {
      for (Object item : writeArray) {
        if (!(item instanceof JsonObject) || ((JsonObject) item).size() != 1) {
          throw new IllegalArgumentException("Field 'writes' of " + WHERE + " must hold objects of one channel each "
              + "({\"channel\": value}), but holds " + item + ".");
        }
        writes.add(Values.freezeUpdate(((JsonObject) item).getMap(), "a node's write"));
      }
    }
    return new NodeReply(update == null ? Map.of() : Values.freezeUpdate(update.getMap(), "a node's update"), goTo,
        sends, writes);
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
