package io.graphloop.agents;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.List;
import java.util.Map;

/**
 * A chat message, as LangChain's {@code BaseMessage}: {@link SystemMessage}, {@link HumanMessage}, {@link AiMessage}
 * (possibly with tool calls), {@link ToolMessage} (a tool's answer to one call) and {@link RemoveMessage} (deletes a
 * message from a {@code messages} channel by id). The content is text (a {@code String}) or a list of content blocks
 * (maps such as {@code {"type": "text", "text": "..."}}).
 *
 * <p>In the state a message is stored as LangChain's JSON message format ({@link #toMap()}, the shape of Python's
 * {@code message.model_dump()}), so LangGraph's SDKs and UIs show it; {@link #from(Object)} reads that format back, and
 * also the shorthands LangChain accepts ({@code {"role": "user", "content": "..."}}, {@code ["user", "..."]}, a plain
 * string). Writing a message object into the state stores its map (Jackson uses {@link #toMap()}).
 *
 * <p>Messages are immutable records; thread-safe.
 */
public sealed interface Message permits SystemMessage, HumanMessage, AiMessage, ToolMessage, RemoveMessage {

  /** LangChain's type name: {@code system}, {@code human}, {@code ai}, {@code tool} or {@code remove}. */
  String type();

  /** The message's id, or null until a {@code messages} channel assigns one. */
  String id();

  /** The content: a {@code String} or a list of content blocks. */
  Object content();

  /** This message in LangChain's JSON message format (a new mutable, ordered map). */
  @JsonValue
  Map<String, Object> toMap();

  /** The same message with {@code id}. */
  Message withId(String id);

  /** The text of the content: the string itself, or the {@code text} of its text blocks, concatenated. */
  default String text() {
    return Contents.text(content());
  }

  /**
   * The message {@code value} stands for: a {@code Message}, a map in LangChain's format or OpenAI's
   * ({@code role}/{@code type}, {@code content}, and optional {@code id}, {@code name}, {@code tool_calls},
   * {@code tool_call_id} ...), a two-element list {@code [role, content]}, or a string (a human message).
   *
   * @throws IllegalArgumentException when {@code value} is none of these, saying what was wrong and what is accepted
   */
  static Message from(Object value) {
    return MessageCoercion.from(value);
  }

  /** A system message with text content. */
  static SystemMessage system(String text) {
    return new SystemMessage(text, null);
  }

  /** A human message with text content. */
  static HumanMessage human(String text) {
    return new HumanMessage(text, null);
  }

  /** An AI message with text content and no tool calls. */
  static AiMessage ai(String text) {
    return new AiMessage(text, List.of(), null);
  }

  /** An AI message that calls tools. */
  static AiMessage ai(String text, List<ToolCall> toolCalls) {
    return new AiMessage(text, toolCalls, null);
  }

  /** A tool's successful answer to the call {@code toolCallId}. */
  static ToolMessage tool(String content, String toolCallId, String toolName) {
    return new ToolMessage(content, toolCallId, toolName, null, ToolMessage.SUCCESS);
  }

  /** Deletes the message {@code id} from a {@code messages} channel. */
  static RemoveMessage remove(String id) {
    return new RemoveMessage(id);
  }

  /** Deletes every message of a {@code messages} channel (LangGraph's {@code REMOVE_ALL_MESSAGES}). */
  static RemoveMessage removeAll() {
    return new RemoveMessage(RemoveMessage.ALL);
  }
}
