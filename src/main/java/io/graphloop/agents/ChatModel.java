package io.graphloop.agents;

import io.graphloop.graph.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.util.List;
import java.util.Map;

/**
 * A chat model: given the conversation, it answers with an {@link AiMessage} (text, or tool calls when
 * {@link ChatRequest#tools()} are offered). {@link OpenAiChatModel} speaks OpenAI's chat completions API.
 *
 * <p>Token streaming (LangGraph's {@code messages} stream mode): a model invoked inside a node whose run streams
 * messages streams its answer and sends each chunk on the run's stream ({@link NodeContext#emitMessage}), without the
 * node doing anything: {@link #invoke(List, ChatRequest)} finds the node through {@link NodeContext#current()} (set
 * while the node's function runs); from a callback that runs later, pass the context:
 * {@link #invoke(List, ChatRequest, NodeContext)}.
 *
 * <p>Thread rules: call from a Vert.x context (a node's event loop); the futures complete, and the chunk handler is
 * called, on that context. Implementations never block.
 */
public interface ChatModel {

  /**
   * The model's answer to {@code messages}; inside a node whose run streams messages, streamed to the run's stream
   * as it comes. Implementations call {@link #invoke(List, ChatRequest, NodeContext)} with
   * {@link NodeContext#current()}.
   */
  Future<AiMessage> invoke(List<Message> messages, ChatRequest request);

  /**
   * The model's answer to {@code messages}, its chunks sent on {@code ctx}'s {@code messages} stream when the run
   * streams it ({@link NodeContext#streamsMessages()}); a plain call otherwise, or when {@code ctx} is null. The
   * default streams through {@link #stream} and ignores the chunk futures (no back-pressure); implementations that
   * can pause their source should override it.
   */
  default Future<AiMessage> invoke(List<Message> messages, ChatRequest request, NodeContext ctx) {
    if (ctx == null || !ctx.streamsMessages()) {
      return invoke(messages, request);
    }
    Map<String, Object> metadata = frozenMetadata(streamMetadata()); // frozen once, not per chunk
    return stream(messages, request, chunk -> ctx.emitMessage(chunk, metadata));
  }

  /**
   * {@code metadata} made immutable once per answer, so that {@link NodeContext#emitMessage} takes it as it is for
   * each chunk instead of copying it again.
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> frozenMetadata(Map<String, Object> metadata) {
    return metadata == null ? Map.of() : (Map<String, Object>) io.graphloop.state.Values.freeze(metadata,
        "the stream metadata of a chat model");
  }

  /**
   * The model's metadata on each streamed chunk (LangChain's {@code ls_provider}, {@code ls_model_name},
   * {@code ls_model_type}, ...).
   */
  default Map<String, Object> streamMetadata() {
    return Map.of("ls_model_type", "chat");
  }

  /**
   * The model's answer to {@code messages}, streamed: {@code onChunk} sees each piece as it arrives; the future
   * completes with the whole answer assembled from them.
   */
  Future<AiMessage> stream(List<Message> messages, ChatRequest request, Handler<AiMessageChunk> onChunk);
}
