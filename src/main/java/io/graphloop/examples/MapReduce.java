package io.graphloop.examples;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The README's map-reduce example: split a text into sentences, summarize every sentence in parallel with
 * one {@link Send} each (async nodes; a short timer stands in for a model call), then join the summaries.
 * Run it with {@code java -cp target/graphloop.jar io.graphloop.examples.MapReduce}.
 *
 * <p>{@link #graph()} and {@link #run(Vertx)} are used by the tests, so the README's code stays true.
 */
public final class MapReduce {

  static final String TEXT = "Vert.x runs every node on an event loop. Sends fan the work out at run time. "
      + "Reducers merge what comes back. The order never depends on timing.";

  private MapReduce() {
  }

  /** The example graph. */
  public static CompiledGraph graph() {
    return new StateGraph("map-reduce")
        .channel("summaries", Channels.append())                  // the Sends' writes meet here
        .addNode("split", state -> Future.succeededFuture(
            Map.of("parts", Arrays.asList(state.getString("text").split("(?<=\\.) ")))))
        .addNode("summarize", (part, ctx) ->                       // part: this Send's input, not the state
            ctx.vertx().timer(50)                                  // stands in for a model call
                .map(t -> Map.of("summaries", List.of(summarize(part.getString("part"))))))
        .addNode("join", state -> Future.succeededFuture(Map.of("summary",
            String.join(" / ", state.getList("summaries").stream().map(String::valueOf).toList()))))
        .addEdge(START, "split")
        .addConditionalEdges("split", state -> state.getList("parts").stream()
            .map(part -> new Send("summarize", Map.of("part", part))) // one task per part, all in the next step
            .toList())
        .addEdge("summarize", "join")                              // join runs once, after every summary
        .addEdge("join", END)
        .compile();
  }

  /** A stand-in for a model: the sentence's first three words. */
  private static String summarize(String sentence) {
    String[] words = sentence.split(" ");
    return String.join(" ", Arrays.copyOf(words, Math.min(3, words.length))) + "...";
  }

  /**
   * Deploys the graph on {@code vertx}, runs it once on {@link #TEXT} and undeploys it; the future holds the
   * final state.
   */
  public static Future<State> run(Vertx vertx) {
    return GraphRuntime.deploy(vertx, graph()).compose(runtime ->
        runtime.client().invoke(Map.of("text", TEXT))
            .eventually(() -> runtime.undeploy()));
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    run(vertx)
        .onSuccess(state -> System.out.println(state.getString("summary")))
        .onFailure(failure -> System.err.println("Run failed: " + failure.getMessage()))
        .eventually(vertx::close);
  }
}
