package io.graphloop.agents;

import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.List;

/**
 * A chat model: given the conversation, it answers with an {@link AiMessage} (text, or tool calls when
 * {@link ChatRequest#tools()} are offered). {@link OpenAiChatModel} speaks OpenAI's chat completions API.
 *
 * <p>Thread rules: call from a Vert.x context (a node's event loop); the futures complete, and the chunk handler is
 * called, on that context. Implementations never block.
 */
public interface ChatModel {

  /** The model's answer to {@code messages}. */
  Future<AiMessage> invoke(List<Message> messages, ChatRequest request);

  /**
   * The model's answer to {@code messages}, streamed: {@code onChunk} sees each piece as it arrives; the future
   * completes with the whole answer assembled from them.
   */
  Future<AiMessage> stream(List<Message> messages, ChatRequest request, Handler<AiMessageChunk> onChunk);
}
