package io.graphloop.agents;

import io.graphloop.graph.AsyncNode;
import io.graphloop.graph.NodeContext;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * LangGraph's {@code ToolNode}: runs the tool calls of the last AI message of the {@code messages} channel, all at
 * once (in parallel, on the node's event loop or, for blocking tools, on workers), and writes one {@link ToolMessage}
 * per call, in the calls' order. A call to an unknown tool and arguments that do not fit the tool each become an error
 * tool message for the model, with LangGraph's wording. A tool that fails fails the node (and so the run, unless the
 * node has a retry policy), as LangGraph 1.2.12's default {@code handle_tool_errors}; with
 * {@link #handleToolErrors(boolean) handleToolErrors(true)} its failure becomes an error tool message too
 * ({@code "Error: <Exception>('<message>')\n Please fix your mistakes."}, LangGraph's {@code handle_tool_errors=True}).
 *
 * <p>Immutable and thread-safe; one instance may serve many runs.
 */
public final class ToolNode implements AsyncNode {

  private final Map<String, Tool> tools = new LinkedHashMap<>();
  private final String messagesKey;
  private final boolean handleToolErrors;

  /**
   * A tool node over {@code tools}, reading and writing the {@code messages} channel; a failing tool fails the node
   * (LangGraph's default).
   */
  public ToolNode(List<Tool> tools) {
    this(tools, "messages", false);
  }

  private ToolNode(List<Tool> tools, String messagesKey, boolean handleToolErrors) {
    for (Tool tool : tools) {
      if (this.tools.put(tool.name(), tool) != null) {
        throw new IllegalArgumentException("Two tools are named '" + tool.name() + "'; tool names must be unique.");
      }
    }
    this.messagesKey = Objects.requireNonNull(messagesKey, "messagesKey");
    this.handleToolErrors = handleToolErrors;
  }

  /** The same node reading and writing channel {@code key}. */
  public ToolNode messagesKey(String key) {
    return new ToolNode(List.copyOf(tools.values()), key, handleToolErrors);
  }

  /**
   * The same node, with a failing tool's error returned to the model as an error tool message ({@code true}) or
   * failing the node ({@code false}, the default, as LangGraph's). Unknown tools and arguments that do not fit become
   * error messages either way.
   */
  public ToolNode handleToolErrors(boolean handle) {
    return new ToolNode(List.copyOf(tools.values()), messagesKey, handle);
  }

  /** The tools, by name. */
  public List<Tool> tools() {
    return List.copyOf(tools.values());
  }

  @Override
  public Future<?> apply(State state, NodeContext context) {
    AiMessage last = lastAiMessage(state, messagesKey);
    if (last == null) {
      return Future.failedFuture(new IllegalArgumentException("ToolNode found no AI message in channel '"
          + messagesKey + "'; it runs after a model node that answered with tool calls."));
    }
    List<Future<Message>> results = new ArrayList<>();
    for (ToolCall call : last.toolCalls()) {
      results.add(run(call, context));
    }
    return Future.all(results).map(all -> {
      List<Object> messages = new ArrayList<>();
      for (Future<Message> result : results) {
        messages.add(result.result());
      }
      return Map.of(messagesKey, messages);
    });
  }

  private Future<Message> run(ToolCall call, NodeContext context) {
    Tool tool = tools.get(call.name());
    if (tool == null) {
      return Future.succeededFuture(error(call, "Error: " + call.name() + " is not a valid tool, try one of ["
          + String.join(", ", tools.keySet()) + "]."));
    }
    Future<Object> result;
    try {
      result = tool.call(call.args(), context.vertx());
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    return result.<Message>map(value -> new ToolMessage(content(value), call.id(), call.name(), null,
        ToolMessage.SUCCESS)).recover(e -> {
          if (e instanceof IllegalArgumentException && e.getMessage() != null
              && e.getMessage().contains("do not fit tool")) {
            return Future.succeededFuture(error(call, "Error invoking tool '" + call.name() + "' with kwargs "
                + new JsonObject(call.args()).encode() + " with error:\n " + e.getMessage()
                + "\n Please fix the error and try again."));
          }
          if (!handleToolErrors) {
            return Future.failedFuture(e);
          }
          return Future.succeededFuture(error(call, "Error: " + e.getClass().getSimpleName() + "('"
              + e.getMessage() + "')\n Please fix your mistakes."));
        });
  }

  private static ToolMessage error(ToolCall call, String text) {
    return new ToolMessage(text, call.id(), call.name(), null, ToolMessage.ERROR);
  }

  private static Object content(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return String.valueOf(value);
    }
    if (value instanceof Map<?, ?> map) {
      return new JsonObject(new LinkedHashMap<>(castMap(map))).encode();
    }
    if (value instanceof List<?> list) {
      return new JsonArray(new ArrayList<>(list)).encode();
    }
    return io.vertx.core.json.Json.encode(value);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }

  /** The last message of channel {@code key} if it is an AI message, else null. */
  static AiMessage lastAiMessage(State state, String key) {
    Object held = state.get(key);
    if (!(held instanceof List<?> list) || list.isEmpty()) {
      return null;
    }
    Message last = Message.from(list.get(list.size() - 1));
    return last instanceof AiMessage ai ? ai : null;
  }
}
