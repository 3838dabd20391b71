package io.graphloop.examples;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The README's "Human in the loop": an approval step that waits for a person's answer. {@code draft} writes a text,
 * {@code approve} asks a person with {@code ctx.interrupt(...)}: the run stops as interrupted and reports the
 * question; the answer comes back with {@code Command.resume(answer)} on the same thread, {@code approve} runs
 * again from its start and this time {@code interrupt} returns the answer; the graph then publishes or discards.
 * Run it with {@code java -cp target/graphloop.jar io.graphloop.examples.Approval} and answer on the terminal
 * (with no terminal and nothing piped in, it answers {@code yes} itself).
 *
 * <p>{@link #run(Vertx, String)} is used by a test, so the README's code stays true.
 */
public final class Approval {

  private Approval() {
  }

  /** The graph: START -> draft -> approve -> (publish | discard) -> END. */
  public static CompiledGraph graph() {
    return new StateGraph("approval")
        .addNode("draft", state -> Future.succeededFuture(Map.of(
            "draft", "Graphloop " + state.getString("version") + " is out: threads, time travel, human in the loop.")))
        .addNode("approve", (state, ctx) -> {
          Object answer = ctx.interrupt(Map.of(                  // stops the run; returns the answer on resume
              "question", "Publish this announcement? (yes/no)",
              "draft", state.getString("draft")));
          return Future.succeededFuture(Map.of("approved", "yes".equalsIgnoreCase(String.valueOf(answer).trim())));
        })
        .addNode("publish", state -> Future.succeededFuture(Map.of("outcome", "published")))
        .addNode("discard", state -> Future.succeededFuture(Map.of("outcome", "discarded")))
        .addEdge(START, "draft").addEdge("draft", "approve")
        .addConditionalEdges("approve", state -> state.getBoolean("approved") ? "publish" : "discard")
        .addEdge("publish", END).addEdge("discard", END)
        .compile();
  }

  /** Runs the example, answering {@code answer}; the future holds the final state. */
  public static Future<State> run(Vertx vertx, String answer) {
    return run(vertx, question -> Future.succeededFuture(answer));
  }

  /**
   * Deploys the graph with a checkpointer, starts a run on a thread, hands the question to {@code person} and
   * resumes the thread with the answer; undeploys afterwards. The future holds the final state.
   */
  public static Future<State> run(Vertx vertx, Function<Map<String, Object>, Future<String>> person) {
    GraphRuntimeOptions options = new GraphRuntimeOptions()
        .setCheckpointer(new JsonObject().put("type", "memory"));   // {"type": "sqlite", "dataDir": "data"} to keep it
    return GraphRuntime.deploy(vertx, graph(), options).compose(runtime -> {
      GraphClient client = runtime.client();
      RunOptions thread = new RunOptions().setThreadId("release-42");
      return client.run(Map.of("version", "1.0"), thread)
          .compose(first -> {
            if (!first.isInterrupted()) {
              return Future.succeededFuture(first);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> question = (Map<String, Object>) first.interrupts().get(0).get("value");
            return person.apply(question)                             // as long as the person needs
                .compose(answer -> client.run(Command.resume(answer), thread));
          })
          .map(RunResult::values)
          .eventually(runtime::undeploy);
    });
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      State state = run(vertx, question -> vertx.executeBlocking(() -> ask(question), false))
          .toCompletionStage().toCompletableFuture().get();
      System.out.println(state.toJson().encode());
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  /** Asks on the terminal (a worker thread: reading blocks); no terminal and nothing piped in: "yes". */
  private static String ask(Map<String, Object> question) throws IOException {
    System.out.println(question.get("draft"));
    System.out.println(question.get("question"));
    if (System.console() == null && System.in.available() == 0) {
      System.out.println("(no terminal: answering yes)");
      return "yes";
    }
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return line == null || line.isBlank() ? "yes" : line.trim();
  }
}
