package io.graphloop.examples;

import io.graphloop.client.RunEventStream;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The README's streaming example: a node that emits tokens while it runs, streamed in the {@code updates} and
 * {@code custom} modes. Run it with {@code java -cp target/graphloop.jar io.graphloop.examples.StreamingExample}.
 *
 * <p>{@link #run(Vertx)} is used by a test.
 */
public final class StreamingExample {

  private StreamingExample() {
  }

  public static CompiledGraph graph() {
    return new StateGraph("chat")
        .addNode("model", (state, ctx) -> {
          for (String token : List.of("Hello", ",", " world")) {
            ctx.emit(Map.of("token", token));                       // a "custom" event, as it is produced
          }
          return Future.succeededFuture(Map.of("reply", "Hello, world"));
        })
        .addEdge(START, "model").addEdge("model", END)
        .compile();
  }

  /** Streams one run; the future holds one line per event: {@code seq event node data}. */
  public static Future<List<String>> run(Vertx vertx) {
    return GraphRuntime.deploy(vertx, graph()).compose(runtime -> {
      Promise<List<String>> lines = Promise.promise();
      vertx.runOnContext(v -> {                                        // consume on an event loop
        List<String> out = new ArrayList<>();
        RunEventStream stream = runtime.client().stream(Map.of("prompt", "hi"), new RunOptions(),
            StreamMode.UPDATES, StreamMode.CUSTOM);
        stream.handler((StreamEvent event) -> out.add(event.seq() + " " + event.event() + " "
            + (event.node() == null ? "-" : event.node()) + " " + event.data()));
        stream.exceptionHandler(lines::tryFail);
        stream.endHandler(end -> lines.tryComplete(out));
      });
      return lines.future().eventually(runtime::undeploy);
    });
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    run(vertx).onComplete(result -> {
      if (result.succeeded()) {
        result.result().forEach(System.out::println);
      } else {
        System.out.println("failed: " + result.cause());
      }
      vertx.close();
    });
  }
}
