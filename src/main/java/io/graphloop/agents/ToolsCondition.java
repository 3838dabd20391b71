package io.graphloop.agents;

import io.graphloop.graph.Router;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;

import java.util.List;

/**
 * LangGraph's {@code tools_condition}: routes to {@code "tools"} when the last message of the {@code messages} channel
 * is an AI message with tool calls, else to {@code END}. Use with
 * {@code addConditionalEdges("agent", ToolsCondition.INSTANCE, ToolsCondition.PATHS)}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ToolsCondition implements Router {

  /** Reads the {@code messages} channel and routes to {@code "tools"}. */
  public static final ToolsCondition INSTANCE = new ToolsCondition("messages", "tools");

  /** The destinations, for the graph's drawing and validation. */
  public static final List<String> PATHS = List.of("tools", StateGraph.END);

  private final String messagesKey;
  private final String toolsNode;

  public ToolsCondition(String messagesKey, String toolsNode) {
    this.messagesKey = messagesKey;
    this.toolsNode = toolsNode;
  }

  @Override
  public Object route(State state) {
    Object held = state.get(messagesKey);
    if (!(held instanceof List<?> list) || list.isEmpty()) {
      throw new IllegalArgumentException("No messages found in input state to tool_edge: channel '" + messagesKey
          + "' is empty");
    }
    AiMessage last = ToolNode.lastAiMessage(state, messagesKey);
    return last != null && last.hasToolCalls() ? toolsNode : StateGraph.END;
  }
}
