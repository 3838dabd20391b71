package io.graphloop.examples;

import io.graphloop.agents.ChatModel;
import io.graphloop.agents.ChatRequest;
import io.graphloop.agents.Message;
import io.graphloop.agents.OpenAiChatModel;
import io.graphloop.agents.OpenAiOptions;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeContext;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
import io.graphloop.store.SearchRequest;
import io.graphloop.store.StoreItem;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The seed made real, the CLI's example graph {@code research}: {@code start -> (llm, db) -> END} as the seed
 * ({@link SeedGraph}), where {@code llm} asks a chat model (OpenAI-compatible, through {@link OpenAiChatModel} on the
 * deployment's {@code WebClient}) and {@code db} searches the deployment's long-term store (SQLite, PostgreSQL or
 * memory: {@code ctx.store()}) for documents, both without blocking and in the same superstep, so a run takes about
 * the slower of the two, not their sum.
 *
 * <p>Input {@code {"query": "...", "topic": "..."}} ({@code topic} optional). {@code llm} writes {@code llm_result}
 * (the model's answer to the query); {@code db} writes {@code db_result}, the {@code text} of up to
 * {@value #MAX_DOCUMENTS} documents under namespace {@code ["docs"]} (with {@code topic}: only those whose value has
 * that {@code topic}), in the store's order. The model is configured from the environment ({@code OPENAI_BASE_URL},
 * {@code OPENAI_API_KEY}, {@code GRAPHLOOP_MODEL}; see {@link OpenAiOptions#fromConfig}); the store is the
 * deployment's ({@code GraphRuntimeOptions.setStore}; {@code serve} gives its nodes the store {@code /store/*} serves).
 *
 * <p>Stateless and thread-safe; every call compiles a new (immutable) graph.
 */
public final class ResearchExample {

  /** The graph's name. */
  public static final String NAME = "research";
  /** The store namespace {@code db} searches. */
  public static final List<String> DOCUMENTS = List.of("docs");
  /** The most documents {@code db} reads per run. */
  public static final int MAX_DOCUMENTS = 5;

  private ResearchExample() {
  }

  /** The graph on the model {@code model} names. */
  public static CompiledGraph graph(OpenAiOptions model) {
    OpenAiOptions options = new OpenAiOptions(Objects.requireNonNull(model, "model"));
    return new StateGraph(NAME)
        .addNode("start", state -> Future.succeededFuture())
        .addNode("llm", (state, ctx) -> ask(new OpenAiChatModel(ctx.vertx(), ctx.webClient(), options), state, ctx))
        .addNode("db", ResearchExample::search)
        .addEdge(START, "start")
        .addEdge("start", "llm")
        .addEdge("start", "db")
        .addEdge("llm", END)
        .addEdge("db", END)
        .compile();
  }

  /** The graph on the model the environment names. */
  public static CompiledGraph fromEnvironment() {
    return graph(OpenAiOptions.fromConfig(null, System.getenv()));
  }

  private static Future<Map<String, Object>> ask(ChatModel model, State state, NodeContext ctx) {
    String query = query(state);
    return model.invoke(List.of(Message.system("Answer in one or two sentences."), Message.human(query)),
        ChatRequest.NONE, ctx).map(answer -> Map.of("llm_result", answer.text()));
  }

  private static Future<Map<String, Object>> search(State state, NodeContext ctx) {
    query(state); // the same input check as llm's, so a bad input fails both the same way
    String topic = state.getString("topic");
    SearchRequest request = new SearchRequest(DOCUMENTS, topic == null ? null : Map.of("topic", topic),
        MAX_DOCUMENTS, 0, null);
    return ctx.store().search(request).map(items -> {
      List<String> texts = new ArrayList<>();
      for (StoreItem item : items) {
        Object text = item.value().get("text");
        texts.add(text == null ? item.key() : String.valueOf(text));
      }
      return Map.of("db_result", texts);
    });
  }

  private static String query(State state) {
    String query = state.getString("query");
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("Graph '" + NAME + "' needs a non-empty string 'query' in its input, e.g. "
          + "{\"query\": \"What is LangGraph?\"}; the input's keys were " + state.asMap().keySet() + ".");
    }
    return query;
  }
}
