package io.graphloop.agents;

import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * One scripted answer of {@link FakeChatServer}: text, tool calls, an HTTP error (with headers such as
 * {@code Retry-After}), or a dropped connection; streamed answers are split into tokens sent {@code tokenDelayMs}
 * apart after {@code firstTokenDelayMs}, and may drop the connection after {@code dropAfterChunks} chunks.
 *
 * @param content           the answer's text ("" for none)
 * @param toolCalls         the tool calls it makes
 * @param status            200, or the error status to answer with
 * @param errorBody         the body of an error answer
 * @param headers           extra response headers
 * @param firstTokenDelayMs wait before the first byte
 * @param tokenDelayMs      wait between streamed chunks
 * @param dropAfterChunks   close the connection after this many chunks (0: before any byte), or -1 never
 */
public record FakeReply(String content, List<ToolCall> toolCalls, int status, String errorBody,
    Map<String, String> headers, long firstTokenDelayMs, long tokenDelayMs, int dropAfterChunks) {

  public FakeReply {
    content = content == null ? "" : content;
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    errorBody = errorBody == null ? "" : errorBody;
  }

  /** Answers {@code content}. */
  public static FakeReply text(String content) {
    return new FakeReply(content, List.of(), 200, null, null, 0, 0, -1);
  }

  /** Calls tools. */
  public static FakeReply toolCalls(ToolCall... calls) {
    return new FakeReply("", List.of(calls), 200, null, null, 0, 0, -1);
  }

  /** Answers HTTP {@code status} with OpenAI's error body and {@code headers}. */
  public static FakeReply error(int status, String message, Map<String, String> headers) {
    String body = new JsonObject().put("error", new JsonObject().put("message", message)
        .put("type", status == 429 ? "rate_limit_exceeded" : "server_error")).encode();
    return new FakeReply("", List.of(), status, body, headers, 0, 0, -1);
  }

  /** Closes the connection without answering. */
  public static FakeReply drop() {
    return new FakeReply("", List.of(), 200, null, null, 0, 0, 0);
  }

  /** The same answer, streamed {@code tokenDelayMs} apart after {@code firstTokenDelayMs}. */
  public FakeReply delays(long firstTokenDelayMs, long tokenDelayMs) {
    return new FakeReply(content, toolCalls, status, errorBody, headers, firstTokenDelayMs, tokenDelayMs,
        dropAfterChunks);
  }

  /** The same answer, with the connection closed after {@code chunks} streamed chunks. */
  public FakeReply dropAfter(int chunks) {
    return new FakeReply(content, toolCalls, status, errorBody, headers, firstTokenDelayMs, tokenDelayMs, chunks);
  }
}
