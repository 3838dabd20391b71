package io.graphloop.runtime;

import io.graphloop.checkpoint.MemoryCheckpointStore;
import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.protocol.Addresses;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.START;
import static io.graphloop.runtime.Await.result;
import static io.graphloop.runtime.StreamCollector.collect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * One compiled subgraph shared by two parent graphs, each deployed on its own checkpoint store in one Vert.x: each
 * parent's child runs keep their checkpoints in that parent's store, and a parent's resume finds its child there,
 * whether its runs are sent, streamed from an event loop, and whether streams stay on their consumer's loop
 * ({@code graphloop.client.localStreams}) or not. A subgraph is deployed with each parent; before its addresses named
 * the parent ({@link Addresses#subgraph}), both deployments listened on the same addresses, and a child's run (a
 * stream kept local: always; a run sent from an event loop: its loop's coordinator) could go to the other parent's
 * deployment, checkpoint in the other store, and its parent's resume then found no checkpoint for it
 * ({@code SubgraphParityTest.aBreakpointInASubgraphBesideAParallelNode} failed with local streams on).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class SharedSubgraphTest {

  /** The property as the JVM had it (a run of the suite with local streams on sets it for every class). */
  private final String before = System.getProperty(GraphClient.LOCAL_STREAMS_PROPERTY);

  @AfterEach
  void restoreProperty() {
    if (before == null) {
      System.clearProperty(GraphClient.LOCAL_STREAMS_PROPERTY);
    } else {
      System.setProperty(GraphClient.LOCAL_STREAMS_PROPERTY, before);
    }
  }

  /** The child: appends "inner" to the parent's key, stops before its second node, which appends "done". */
  private static CompiledGraph child() {
    return new StateGraph("shared-child").channel("log", Channels.append())
        .addNode("first", s -> Future.succeededFuture(Map.of("log", List.of("inner"))))
        .addNode("second", s -> Future.succeededFuture(Map.of("log", List.of("done"))))
        .addEdge("first", "second").setEntryPoint("first").setFinishPoint("second")
        .interruptBefore("second").compile();
  }

  private static CompiledGraph parent(String name, CompiledGraph child) {
    return new StateGraph(name).channel("log", Channels.append())
        .addSubgraph("sub", child)
        .addEdge(START, "sub").setFinishPoint("sub").compile();
  }

  @ParameterizedTest(name = "localStreams={0}")
  @ValueSource(strings = {"0", "1000"})
  void eachParentsChildCheckpointsInThatParentsStore(String localStreams, Vertx vertx) {
    System.setProperty(GraphClient.LOCAL_STREAMS_PROPERTY, localStreams);
    CompiledGraph shared = child();
    MemoryCheckpointStore storeA = new MemoryCheckpointStore();
    MemoryCheckpointStore storeB = new MemoryCheckpointStore();
    GraphRuntime a = result(GraphRuntime.deploy(vertx, parent("shared-a", shared), new GraphRuntimeOptions(), storeA));
    GraphRuntime b = result(GraphRuntime.deploy(vertx, parent("shared-b", shared), new GraphRuntimeOptions(), storeB));
    assertEquals(List.of(Addresses.subgraph("shared-a", "shared-child")),
        a.subgraphRuntimes().stream().map(GraphRuntime::busName).toList());
    assertEquals(List.of(Addresses.subgraph("shared-b", "shared-child")),
        b.subgraphRuntimes().stream().map(GraphRuntime::busName).toList());
    // each way of starting and continuing a run, on each parent in turn (thread ids apart, so that where a child's
    // checkpoints are is what the stores say)
    for (int round = 0; round < 3; round++) {
      for (String kind : List.of("sent-", "streamed-")) {
        check(vertx, a, storeA, storeB, "A", kind + "A" + round);
        check(vertx, b, storeB, storeA, "B", kind + "B" + round);
      }
    }
  }

  /**
   * Runs {@code thread} on {@code client}'s parent (started by a run sent from an event loop, or by a stream opened on
   * one, as the thread's name says) to the child's breakpoint, checks where the child checkpointed, then continues it
   * to the end.
   */
  private static void check(Vertx vertx, GraphRuntime parent, MemoryCheckpointStore own,
                            MemoryCheckpointStore other, String marker, String thread) {
    GraphClient client = parent.client();
    RunOptions options = new RunOptions().setThreadId(thread);
    boolean streamed = thread.startsWith("streamed");
    Map<String, ?> input = Map.of("log", List.of(marker));
    if (streamed) {
      result(collect(vertx, () -> client.stream(input, options, StreamMode.VALUES)));
    } else {
      assertEquals(List.of(marker), onLoop(vertx, () -> client.run(input, options)).values().getList("log"));
    }
    ThreadState state = result(client.getState(thread, null, true));
    assertEquals(List.of("sub"), state.next(), marker + " " + thread);
    ThreadState childState = state.subgraphState(0);
    assertNotNull(childState, marker + " " + thread + ": the parent's store has no checkpoint of its child");
    assertEquals(List.of("second"), childState.next());
    assertEquals(List.of(marker, "inner"), childState.values().getList("log"));
    String childThread = thread + SubgraphThreads.SEPARATOR + childState.metadata().get(SubgraphStates.CHECKPOINT_NS);
    assertNotNull(result(own.latest(childThread)), childThread + " in its parent's store");
    assertNull(result(other.latest(childThread)), childThread + " in the other parent's store");
    // the child deployed with this parent, by its bus name: its state of the child thread is the parent's store's
    GraphClient child = GraphClient.create(vertx, Addresses.subgraph(parent.graph().name(), "shared-child"));
    assertEquals(List.of(marker, "inner"), result(child.getState(childThread)).values().getList("log"));
    // the child's whole log comes back through the parent's append reducer, the input again with it (as LangGraph's)
    List<Object> last = new ArrayList<>();
    if (streamed) {
      for (StreamEvent event : result(collect(vertx, () -> client.stream((Map<String, ?>) null, options,
          StreamMode.VALUES)))) {
        if (event.event().wireName().equals("values")) {
          last.add(event.data().get("log"));
        }
      }
      assertEquals(List.of(marker, marker, "inner", "done"), last.get(last.size() - 1), marker + " " + thread);
    } else {
      assertEquals(List.of(marker, marker, "inner", "done"), onLoop(vertx, () -> client.proceed(options)).values()
          .getList("log"), marker + " " + thread);
    }
    assertEquals(List.of(), result(client.getState(thread, null, false)).next());
  }

  /** The run {@code send} makes, sent from an event loop of {@code vertx} (where a run stays on its loop). */
  private static RunResult onLoop(Vertx vertx, java.util.function.Supplier<Future<RunResult>> send) {
    io.vertx.core.Promise<RunResult> done = io.vertx.core.Promise.promise();
    vertx.runOnContext(v -> send.get().onComplete(done));
    return result(done.future());
  }
}
