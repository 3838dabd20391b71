package io.graphloop.cli;

import io.graphloop.run.StreamEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the chat models of a run said, for {@code run}'s progress ({@link RunProgress}), from the run's {@code messages}
 * stream events: a model's streamed chunks (LangGraph's {@code AIMessageChunk}s) are put together per node execution
 * (step and node) into its text and its tool calls (a call's name and arguments arrive in fragments); a tool's
 * answer (a {@code tool} message) is a line of its own at once.
 *
 * <p>Bounded: a node execution's text keeps its first {@value #MAX_TEXT_CHARS} characters (then "..."), its calls
 * their first {@value #MAX_CALLS}; what a node said is dropped once shown ({@link #take}).
 *
 * <p>Not thread-safe: the CLI's main thread uses it, with {@link RunProgress}.
 */
final class ModelOutput {

  /** A node execution's text is cut to this many characters. */
  static final int MAX_TEXT_CHARS = 2_000;
  /** A node execution's tool calls beyond this many are not shown. */
  static final int MAX_CALLS = 32;

  private final Map<String, Said> said = new LinkedHashMap<>();

  /** What one node execution's model said so far. */
  static final class Said {
    private final StringBuilder text = new StringBuilder();
    private boolean cut;
    /** By the call's index in the message: [name, arguments]. */
    private final Map<Object, StringBuilder[]> calls = new LinkedHashMap<>();

    /** The text so far (possibly cut). */
    String text() {
      return cut ? text + "..." : text.toString();
    }

    private void append(String token) {
      int room = MAX_TEXT_CHARS - text.length();
      if (token.length() > room) {
        cut = true;
      }
      text.append(token, 0, Math.min(room, token.length()));
    }
  }

  /** The key of a node execution: its step and node. */
  static String key(long step, String node) {
    return "step " + step + " · " + node;
  }

  /**
   * A {@code messages} event. Returns the line to show at once (a tool's answer), or null: a model's chunk is kept
   * until its node execution ends ({@link #take}).
   */
  String onMessage(StreamEvent event) {
    Map<?, ?> message = map(event.data().get("message"));
    if (message == null) {
      return null;
    }
    String key = key(event.step(), event.node());
    Object type = message.get("type");
    if ("tool".equals(type)) {
      Object tool = message.get("name");
      return key + " · " + (tool == null ? "a tool" : tool) + " answered: " + oneLine(text(message.get("content")));
    }
    if (!"AIMessageChunk".equals(type) && !"ai".equals(type)) {
      return null;
    }
    Said now = said.computeIfAbsent(key, k -> new Said());
    now.append(text(message.get("content")));
    List<?> chunks = list(message.get("tool_call_chunks"));
    if (chunks != null) {
      for (Object chunk : chunks) {
        Map<?, ?> call = map(chunk);
        Object index = call == null ? null : String.valueOf(call.get("index")); // 0 as an int or a long: one call
        if (call != null && (now.calls.size() < MAX_CALLS || now.calls.containsKey(index))) {
          StringBuilder[] parts = now.calls.computeIfAbsent(index,
              k -> new StringBuilder[] {new StringBuilder(), new StringBuilder()});
          if (call.get("name") instanceof String name && parts[0].length() == 0) {
            parts[0].append(name);
          }
          if (call.get("args") instanceof String args && parts[1].length() < MAX_TEXT_CHARS) {
            parts[1].append(args);
          }
        }
      }
    }
    return null;
  }

  /** The text a node execution's model has streamed so far ("" for none): for a terminal's status line. */
  String streaming(String key) {
    Said now = said.get(key);
    return now == null ? "" : now.text();
  }

  /** The lines of what node execution {@code key}'s model said (its calls, then its text), now forgotten. */
  List<String> take(String key) {
    Said done = said.remove(key);
    List<String> lines = new ArrayList<>();
    if (done == null) {
      return lines;
    }
    for (StringBuilder[] call : done.calls.values()) {
      lines.add(key + " · calls " + call[0] + " " + oneLine(call[1].toString()));
    }
    String text = done.text();
    if (!text.isBlank()) {
      lines.add(key + " · says: " + oneLine(text));
    }
    return lines;
  }

  /** Every node execution's lines not yet taken (a run that ended without their task's end), now forgotten. */
  List<String> takeAll() {
    List<String> lines = new ArrayList<>();
    for (String key : List.copyOf(said.keySet())) {
      lines.addAll(take(key));
    }
    return lines;
  }

  /** A message's content as text: a string, or the text of its blocks. */
  private static String text(Object content) {
    if (content instanceof String s) {
      return s;
    }
    StringBuilder text = new StringBuilder();
    List<?> blocks = list(content);
    if (blocks != null) {
      for (Object block : blocks) {
        Map<?, ?> map = map(block);
        if (block instanceof String s) {
          text.append(s);
        } else if (map != null && map.get("text") instanceof String s) {
          text.append(s);
        }
      }
    }
    return text.toString();
  }

  /** {@code value} as a map: a Map, or a JsonObject (events that crossed the event bus carry Vert.x's JSON types). */
  private static Map<?, ?> map(Object value) {
    return value instanceof Map<?, ?> map ? map : value instanceof JsonObject json ? json.getMap() : null;
  }

  /** {@code value} as a list: a List, or a JsonArray. */
  private static List<?> list(Object value) {
    return value instanceof List<?> list ? list : value instanceof JsonArray json ? json.getList() : null;
  }

  private static String oneLine(String text) {
    String line = text.replace('\n', ' ').replace('\r', ' ');
    return line.length() <= MAX_TEXT_CHARS ? line : line.substring(0, MAX_TEXT_CHARS) + "...";
  }
}
