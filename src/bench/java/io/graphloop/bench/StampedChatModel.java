package io.graphloop.bench;

import io.graphloop.agents.AiMessage;
import io.graphloop.agents.AiMessageChunk;
import io.graphloop.agents.ChatModel;
import io.graphloop.agents.ChatRequest;
import io.graphloop.agents.Message;
import io.graphloop.graph.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.Handler;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For {@link AgentStreamBench}: a chat model that, inside a node, stamps ({@link System#nanoTime}) the benchmark words
 * of each streamed chunk as the model hands the chunk to Graphloop's stream ({@link NodeContext#emitMessage}), just
 * before the call: the instant a token enters the run's stream path, after the model's HTTP response reached the node
 * and the model client parsed it. The stamp and the client's read of the same token give that token's own latency
 * through Graphloop's stream path (coordinator, bus or inbox, {@code serve}'s SSE write and the HTTP hop to the
 * client), paired per token.
 *
 * <p>Everything else is the wrapped model's (its back-pressure included: the node's context is wrapped, not the
 * model's reading). The wrapping is a {@link Proxy} of the node's context: one reflective call per chunk, a few
 * hundred nanoseconds, inside the measured segment.
 *
 * <p>Thread rules: as the wrapped model's (called on the node's context); the stamps map is shared with the reader
 * threads and must be concurrent.
 */
final class StampedChatModel implements ChatModel {

  private final ChatModel model;
  private final Map<String, Long> stamps;
  private final Pattern word;

  private StampedChatModel(ChatModel model, Map<String, Long> stamps, Pattern word) {
    this.model = model;
    this.stamps = stamps;
    this.word = word;
  }

  /** {@code factory}'s models, each stamping the words {@code word} matches into {@code stamps}. */
  static Function<NodeContext, ChatModel> wrap(Function<NodeContext, ChatModel> factory, Map<String, Long> stamps,
                                               Pattern word) {
    return ctx -> new StampedChatModel(factory.apply(ctx), stamps, word);
  }

  @Override
  public Future<AiMessage> invoke(List<Message> messages, ChatRequest request) {
    return invoke(messages, request, NodeContext.current());
  }

  @Override
  public Future<AiMessage> invoke(List<Message> messages, ChatRequest request, NodeContext ctx) {
    return model.invoke(messages, request, ctx == null ? null : stamping(ctx));
  }

  @Override
  public Future<AiMessage> stream(List<Message> messages, ChatRequest request, Handler<AiMessageChunk> onChunk) {
    return model.stream(messages, request, onChunk);
  }

  @Override
  public Map<String, Object> streamMetadata() {
    return model.streamMetadata();
  }

  private NodeContext stamping(NodeContext ctx) {
    return (NodeContext) Proxy.newProxyInstance(NodeContext.class.getClassLoader(), new Class<?>[] {NodeContext.class},
        (proxy, method, args) -> {
          if (method.getName().equals("emitMessage") && args != null && args.length > 0
              && args[0] instanceof AiMessageChunk chunk && chunk.content() != null) {
            long now = System.nanoTime();
            Matcher found = word.matcher(chunk.content());
            while (found.find()) {
              stamps.put(found.group(), now);
            }
          }
          try {
            return method.invoke(ctx, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
