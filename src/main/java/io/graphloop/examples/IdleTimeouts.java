package io.graphloop.examples;

import io.graphloop.client.GraphClient;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.ExecutionInfo;
import io.graphloop.graph.NodeContext;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.graph.TimeoutPolicy;
import io.graphloop.run.RunOptions;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * The README's "Idle timeouts, heartbeats and execution info": a node under an idle timeout that heartbeats while it
 * works, one whose Send gives it a shorter idle timeout (and fails with it), and the execution info a node reads. Run
 * it with {@code java -cp target/graphloop.jar io.graphloop.examples.IdleTimeouts}.
 *
 * <p>{@link #run(Vertx)} is used by a test, so the README's code stays true.
 */
public final class IdleTimeouts {

  private IdleTimeouts() {
  }

  /** Five 100 ms chunks of work with a heartbeat after each: 500 ms in all, never 300 ms without progress. */
  static Future<Object> work(NodeContext ctx, int chunks) {
    Future<Object> done = Future.succeededFuture();
    for (int i = 0; i < chunks; i++) {
      done = done.compose(v -> ctx.vertx().timer(100).map(t -> {
        ctx.heartbeat();                   // or ctx.emit(...): any stream event is progress too
        return null;
      }));
    }
    return done;
  }

  /** The example graph. */
  public static CompiledGraph graph() {
    return new StateGraph("idle-timeouts")
        .addNode("crawl", (state, ctx) -> {
          ExecutionInfo info = ctx.executionInfo();   // thread, checkpoint id and namespace, attempt, first attempt
          return work(ctx, state.getInteger("chunks")).map(v -> Map.of("crawled", info.threadId() + " "
              + info.checkpointNs().replaceAll(":.*", ":<task>") + " attempt " + info.nodeAttempt()));
        }, new NodeOptions().setTimeout(TimeoutPolicy.of(60_000, 300, TimeoutPolicy.RefreshOn.AUTO)))
        .addConditionalEdges(START, state -> List.of(
            new Send("crawl", Map.of("chunks", 5)),                                  // the node's policy
            new Send("crawl", Map.of("chunks", 1), TimeoutPolicy.idle(50))))        // this task: 50 ms idle
        .addEdge("crawl", END)
        .compile();
  }

  /** Deploys the graph, runs it on a thread, and undeploys it; the future holds a short report. */
  public static Future<String> run(Vertx vertx) {
    GraphRuntimeOptions options = new GraphRuntimeOptions().setCheckpointer(new JsonObject().put("type", "memory"));
    return GraphRuntime.deploy(vertx, graph(), options).compose(runtime -> {
      GraphClient client = runtime.client();
      List<String> report = new ArrayList<>();
      return client.invoke(Map.of(), new RunOptions().setThreadId("crawl-1"))
          .transform(outcome -> {
            NodeTimeoutException e = (NodeTimeoutException) outcome.cause();
            report.add(e.kind().wireName() + " timeout of " + e.node() + ": " + e.idleTimeoutMs() + " ms (run "
                + e.runTimeoutMs() + " ms)");
            return Future.succeededFuture();
          })
          .compose(v -> runtime.undeploy())
          .compose(v -> GraphRuntime.deploy(vertx, new StateGraph("idle-timeouts-ok")
              .addNode("crawl", (state, ctx) -> work(ctx, 5).map(done -> Map.of("crawled",
                  ctx.threadId() + " " + ctx.checkpointNs().replaceAll(":.*", ":<task>"))),
                  new NodeOptions().setTimeout(TimeoutPolicy.idle(300)))
              .addEdge(START, "crawl").addEdge("crawl", END).compile(), options))
          .compose(ok -> ok.client().invoke(Map.of(), new RunOptions().setThreadId("crawl-2"))
              .map(state -> {
                report.add("crawled=" + state.getString("crawled"));
                return String.join("; ", report);
              })
              .eventually(ok::undeploy));
    });
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx();
    run(vertx).onComplete(result -> {
      System.out.println(result.succeeded() ? result.result() : "failed: " + result.cause());
      vertx.close();
    });
  }
}
