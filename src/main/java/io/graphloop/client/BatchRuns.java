package io.graphloop.client;

import io.graphloop.run.RunOptions;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link GraphClient#batch}: one run per input, at most {@code parallelism} at once, results in input order.
 *
 * <p>A run is started as an earlier one ends, without recursion: a run that completes at once (e.g. its input is
 * refused before it is sent) asks for the next start while a start is in progress, and the loop in progress makes
 * it (a trampoline), so any number of refused inputs take constant stack. On a Vert.x thread the loop makes at most
 * {@link #STARTS_PER_TURN} starts in a row and goes on in a later task of the same context, so a batch of many inputs
 * refused at once does not hold its event loop (50,000 held one for 2 s on a loaded machine).
 *
 * <p>Thread rules: thread-safe; runs end on event loops while the first starts come from the caller's thread.
 */
final class BatchRuns {

  /** Starts the trampoline makes in a row on a Vert.x thread before it lets the context run other tasks. */
  static final int STARTS_PER_TURN = 256;

  private final GraphClient client;
  private final List<? extends Map<String, ?>> inputs;
  private final RunOptions options;
  private final List<Promise<State>> results;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger wanted = new AtomicInteger();

  private BatchRuns(GraphClient client, List<? extends Map<String, ?>> inputs, RunOptions options) {
    this.client = client;
    this.inputs = inputs;
    this.options = options;
    this.results = new ArrayList<>(inputs.size());
    for (int i = 0; i < inputs.size(); i++) {
      results.add(Promise.promise());
    }
  }

  /** Runs every input; fails with the first failure in input order once every run has ended. */
  static Future<List<State>> run(GraphClient client, List<? extends Map<String, ?>> inputs, RunOptions options,
                                 int parallelism) {
    BatchRuns batch = new BatchRuns(client, inputs, options);
    for (int i = 0; i < Math.min(parallelism, inputs.size()); i++) {
      batch.startOne();
    }
    List<Future<State>> futures = new ArrayList<>(inputs.size());
    batch.results.forEach(promise -> futures.add(promise.future()));
    return Future.join(futures).transform(done -> {
      for (Future<State> future : futures) {
        if (future.failed()) {
          return Future.failedFuture(future.cause());
        }
      }
      List<State> states = new ArrayList<>(futures.size());
      futures.forEach(future -> states.add(future.result()));
      return Future.succeededFuture(states);
    });
  }

  /** Starts the next run, now or (when called from within a start) right after the start in progress. */
  private void startOne() {
    if (wanted.getAndIncrement() != 0) {
      return; // the loop below, in progress on some thread, makes this start
    }
    drain();
  }

  /** The trampoline: makes the wanted starts; on a Vert.x thread, yields its context every STARTS_PER_TURN. */
  private void drain() {
    int made = 0;
    do {
      if (made++ == STARTS_PER_TURN) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        if (context != null) {
          context.runOnContext(v -> drain()); // still the loop's owner: this start is made there
          return;
        }
      }
      int i = next.getAndIncrement();
      if (i < inputs.size()) {
        client.invoke(inputs.get(i), options).onComplete(done -> {
          results.get(i).handle(done);
          startOne();
        });
      }
    } while (wanted.decrementAndGet() != 0);
  }
}
