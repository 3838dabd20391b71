package io.graphloop.examples;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The README's example: a research graph with an async node, a blocking node, a waiting join and a
 * conditional loop. Run it with {@code java -cp target/graphloop.jar io.graphloop.examples.QuickStart}.
 *
 * <p>{@link #graph()} and {@link #run(Vertx)} are used by the tests, so the README's code stays true.
 */
public final class QuickStart {

  private QuickStart() {
  }

  /** The example graph. */
  public static CompiledGraph graph() {
    return new StateGraph("research")
        .channel("notes", Channels.append())                       // concurrent writers append
        .addNode("search", (state, ctx) ->                          // async: returns a Future, never blocks
            ctx.vertx().timer(50).map(t -> Map.of("notes", List.of("web: " + state.getString("topic")))))
        .addBlockingNode("archive", state ->                        // blocking: runs on a worker thread
            Map.of("notes", List.of("archive: " + lookUpArchive(state.getString("topic")))))
        .addNode("write", state -> Future.succeededFuture(Map.of(
            "draft", "Draft " + (state.getInteger("revision") == null ? 1 : state.getInteger("revision") + 1)
                + " from " + state.getList("notes").size() + " notes",
            "revision", state.getInteger("revision") == null ? 1 : state.getInteger("revision") + 1)))
        .addEdge(START, "search")
        .addEdge(START, "archive")
        .addEdge(List.of("search", "archive"), "write")             // waiting join: write runs once, after both
        .addConditionalEdges("write",                               // loop until the second revision
            state -> state.getInteger("revision") < 2 ? "write" : END)
        .compile();
  }

  private static String lookUpArchive(String topic) {
    // Stands in for blocking I/O such as a JDBC query; fine here because this node runs on a worker thread.
    return topic.toUpperCase();
  }

  /** Deploys the graph on {@code vertx}, runs it once and undeploys it; the future holds the final state. */
  public static Future<State> run(Vertx vertx) {
    return GraphRuntime.deploy(vertx, graph()).compose(runtime ->
        runtime.client().invoke(Map.of("topic", "event loops"))
            .eventually(() -> runtime.undeploy()));
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    run(vertx)
        .onSuccess(state -> System.out.println(state))
        .onFailure(failure -> System.err.println("Run failed: " + failure.getMessage()))
        .eventually(vertx::close);
  }
}
