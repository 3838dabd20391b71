package io.graphloop.examples;

import io.graphloop.client.GraphClient;
import io.graphloop.func.Entrypoint;
import io.graphloop.func.Task;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The functional API (LangGraph's {@code @entrypoint} / {@code @task}): an entrypoint drafts an essay and counts its
 * words with two tasks, then asks a person to approve it ({@code interrupt}). The thread is resumed with the answer:
 * the entrypoint runs again from its start, but the two tasks are not run again (their results were stored on the
 * thread when they completed). Run it with {@code java -cp target/graphloop.jar io.graphloop.examples.FunctionalWorkflow}.
 *
 * <p>Thread rules: the entrypoint and its tasks run on the entrypoint node's event loop.
 */
public final class FunctionalWorkflow {

  /** How many times the draft task ran (once, however often the entrypoint runs). */
  static final AtomicInteger DRAFTS = new AtomicInteger();

  private FunctionalWorkflow() {
  }

  static final Task<String, String> DRAFT = Task.of("draft", (topic, ctx) -> {
    DRAFTS.incrementAndGet();
    return Future.succeededFuture("Graphloop runs " + topic + " on the Vert.x event bus.");
  });

  static final Task<String, Integer> COUNT = Task.blocking("count_words", (text, ctx) -> text.split("\\s+").length);

  /** The entrypoint {@code review}, compiled: a graph with one node. */
  public static CompiledGraph graph() {
    return Entrypoint.<String, Object>of("review", (topic, ctx) ->
        ctx.call(DRAFT, topic).compose(essay -> ctx.call(COUNT, essay).map(words -> {
          Object answer = ctx.interrupt(Map.of("essay", essay, "question", "Approve? (yes/no)"));
          return Map.of("essay", essay, "words", words, "approved", "yes".equals(answer));
        }))).compile();
  }

  /** Runs the workflow on a thread, answers {@code answer}, undeploys; the future holds the entrypoint's output. */
  public static Future<Object> run(Vertx vertx, String answer) {
    GraphRuntimeOptions options = new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory"));
    return GraphRuntime.deploy(vertx, graph(), options).compose(runtime -> {
      GraphClient client = runtime.client();
      RunOptions thread = new RunOptions().setThreadId("essay-1");
      return client.run(Entrypoint.input("LangGraph's functional API"), thread)
          .compose(asked -> {
            System.out.println("asked: " + asked.interrupts().get(0).get("value"));
            return client.run(Command.resume(answer), thread);    // the entrypoint runs again; its tasks do not
          })
          .map(Entrypoint::output)
          .eventually(runtime::undeploy);
    });
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Object output = run(vertx, "yes").toCompletionStage().toCompletableFuture().get();
      System.out.println("output: " + output);
      System.out.println("draft ran " + DRAFTS.get() + " time(s)");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
