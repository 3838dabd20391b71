package io.graphloop.examples;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.ThreadState;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The README's "Threads and checkpoints" and "Time travel": a chat whose memory is a thread. Two runs on one thread
 * (the second starts from the first's state), the thread's state and history, an update as a node, a replay from an
 * earlier checkpoint and a fork of it. Run it with
 * {@code java -cp target/graphloop.jar io.graphloop.examples.ThreadsExample}; it prints one line per step.
 *
 * <p>{@link #run(Vertx)} is used by a test, so the README's code stays true.
 */
public final class ThreadsExample {

  private ThreadsExample() {
  }

  /** START -> reply -> END; {@code reply} answers the last message, counting the conversation so far. */
  public static CompiledGraph graph() {
    return new StateGraph("chat")
        .channel("messages", Channels.append())                    // the conversation: every run appends to it
        .addNode("reply", state -> {
          List<Object> messages = state.getList("messages");
          return Future.succeededFuture(Map.of("messages",
              "reply to '" + messages.get(messages.size() - 1) + "' (message " + messages.size() + ")"));
        })
        .addEdge(START, "reply").addEdge("reply", END)
        .compile();
  }

  /** Runs the example; the future holds the lines it prints. */
  public static Future<List<String>> run(Vertx vertx) {
    List<String> out = new ArrayList<>();
    GraphRuntimeOptions options = new GraphRuntimeOptions()
        .setCheckpointer(new JsonObject().put("type", "memory"));  // or {"type": "sqlite", "dataDir": "data"}
    return GraphRuntime.deploy(vertx, graph(), options).compose(runtime -> {
      GraphClient client = runtime.client();
      RunOptions thread = new RunOptions().setThreadId("user-7");
      return client.run(Map.of("messages", "hi"), thread)
          .compose(first -> client.run(Map.of("messages", "how are you?"), thread))    // remembers "hi"
          .compose(second -> client.getState("user-7"))
          .compose(state -> {
            out.add("state: " + state.values().getList("messages") + " next=" + state.next());
            return client.getStateHistory("user-7", 10, null);                        // newest first
          })
          .compose(history -> {
            history.forEach(s -> out.add("history: step " + s.step() + " " + s.source() + " next=" + s.next()
                + " results=" + s.tasks().stream().map(task -> task.get("result")).toList())); // what each task wrote
            ThreadState secondInput = history.get(1);             // "how are you?" applied, reply due
            ThreadState firstExchange = history.get(2);           // after the first reply
            return client.proceed(new RunOptions().setThreadId("user-7")
                    .setCheckpointId(secondInput.checkpointId()))  // replay: reply runs again, on a new branch
                .compose(replayed -> {
                  out.add("replay: " + replayed.values().getList("messages"));
                  return client.updateState("user-7", firstExchange.checkpointId(),
                      Map.of("messages", "what's new?"), START);    // fork: another second message
                });
          })
          .compose(fork -> {
            out.add("fork: " + fork.source() + " " + fork.values().getList("messages") + " next=" + fork.next());
            return client.proceed(new RunOptions().setThreadId("user-7"));           // continue the fork
          })
          .map(forked -> {
            out.add("after fork: " + forked.values().getList("messages"));
            return out;
          })
          .eventually(runtime::undeploy);
    });
  }

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      run(vertx).toCompletionStage().toCompletableFuture().get().forEach(System.out::println);
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
