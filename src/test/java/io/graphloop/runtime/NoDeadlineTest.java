package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code Long.MAX_VALUE} as a deadline (the usual "no deadline") means no deadline: a run's {@code timeoutMs}, a
 * client's default and a node's {@code timeoutMs} of {@code Long.MAX_VALUE} must not overflow into a deadline in the
 * past (issue 11, item 11: such runs failed as timed out within a few ms). The node waits on a timer so that a
 * deadline that wrapped would fire first.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class NoDeadlineTest {

  private static CompiledGraph graph(String name, NodeOptions nodeOptions) {
    return new StateGraph(name)
        .addNode("wait", (state, c) -> c.vertx().timer(50).map(t -> Map.of("out", state.getInteger("in") + 1)),
            nodeOptions)
        .addEdge(START, "wait").addEdge("wait", END)
        .compile();
  }

  private static final RunOptions NO_DEADLINE = new RunOptions().setTimeoutMs(Long.MAX_VALUE);

  @Test
  void aRunWithoutDeadlineSentFromAnEventLoopSucceeds(Vertx vertx, VertxTestContext ctx) {
    GraphRuntime.deploy(vertx, graph("no-deadline-loop", new NodeOptions())).onComplete(ctx.succeeding(runtime ->
        vertx.runOnContext(v -> runtime.client().invoke(Map.of("in", 1), NO_DEADLINE)
            .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
              assertEquals(2, state.getInteger("out"));
              ctx.completeNow();
            }))))));
  }

  @Test
  void aRunWithoutDeadlineSentFromAPlainThreadSucceeds(Vertx vertx) throws Exception {
    GraphRuntime runtime = GraphRuntime.deploy(vertx, graph("no-deadline-thread", new NodeOptions()))
        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    State state = runtime.client().invoke(Map.of("in", 2), NO_DEADLINE).toCompletionStage().toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertEquals(3, state.getInteger("out"));
    assertEquals(4, runtime.client().invokeAndWait(Map.of("in", 3), NO_DEADLINE).getInteger("out"),
        "invokeAndWait's own wait must not wrap either");
  }

  @Test
  void aClientWhoseDefaultIsNoDeadlineRunsToTheEnd(Vertx vertx, VertxTestContext ctx) {
    GraphRuntime.deploy(vertx, graph("no-deadline-default", new NodeOptions())).onComplete(ctx.succeeding(runtime ->
        vertx.runOnContext(v -> GraphClient.create(vertx, "no-deadline-default", Long.MAX_VALUE)
            .invoke(Map.of("in", 4)).onComplete(ctx.succeeding(state -> ctx.verify(() -> {
              assertEquals(5, state.getInteger("out"));
              ctx.completeNow();
            }))))));
  }

  @Test
  void aNodeWithoutDeadlineIsWaitedFor(Vertx vertx, VertxTestContext ctx) {
    GraphRuntime.deploy(vertx, graph("no-deadline-node", new NodeOptions().setTimeoutMs(Long.MAX_VALUE)))
        .onComplete(ctx.succeeding(runtime -> vertx.runOnContext(v -> runtime.client().invoke(Map.of("in", 5))
            .onComplete(ctx.succeeding(state -> ctx.verify(() -> {
              assertEquals(6, state.getInteger("out"));
              ctx.completeNow();
            }))))));
  }

  @Test
  void aStreamedRunWithoutDeadlineEnds(Vertx vertx, VertxTestContext ctx) {
    GraphRuntime.deploy(vertx, graph("no-deadline-stream", new NodeOptions())).onComplete(ctx.succeeding(runtime ->
        vertx.runOnContext(v -> {
          Promise<StreamEvent> last = Promise.promise();
          RunEventStream stream = runtime.client().stream(Map.of("in", 6), NO_DEADLINE, StreamMode.VALUES);
          stream.handler(event -> {
            if (event.isTerminal()) {
              last.tryComplete(event);
            }
          });
          stream.exceptionHandler(ctx::failNow);
          last.future().onComplete(ctx.succeeding(end -> ctx.verify(() -> {
            assertEquals(StreamEvent.END, end.event());
            assertEquals(7, ((Map<?, ?>) end.data().get("values")).get("out"));
            ctx.completeNow();
          })));
        })));
  }
}
