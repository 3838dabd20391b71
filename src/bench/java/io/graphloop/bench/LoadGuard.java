package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs one measurement (one child JVM) with the machine's load recorded around it, and again when the load before it
 * was high (issue 17: "record the load before and after each row, rerun rows whose load was high").
 *
 * <p>Before each attempt, when the 1-minute load average is above {@code rerunLoad}, it waits (polling once a
 * second, at most {@code settleSeconds}) for the load to fall to it: the harness's own previous child leaves up to
 * its core count in the 1-minute average, which decays by half in about 42 s once nothing runs. Then the attempt runs,
 * and its result gets {@code loadBefore}/{@code loadAfter} (the 1/5/15-minute averages), {@code load1Before},
 * {@code load1After}, {@code attempt} (1, 2, ...), {@code settledS} (seconds waited) and {@code runnableBefore} (other
 * processes' runnable tasks over the half second before it, {@link Machine#runnableNow}: what the 1-minute average
 * cannot tell from the harness's own decaying load). An attempt whose 1-minute
 * load before was above {@code rerunLoad} is run again, at most {@code maxReruns} times. Every attempt is kept; the one
 * with the lowest load before (the latest on a tie) is the measurement, the others get {@code superseded: true} and
 * are listed in the report's details only.
 *
 * <p>The waits and the reruns together spend at most {@code budgetSeconds} over the whole run: a workload that loads
 * the machine itself (LangGraph4j's burst of 100,000 runs starts thousands of threads and leaves a 1-minute load of
 * about 25 behind it, which takes two minutes to decay) would otherwise make every later measurement wait and run
 * again. Once the budget is spent, measurements run once, as they come, and a result whose load before was above the
 * threshold gets {@code notRerun} saying why (the report marks it).
 *
 * <p>Used from the parent's main thread.
 */
final class LoadGuard {

  /** One measurement attempt: runs the child and returns its result JSON. */
  @FunctionalInterface
  interface Attempt {
    JsonObject run() throws Exception;
  }

  private final double rerunLoad;
  private final int maxReruns;
  private final long settleSeconds;
  private final Supplier<String> loadAverage;
  private final long budgetNanos;
  private long spentNanos;

  /**
   * @param rerunLoad     1-minute load average above which a measurement is run again (and before which it waits)
   * @param maxReruns     at most this many runs again per measurement (0: never)
   * @param settleSeconds at most this many seconds of waiting for the load to fall before each attempt (0: never)
   * @param budgetSeconds at most this many seconds of waiting and rerunning over the whole run
   * @param loadAverage   the "1 5 15" load averages ({@link Machine#loadAverage()})
   */
  LoadGuard(double rerunLoad, int maxReruns, long settleSeconds, long budgetSeconds, Supplier<String> loadAverage) {
    if (rerunLoad < 0 || maxReruns < 0 || settleSeconds < 0 || budgetSeconds < 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "--rerun-load (%s), --max-reruns (%d), "
          + "--settle-s (%d) and --rerun-budget-s (%d) must not be negative", rerunLoad, maxReruns, settleSeconds,
          budgetSeconds));
    }
    this.budgetNanos = TimeUnit.SECONDS.toNanos(budgetSeconds);
    this.rerunLoad = rerunLoad;
    this.maxReruns = maxReruns;
    this.settleSeconds = settleSeconds;
    this.loadAverage = loadAverage;
  }

  double rerunLoad() {
    return rerunLoad;
  }

  int maxReruns() {
    return maxReruns;
  }

  long settleSeconds() {
    return settleSeconds;
  }

  long budgetSeconds() {
    return TimeUnit.NANOSECONDS.toSeconds(budgetNanos);
  }

  /** Seconds of waiting and rerunning spent so far. */
  double spentSeconds() {
    return spentNanos / 1e9;
  }

  /** Every attempt's result, in order; exactly one of them lacks {@code superseded}. */
  List<JsonObject> measure(Attempt attempt) throws Exception {
    List<JsonObject> attempts = new ArrayList<>();
    int kept = 0;
    String notRerun = null;
    for (int number = 1; ; number++) {
      double settled = settle();
      double runnable = Machine.runnableNow(25);
      String before = loadAverage.get();
      long started = System.nanoTime();
      JsonObject result = attempt.run();
      if (number > 1) {
        spentNanos += System.nanoTime() - started;
      }
      String after = loadAverage.get();
      double load1 = oneMinute(before);
      result.put("attempt", number).put("settledS", settled).put("loadBefore", before).put("loadAfter", after)
          .put("load1Before", load1).put("load1After", oneMinute(after))
          .put("runnableBefore", Double.isNaN(runnable) ? null : Math.round(runnable * 100) / 100.0);
      attempts.add(result);
      if (load1 <= attempts.get(kept).getDouble("load1Before")) {
        kept = attempts.size() - 1;
      }
      if (!(load1 > rerunLoad)) {
        break;
      }
      if (number > maxReruns || spentNanos >= budgetNanos) {
        notRerun = number > maxReruns ? "run " + number + " times (--max-reruns " + maxReruns + ")"
            : String.format(Locale.ROOT, "the run's %d s for waits and reruns were spent (--rerun-budget-s)",
                budgetSeconds());
        break;
      }
      System.err.printf(Locale.ROOT, "[bench]   load %.2f before it, above %.2f (--rerun-load): again (%d of at most "
          + "%d reruns; %.0f of %d s of waits and reruns spent)%n", load1, rerunLoad, number, maxReruns,
          spentSeconds(), budgetSeconds());
    }
    for (int i = 0; i < attempts.size(); i++) {
      if (i != kept) {
        attempts.get(i).put("superseded", true);
      }
    }
    if (notRerun != null && attempts.get(kept).getDouble("load1Before") > rerunLoad) {
      attempts.get(kept).put("notRerun", notRerun);
    }
    return attempts;
  }

  /** Waits until the 1-minute load is at most {@code rerunLoad}, at most {@code settleSeconds}; seconds waited. */
  private double settle() throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + Math.min(TimeUnit.SECONDS.toNanos(settleSeconds), budgetNanos - spentNanos);
    while (oneMinute(loadAverage.get()) > rerunLoad && System.nanoTime() < deadline) {
      Thread.sleep(1_000);
    }
    long waited = System.nanoTime() - start;
    spentNanos += waited;
    return Math.round(waited / 1e8) / 10.0;
  }

  /** The 1-minute figure of "1 5 15", or NaN when unknown (never above a threshold, so never a rerun). */
  static double oneMinute(String loadAverage) {
    try {
      return Double.parseDouble(loadAverage.trim().split("\\s+")[0]);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
