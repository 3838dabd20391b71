package io.graphloop.client;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@link GraphClient#localStreams()} on, a stream consumed on an event loop has its run coordinated on that loop
 * when a coordinator of the graph is there (issue 15: a token is handed from node to coordinator to consumer without
 * waking another loop's thread), and the count of such streams, which bounds them, goes back down as they end. Off
 * (the default), streamed runs are spread over the coordinators as before.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class StreamLoopAffinityTest {

  /** One node that records the thread it ran on and emits a custom event, as a node streaming tokens does. */
  private static CompiledGraph graph(String name, Set<String> nodeThreads) {
    return new StateGraph(name)
        .channel("log", Channels.append())
        .addNode("speak", (state, ctx) -> {
          nodeThreads.add(Thread.currentThread().getName());
          ctx.emit(Map.of("token", "hi"));
          return Future.succeededFuture(Map.of("log", "spoke"));
        })
        .addEdge(START, "speak").addEdge("speak", END)
        .compile();
  }

  @org.junit.jupiter.api.AfterEach
  void defaultLocalStreams() {
    System.clearProperty(GraphClient.LOCAL_STREAMS_PROPERTY);
  }

  @Test
  void streamsConsumedOnALoopRunTheirNodesOnThatLoop(Vertx vertx, VertxTestContext test) {
    System.setProperty(GraphClient.LOCAL_STREAMS_PROPERTY, "100");
    Set<String> nodeThreads = ConcurrentHashMap.newKeySet();
    Set<String> handlerThreads = ConcurrentHashMap.newKeySet();
    int streams = 12; // spread round robin, 12 runs would reach the coordinators of several loops
    GraphRuntime.deploy(vertx, graph("affine", nodeThreads)).onComplete(test.succeeding(runtime ->
        vertx.runOnContext(v -> {
          String consumer = Thread.currentThread().getName();
          List<Future<Integer>> ends = new ArrayList<>();
          for (int i = 0; i < streams; i++) {
            Promise<Integer> end = Promise.promise();
            List<StreamEvent> events = new ArrayList<>();
            RunEventStream stream = runtime.client().stream(Map.of("log", List.of()), new RunOptions(),
                StreamMode.CUSTOM, StreamMode.VALUES);
            stream.handler(event -> {
              handlerThreads.add(Thread.currentThread().getName());
              events.add(event);
            });
            stream.exceptionHandler(end::tryFail);
            stream.endHandler(done -> end.tryComplete(events.size()));
            ends.add(end.future());
          }
          Future.all(ends).onComplete(test.succeeding(all -> test.verify(() -> {
            for (Future<Integer> end : ends) {
              assertTrue(end.result() >= 3, "custom, values and end events: " + end.result());
            }
            assertEquals(Set.of(consumer), nodeThreads, "every run's node ran on the consumer's loop");
            assertEquals(Set.of(consumer), handlerThreads);
            assertEquals(0, ClientChannel.onThisLoop(vertx).localStreams(), "ended streams are not counted");
            test.completeNow();
          })));
        })));
  }

  @Test
  void byDefaultStreamsAreSpreadOverTheCoordinators(Vertx vertx, VertxTestContext test) {
    Set<String> nodeThreads = ConcurrentHashMap.newKeySet();
    GraphRuntime.deploy(vertx, graph("spread", nodeThreads)).onComplete(test.succeeding(runtime ->
        vertx.runOnContext(v -> {
          List<Future<Void>> ends = new ArrayList<>();
          for (int i = 0; i < 12; i++) {
            Promise<Void> end = Promise.promise();
            RunEventStream stream = runtime.client().stream(Map.of("log", List.of()), new RunOptions(),
                StreamMode.VALUES);
            stream.handler(event -> { });
            stream.exceptionHandler(end::tryFail);
            stream.endHandler(done -> end.tryComplete());
            ends.add(end.future());
          }
          Future.all(ends).onComplete(test.succeeding(all -> test.verify(() -> {
            assertTrue(nodeThreads.size() > 1, "12 runs round robin over the loops' coordinators: " + nodeThreads);
            assertEquals(0, ClientChannel.onThisLoop(vertx).localStreams());
            test.completeNow();
          })));
        })));
  }

  /** Off every event loop (a worker thread) there is no loop to keep the run on: it goes to the run address. */
  @Test
  void aStreamOffTheEventLoopsStillRuns(Vertx vertx, VertxTestContext test) {
    Set<String> nodeThreads = ConcurrentHashMap.newKeySet();
    GraphRuntime.deploy(vertx, graph("off-loop", nodeThreads)).onComplete(test.succeeding(runtime ->
        vertx.executeBlocking(() -> {
          RunEventStream stream = runtime.client().stream(Map.of("log", List.of()), new RunOptions(),
              StreamMode.VALUES);
          // (off its context, the end handler is set before the handler: events may already be waiting)
          stream.exceptionHandler(test::failNow);
          stream.endHandler(end -> test.verify(() -> {
            assertEquals(1, nodeThreads.size());
            test.completeNow();
          }));
          stream.handler(event -> { });
          return null;
        })));
  }
}
