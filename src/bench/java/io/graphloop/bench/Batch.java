package io.graphloop.bench;

/**
 * What one batch of runs did: how many runs finished, how many of them failed (an error, or a final
 * state that is not the expected one), the wall time of the whole batch and the first error seen.
 *
 * <p>Immutable.
 */
record Batch(long runs, long failures, long elapsedNanos, String firstError) {

  /** Seconds of wall time. */
  double seconds() {
    return elapsedNanos / 1e9;
  }

  /** Runs per second over the batch. */
  double runsPerSecond() {
    return runs / seconds();
  }

  /** Mean wall time per run, in nanoseconds (meaningful for runs made one after another). */
  double nanosPerRun() {
    return runs == 0 ? Double.NaN : (double) elapsedNanos / runs;
  }
}
