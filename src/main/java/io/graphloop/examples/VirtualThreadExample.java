package io.graphloop.examples;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;

/**
 * A node on a virtual thread (Java 21 or newer): written in plain blocking style, it waits on a Vert.x timer
 * with {@code Future.await} without holding a platform thread, then an async node summarizes. Graphloop builds
 * for Java 17, where compiling this graph fails with a clear message; run it on Java 21+ with
 * {@code java -cp target/graphloop.jar io.graphloop.examples.VirtualThreadExample}.
 *
 * <p>It prints the final state of one run as one JSON line, then {@code runs <n> elapsed_ms <ms> max_waiting <m>}
 * for {@value #RUNS} runs started at once. The virtual-thread node has a single verticle instance and each execution
 * waits {@value #WAIT_MS} ms, yet the runs overlap: an execution suspended in {@code Future.await} lets the next
 * one start, so up to {@code m} executions wait at once (1 if they ran one after another) and the total is far below
 * {@code RUNS * WAIT_MS}.
 */
public final class VirtualThreadExample {

  /** Runs started at once. */
  public static final int RUNS = 20;
  /** How long the virtual-thread node waits on its timer, in ms. */
  public static final long WAIT_MS = 200;

  /** Executions of the virtual-thread node waiting right now, and the most that waited at once. */
  private static final java.util.concurrent.atomic.AtomicInteger WAITING = new java.util.concurrent.atomic.AtomicInteger();
  private static final java.util.concurrent.atomic.AtomicInteger MAX_WAITING = new java.util.concurrent.atomic.AtomicInteger();

  private VirtualThreadExample() {
  }

  /** The example graph; compiling it needs Java 21+. */
  public static CompiledGraph graph() {
    return new StateGraph("virtual-threads")
        .addVirtualThreadNode("fetch", (state, ctx) -> {
          MAX_WAITING.accumulateAndGet(WAITING.incrementAndGet(), Math::max);
          try {
            Future.await(ctx.vertx().timer(WAIT_MS));               // suspends the virtual thread, not a carrier
          } finally {
            WAITING.decrementAndGet();
          }
          return Map.of("fetched", "data for " + state.getString("query"), "onVirtualThread", isVirtual());
        })
        .addNode("summarize", state -> Future.succeededFuture(Map.of(
            "summary", "summary of " + state.getString("fetched"))))
        .addEdge(START, "fetch")
        .addEdge("fetch", "summarize")
        .addEdge("summarize", END)
        .compile();
  }

  private static boolean isVirtual() {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(Thread.currentThread());
    } catch (ReflectiveOperationException e) {
      return false; // before Java 21 there are no virtual threads
    }
  }

  public static void main(String[] args) {
    CompiledGraph graph = graph();
    Vertx vertx = Vertx.vertx();
    GraphRuntimeOptions options = new GraphRuntimeOptions().setNodeInstances("fetch", 1); // one instance, many waits
    GraphRuntime.deploy(vertx, graph, options).compose(runtime -> {
      long started = System.nanoTime();
      List<Future<State>> runs = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        runs.add(runtime.client().invoke(Map.of("query", "virtual threads " + i)));
      }
      return Future.all(runs).map(all -> {
        System.out.println(runs.get(0).result().toJson().encode());
        System.out.println("runs " + RUNS + " elapsed_ms " + (System.nanoTime() - started) / 1_000_000
            + " max_waiting " + MAX_WAITING.get());
        return all;
      }).eventually(runtime::undeploy);
    }).onComplete(done -> {
      if (done.failed()) {
        System.err.println("Run failed: " + done.cause());
      }
      vertx.close().onComplete(closed -> System.exit(done.succeeded() ? 0 : 1));
    });
  }
}
