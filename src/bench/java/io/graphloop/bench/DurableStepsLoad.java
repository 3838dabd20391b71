package io.graphloop.bench;

import io.graphloop.client.GraphClient;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The durable-steps load: {@code lanes} threads in flight at once, each running its chain (nodes {@code n0 ..
 * n<steps-1>}, each waiting {@code latencyMs} on a Vert.x timer, i.e. without blocking) with durability {@code sync},
 * run after run on the same thread ({@code lane-<i>}), so the store always has about {@code lanes} saves to make.
 *
 * <p>A step's latency is measured from its node's start to the next node's start (for the last node: to the run's
 * result), so it holds the node's latency, its checkpoint save (under {@code sync} the next node starts only once
 * that save is durable) and the dispatch of the next node. Each node writes its start time to the channel {@code t};
 * the next node (or the driver, at the result) records {@code now - t} in the current {@link Histogram}, which also
 * counts the durable steps. The input checkpoint's save, before the first node, is not a step.
 *
 * <p>Thread rules: the lanes are driven from the {@code driver} context; nodes run on the runtime's event loops and
 * record into the histogram, which is lock-free; {@link #stop()} may be called from any thread.
 */
final class DurableStepsLoad {

  private final GraphClient client;
  private final Context driver;
  private final int lanes;
  private final int steps;
  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile Histogram histogram = new Histogram();
  private volatile boolean stopping;
  private volatile String firstError;
  private int running;

  DurableStepsLoad(GraphClient client, Context driver, int lanes, int steps) {
    this.client = client;
    this.driver = driver;
    this.lanes = lanes;
    this.steps = steps;
  }

  /** The chain of {@code steps} nodes that each wait {@code latencyMs} without blocking, recording into load's histogram. */
  static CompiledGraph graph(String name, int steps, long latencyMs, DurableStepsLoad[] load) {
    StateGraph graph = new StateGraph(name);
    for (int i = 0; i < steps; i++) {
      graph.addNode("n" + i, (state, ctx) -> {
        long now = System.nanoTime();
        Integer count = state.getInteger("count");
        if (count > 0) {
          load[0].histogram.record(now - state.getLong("t"));
        }
        return ctx.vertx().timer(latencyMs).map(fired -> Map.<String, Object>of("count", count + 1, "t", now));
      });
      graph.addEdge(i == 0 ? StateGraph.START : "n" + (i - 1), "n" + i);
    }
    return graph.addEdge("n" + (steps - 1), StateGraph.END).compile();
  }

  /**
   * Starts every lane: all at once ({@code staggerMs} 0), {@link #START_CHUNK} per event-loop task so that starting
   * them never blocks the loop long; or evenly over {@code staggerMs}, each {@link #STAGGER_TICK_MS} tick of a timer
   * on the driver's context starting the lanes due by then (lane {@code i} at {@code i * staggerMs / lanes}).
   */
  void start(long staggerMs) {
    if (staggerMs <= 0) {
      startFrom(0);
      return;
    }
    long began = System.nanoTime();
    int[] started = {0};
    driver.runOnContext(v -> driver.owner().setPeriodic(0, STAGGER_TICK_MS, timer -> {
      long elapsedMs = (System.nanoTime() - began) / 1_000_000;
      int due = (int) Math.min(lanes, (elapsedMs * lanes + staggerMs - 1) / staggerMs);
      for (; started[0] < due && !stopping; started[0]++) {
        running++;
        next(started[0]);
      }
      if (started[0] >= lanes || stopping) {
        driver.owner().cancelTimer(timer);
        if (started[0] < lanes && running == 0) {
          stopped.complete(null);
        }
      }
    }));
  }

  private static final int START_CHUNK = 100;
  private static final long STAGGER_TICK_MS = 10;

  private void startFrom(int first) {
    driver.runOnContext(v -> {
      int end = Math.min(lanes, first + START_CHUNK);
      for (int lane = first; lane < end; lane++) {
        running++;
        next(lane);
      }
      if (end < lanes) {
        startFrom(end);
      }
    });
  }

  /** Starts a fresh histogram and returns the one it replaces (its steps and latencies since the last swap). */
  Histogram swap() {
    Histogram previous = histogram;
    histogram = new Histogram();
    return previous;
  }

  /** Lets the runs in flight finish and starts no more; completes once none is left. */
  CompletableFuture<Void> stop() {
    stopping = true;
    return stopped;
  }

  long runs() {
    return runs.get();
  }

  long failures() {
    return failures.get();
  }

  String firstError() {
    return firstError;
  }

  private void next(int lane) {
    if (stopping) {
      if (--running == 0) {
        stopped.complete(null);
      }
      return;
    }
    client.run(Map.of("count", 0, "t", 0L), new RunOptions().setThreadId("lane-" + lane)
        .setDurability(Durability.SYNC)).onComplete(result -> {
          long now = System.nanoTime();
          runs.incrementAndGet();
          String problem = check(result);
          if (problem == null) {
            histogram.record(now - result.result().values().getLong("t"));
            next(lane);
          } else {
            failures.incrementAndGet();
            firstError = firstError == null ? "lane-" + lane + ": " + problem : firstError;
            driver.owner().setTimer(100, t -> next(lane));
          }
        });
  }

  private String check(AsyncResult<RunResult> result) {
    if (result.failed()) {
      return String.valueOf(result.cause());
    }
    Integer count = result.result().values().getInteger("count");
    return count != null && count == steps ? null : "wrong final state " + result.result().values();
  }

  /**
   * Step latencies in buckets 1% wide (from 1 us up to about 1,150 s; beyond: the last bucket), and their count.
   * Lock-free; a reader sums it after a {@link #swap()}, while late records from nodes already running may still land.
   */
  static final class Histogram {
    private static final double GROWTH = Math.log(1.01);
    private static final int BUCKETS = 2_100;
    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final AtomicLong total = new AtomicLong();
    private final long startedNanos = System.nanoTime();

    void record(long nanos) {
      int bucket = nanos < 1_000 ? 0 : (int) Math.min(BUCKETS - 1, Math.log(nanos / 1_000.0) / GROWTH);
      counts.incrementAndGet(bucket);
      total.incrementAndGet();
    }

    /** Steps recorded. */
    long count() {
      return total.get();
    }

    /** When this histogram started recording ({@link System#nanoTime()}). */
    long startedNanos() {
      return startedNanos;
    }

    /** The latency at {@code quantile} (0-1), in ms: the upper edge of its bucket (at most 1% above). */
    double quantileMs(double quantile) {
      long wanted = Math.max(1, (long) Math.ceil(quantile * count()));
      long seen = 0;
      for (int i = 0; i < BUCKETS; i++) {
        seen += counts.get(i);
        if (seen >= wanted) {
          return Math.exp((i + 1) * GROWTH) / 1_000.0;
        }
      }
      return Double.NaN;
    }
  }
}
