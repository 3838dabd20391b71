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
 * A stream consumed on an event loop has its run coordinated on that loop when a coordinator of the graph is there
 * (issue 15: a token is handed from node to coordinator to consumer without waking another loop's thread), within
 * {@link GraphClient#localStreams()} (on by default, 1,000) and {@link LocalStreams}' balance rule: consumers
 * spread over the loops all stay local; a burst from one loop keeps about its margin there and spreads the rest; the
 * counts go back down as streams end. Off ({@code graphloop.client.localStreams=0}), streamed runs are spread over
 * the coordinators as a run address spreads them.
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
    System.clearProperty(GraphClient.LOCAL_STREAMS_MARGIN_PROPERTY);
  }

  /** Opens a VALUES stream on the calling context; the future: the stream ended. */
  private static Future<Void> open(GraphRuntime runtime) {
    Promise<Void> end = Promise.promise();
    RunEventStream stream = runtime.client().stream(Map.of("log", List.of()), new RunOptions(), StreamMode.VALUES);
    stream.handler(event -> { });
    stream.exceptionHandler(end::tryFail);
    stream.endHandler(done -> end.tryComplete());
    return end.future();
  }

  /** One event-loop context per event loop of {@code vertx}. */
  private static List<io.vertx.core.Context> everyLoop(Vertx vertx) {
    List<io.vertx.core.Context> contexts = new ArrayList<>();
    for (io.netty.util.concurrent.EventExecutor loop : ((io.vertx.core.internal.VertxInternal) vertx)
        .nettyEventLoopGroup()) {
      contexts.add(((io.vertx.core.internal.VertxInternal) vertx).contextBuilder()
          .withThreadingModel(io.vertx.core.ThreadingModel.EVENT_LOOP)
          .withEventLoop((io.netty.channel.EventLoop) loop).build());
    }
    return contexts;
  }

  @Test
  void byDefaultStreamsConsumedOnALoopRunTheirNodesOnThatLoop(Vertx vertx, VertxTestContext test) {
    System.clearProperty(GraphClient.LOCAL_STREAMS_PROPERTY); // the defaults: 1,000 per loop, margin 16
    System.clearProperty(GraphClient.LOCAL_STREAMS_MARGIN_PROPERTY); // (12 streams from one loop all stay)
    assertEquals(1000, GraphClient.localStreams(), "on by default");
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
  void zeroTurnsThemOffAndStreamsAreSpreadOverTheCoordinators(Vertx vertx, VertxTestContext test) {
    System.setProperty(GraphClient.LOCAL_STREAMS_PROPERTY, "0");
    Set<String> nodeThreads = ConcurrentHashMap.newKeySet();
    GraphRuntime.deploy(vertx, graph("spread", nodeThreads)).onComplete(test.succeeding(runtime ->
        vertx.runOnContext(v -> {
          List<Future<Void>> ends = new ArrayList<>();
          for (int i = 0; i < 12; i++) {
            ends.add(open(runtime));
          }
          Future.all(ends).onComplete(test.succeeding(all -> test.verify(() -> {
            assertTrue(nodeThreads.size() > 1, "12 runs round robin over the loops' coordinators: " + nodeThreads);
            assertEquals(0, ClientChannel.onThisLoop(vertx).localStreams());
            test.completeNow();
          })));
        })));
  }

  /**
   * The balance rule: a burst of streams consumed on one loop keeps only about {@code margin * loops / (loops - 1)}
   * local (here * loops < total + margin * loops, every local stream being this loop's), the others are spread.
   */
  @Test
  void aBurstFromOneLoopKeepsItsMarginLocalAndSpreadsTheRest(Vertx vertx, VertxTestContext test) {
    System.setProperty(GraphClient.LOCAL_STREAMS_PROPERTY, "1000");
    System.setProperty(GraphClient.LOCAL_STREAMS_MARGIN_PROPERTY, "2");
    Set<String> nodeThreads = ConcurrentHashMap.newKeySet();
    GraphRuntime.deploy(vertx, graph("burst", nodeThreads)).onComplete(test.succeeding(runtime ->
        vertx.runOnContext(v -> {
          int loops = LocalStreams.of(vertx).loops();
          int expected = 0; // the largest k with k * loops < k + 2 * loops, plus one (k counts from 0)
          while ((long) expected * loops < expected + 2L * loops) {
            expected++;
          }
          List<Future<Void>> ends = new ArrayList<>();
          for (int i = 0; i < 40; i++) {
            ends.add(open(runtime));
          }
          int local = ClientChannel.onThisLoop(vertx).localStreams();
          int kept = expected;
          test.verify(() -> {
            assertEquals(Math.min(40, kept), local, loops + " loops, margin 2: the burst's local streams");
            assertEquals(local, LocalStreams.of(vertx).total());
          });
          Future.all(ends).onComplete(test.succeeding(all -> test.verify(() -> {
            assertTrue(nodeThreads.size() > 1, "the rest round robin over the loops' coordinators: " + nodeThreads);
            assertEquals(0, ClientChannel.onThisLoop(vertx).localStreams(), "ended streams are not counted");
            assertEquals(0, LocalStreams.of(vertx).total());
            test.completeNow();
          })));
        })));
  }

  /**
   * Consumers spread over every loop (opened a round at a time, one per loop, as a server on every loop opens them)
   * all stay local, far past the margin: each loop stays at the mean.
   */
  @Test
  void consumersSpreadOverTheLoopsAllStayLocal(Vertx vertx, VertxTestContext test) {
    System.setProperty(GraphClient.LOCAL_STREAMS_PROPERTY, "1000");
    System.setProperty(GraphClient.LOCAL_STREAMS_MARGIN_PROPERTY, "2");
    Map<String, String> consumerOfRun = new ConcurrentHashMap<>();
    Set<String> strays = ConcurrentHashMap.newKeySet();
    CompiledGraph graph = new StateGraph("spread-consumers")
        .channel("log", Channels.append())
        .addNode("speak", (state, ctx) -> {
          String node = Thread.currentThread().getName();
          String consumer = (String) ((List<?>) state.get("log")).get(0);
          if (!node.equals(consumer)) {
            strays.add(consumer + " -> " + node);
          }
          return Future.succeededFuture(Map.of("log", "spoke"));
        })
        .addEdge(START, "speak").addEdge("speak", END)
        .compile();
    int rounds = 10;
    GraphRuntime.deploy(vertx, graph).onComplete(test.succeeding(runtime -> {
      List<io.vertx.core.Context> contexts = everyLoop(vertx);
      List<Future<Void>> ends = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (int round = 0; round < rounds; round++) {
        chain = chain.compose(previous -> {
          List<Future<Void>> opened = new ArrayList<>();
          for (io.vertx.core.Context context : contexts) {
            Promise<Void> done = Promise.promise();
            context.runOnContext(v -> {
              Promise<Void> end = Promise.promise();
              RunEventStream stream = runtime.client().stream(Map.of("log",
                  List.of(Thread.currentThread().getName())), new RunOptions(), StreamMode.VALUES);
              stream.handler(event -> { });
              stream.exceptionHandler(end::tryFail);
              stream.endHandler(e -> end.tryComplete());
              synchronized (ends) {
                ends.add(end.future());
              }
              done.complete();
            });
            opened.add(done.future());
          }
          return Future.all(opened).mapEmpty();
        });
      }
      chain.compose(opened -> {
        synchronized (ends) {
          return Future.all(new ArrayList<>(ends));
        }
      }).onComplete(test.succeeding(all -> test.verify(() -> {
        assertEquals(rounds * contexts.size(), all.size());
        assertEquals(Set.of(), strays, "every run's node ran on its consumer's loop");
        assertEquals(0, LocalStreams.of(vertx).total());
        test.completeNow();
      })));
    }));
  }

  @Test
  void aLimitThatIsNotAWholeNumberFailsTheStreamClearly(Vertx vertx, VertxTestContext test) {
    GraphRuntime.deploy(vertx, graph("bad-limit", ConcurrentHashMap.newKeySet())).onComplete(test.succeeding(runtime ->
        vertx.runOnContext(v -> test.verify(() -> {
          System.setProperty(GraphClient.LOCAL_STREAMS_PROPERTY, "-1");
          IllegalArgumentException limit = org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> open(runtime));
          assertTrue(limit.getMessage().contains("graphloop.client.localStreams")
              && limit.getMessage().contains("'-1'"), limit.getMessage());
          System.clearProperty(GraphClient.LOCAL_STREAMS_PROPERTY);
          System.setProperty(GraphClient.LOCAL_STREAMS_MARGIN_PROPERTY, "lots");
          IllegalArgumentException margin = org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> open(runtime));
          assertTrue(margin.getMessage().contains("graphloop.client.localStreamsMargin"), margin.getMessage());
          assertEquals(0, LocalStreams.of(vertx).total(), "nothing was counted");
          test.completeNow();
        }))));
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
