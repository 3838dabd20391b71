package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.run.RunOptions;
import io.graphloop.state.State;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * A closed loop of graph runs through {@link GraphClient}: keeps {@code parallel} runs in flight (each finished run
 * starts the next) until {@code maxRuns} were started or {@link #stopLaunching()} is called, then lets the runs in
 * flight finish. Every outcome is kept, with the time it arrived.
 *
 * <p>Thread rules: the loop runs on one event-loop context of the client's Vert.x (no locks there); the JUnit thread
 * reads the progress counters and waits for the end with {@link #await}, always with a bound.
 */
final class RunLoad {

  /** One finished run: its index, its final state or failure, and when it finished ({@link System#nanoTime()}). */
  record Outcome(int index, State state, Throwable failure, long finishedNanos) {
  }

  private final GraphClient client;
  private final Context context;
  private final int maxRuns;
  private final IntFunction<Map<String, Object>> input;
  private final RunOptions options;
  private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger finished = new AtomicInteger();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile boolean stop;
  private int started; // confined to the context
  private int inFlight; // confined to the context

  private RunLoad(Vertx vertx, GraphClient client, int maxRuns, IntFunction<Map<String, Object>> input,
                  long runTimeoutMs) {
    this.client = client;
    this.context = vertx.getOrCreateContext();
    this.maxRuns = maxRuns;
    this.input = input;
    this.options = new RunOptions().setTimeoutMs(runTimeoutMs);
  }

  /** Starts the loop: {@code parallel} runs at once, at most {@code maxRuns} in all. */
  static RunLoad start(Vertx vertx, GraphClient client, int maxRuns, int parallel,
                       IntFunction<Map<String, Object>> input, long runTimeoutMs) {
    RunLoad load = new RunLoad(vertx, client, maxRuns, input, runTimeoutMs);
    load.context.runOnContext(v -> {
      for (int i = 0; i < parallel; i++) {
        load.launch();
      }
    });
    return load;
  }

  private void launch() {
    if (stop || started >= maxRuns) {
      if (inFlight == 0) {
        done.complete(null);
      }
      return;
    }
    int index = started++;
    inFlight++;
    client.invoke(input.apply(index), options).onComplete(result -> {
      inFlight--;
      outcomes.add(new Outcome(index, result.result(), result.cause(), System.nanoTime()));
      finished.incrementAndGet();
      launch();
    });
  }

  /** Starts no further run; the runs in flight still finish. Any thread. */
  void stopLaunching() {
    stop = true;
    context.runOnContext(v -> {
      if (inFlight == 0) {
        done.complete(null);
      }
    });
  }

  /** Runs finished so far. Any thread. */
  int finished() {
    return finished.get();
  }

  /** A copy of the outcomes so far. Any thread. */
  List<Outcome> outcomes() {
    synchronized (outcomes) {
      return new ArrayList<>(outcomes);
    }
  }

  /**
   * Waits at most {@code timeoutMs} for the loop to end (every started run finished) and returns the outcomes.
   *
   * @throws AssertionError when it did not end in time, saying how far it got
   */
  List<Outcome> await(long timeoutMs) throws Exception {
    try {
      done.get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("The runs did not finish within " + timeoutMs + " ms: " + finished() + " finished");
    }
    return outcomes();
  }
}
