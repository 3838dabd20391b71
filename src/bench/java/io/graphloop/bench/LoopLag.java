package io.graphloop.bench;

import io.vertx.core.Context;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * For {@link AgentStreamBench}: how long a task handed to an event loop from another thread waits before it runs (the
 * loop's wake-up and its queue), the delay every thread hop of a token pays. A daemon thread hands each of the given
 * contexts one task every {@code periodMicros} (stamped when handed over); the task records when it ran. Percentiles
 * are of every task run since the last {@link #reset()}.
 *
 * <p>It adds {@code contexts / period} tasks per second to the loops it measures (800/s for 4 loops at 5 ms): run it
 * only when the hop delays are what is asked ({@code --probe-us}), and compare rows with it on to rows with it on.
 *
 * <p>Thread-safe: tasks record from their loops into a synchronized array; {@link #close()} stops the thread.
 */
final class LoopLag implements AutoCloseable {

  private final List<Context> contexts;
  private final long periodNanos;
  private final Thread thread;
  private volatile boolean stopped;
  private long[] samples = new long[1 << 16];
  private int size;

  LoopLag(List<Context> contexts, long periodMicros) {
    this.contexts = List.copyOf(contexts);
    this.periodNanos = periodMicros * 1_000;
    this.thread = new Thread(this::probe, "loop-lag-probe");
    thread.setDaemon(true);
    thread.start();
  }

  private void probe() {
    long next = System.nanoTime();
    while (!stopped) {
      for (Context context : contexts) {
        long handed = System.nanoTime();
        context.runOnContext(v -> add(System.nanoTime() - handed));
      }
      next += periodNanos;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else {
        next = System.nanoTime(); // behind (the thread was descheduled): no burst to catch up
      }
    }
  }

  private synchronized void add(long nanos) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
    }
    samples[size++] = nanos;
  }

  synchronized void reset() {
    size = 0;
  }

  /** "p50 / p99 / max" of the tasks' waits in ms, and how many, since the reset. */
  synchronized String summary() {
    if (size == 0) {
      return "-";
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    return String.format("%.2f / %.2f / %.2f (%,d)", Stats.percentile(sorted, 0.50) / 1e6,
        Stats.percentile(sorted, 0.99) / 1e6, sorted[size - 1] / 1e6, size);
  }

  @Override
  public void close() {
    stopped = true;
  }
}
