package io.graphloop.internal.engine;

import io.graphloop.graph.Command;
import io.graphloop.graph.Send;
import io.graphloop.state.StateJson;
import io.graphloop.state.Values;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what a node returned into a frozen partial update: {@code null} is no update, a {@code Map}
 * maps channels to values, and a record or bean contributes its non-null properties (so a typed
 * partial update leaves unset fields alone). A {@link Command} is read by {@link #toOutput}: its update,
 * its goto targets and its Sends (inputs frozen).
 *
 * <p>Stateless.
 */
public final class NodeOutputs {

  private NodeOutputs() {
  }

  /**
   * What the node's output means: a {@link Command}'s update, goto targets and Sends, or any other output
   * as a plain update (see {@link #toUpdate}). Goto targets are checked against the graph later, when the
   * next step is planned.
   *
   * @throws IllegalArgumentException when the output cannot be an update, or a value of the update or of a
   *                                  Send's input is not JSON-compatible, naming the node
   */
  public static NodeOutput toOutput(Object output, String node) {
    if (!(output instanceof Command)) {
      return new NodeOutput(toUpdate(output, node));
    }
    Command command = (Command) output;
    Map<String, Object> update = Values.freezeUpdate(command.update(), "the update of the Command of node '" + node
        + "'");
    List<Send> sends = new ArrayList<>(command.sends().size());
    for (Send send : command.sends()) {
      sends.add(send.frozen("node '" + node + "'"));
    }
    return new NodeOutput(update, command.goTo(), sends);
  }

  /**
   * The output as a plain update. A {@link Command} is accepted only without goto targets or Sends, since
   * this reads nothing else; use {@link #toOutput} to read them.
   *
   * @throws IllegalArgumentException when the output cannot be an update, saying what was returned and what
   *                                  a node may return
   */
  public static Map<String, Object> toUpdate(Object output, String node) {
    java.util.function.Supplier<String> where = () -> "the update of node '" + node + "'";
    if (output instanceof Command) {
      NodeOutput read = toOutput(output, node);
      if (!read.goTo().isEmpty() || !read.sends().isEmpty()) {
        throw new IllegalArgumentException("Node '" + node + "' returned " + output + ", but its goto and Sends "
            + "would be dropped here; read node outputs with NodeOutputs.toOutput.");
      }
      return read.update();
    }
    if (output instanceof Send || (output instanceof Iterable && containsSend((Iterable<?>) output))) {
      throw new IllegalArgumentException("Node '" + node + "' returned " + abbreviate(output) + "; a node sends with "
          + "Command.send(...) (routers of conditional edges return Sends directly).");
    }
    if (output == null) {
      return Map.of();
    }
    if (output instanceof Map) {
      return Values.freezeUpdate((Map<?, ?>) output, where);
    }
    if (output instanceof io.vertx.core.json.JsonObject) {
      return Values.freezeUpdate(((io.vertx.core.json.JsonObject) output).getMap(), where);
    }
    if (output instanceof CharSequence || output instanceof Number || output instanceof Boolean
        || output instanceof Iterable || output.getClass().isArray()) {
      throw new IllegalArgumentException("Node '" + node + "' returned " + output.getClass().getName()
          + " " + abbreviate(output) + "; a node returns a Map of channel updates, null for no update, "
          + "or a record/bean whose non-null properties are the updates, or a Command (update plus goto).");
    }
    Map<?, ?> properties;
    try {
      properties = StateJson.mapper().convertValue(output, Map.class);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Node '" + node + "' returned a " + output.getClass().getName()
          + " that Jackson cannot read as an update (" + e.getMessage() + "); return a Map of channel updates.", e);
    }
    Map<Object, Object> nonNull = new LinkedHashMap<>();
    properties.forEach((k, v) -> {
      if (v != null) {
        nonNull.put(k, v);
      }
    });
    return Values.freezeUpdate(nonNull, where);
  }

  private static boolean containsSend(Iterable<?> items) {
    for (Object item : items) {
      if (item instanceof Send) {
        return true;
      }
    }
    return false;
  }

  private static String abbreviate(Object output) {
    String text = String.valueOf(output);
    return text.length() > 60 ? "'" + text.substring(0, 57) + "...'" : "'" + text + "'";
  }
}
