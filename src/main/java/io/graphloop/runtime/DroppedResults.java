package io.graphloop.runtime;

import io.graphloop.internal.bus.PendingReplies;

/**
 * Counts and logs what a coordinator drops on its results address: late results (their attempt timed out, was
 * retried or already answered: normal under failures, logged at INFO), results with a wrong correlation tag (forged
 * or guessed by another member of the bus: WARNING) and messages that are not results (WARNING); also control
 * requests (cancel, stream credits) refused for want of the run's capability token (WARNING). The log is bounded:
 * at most one line per kind per {@value #LOG_EVERY_MS} ms, which says how many more were dropped meanwhile; the
 * counters ({@link RuntimeMetrics#lateResults()} ...) count every one.
 *
 * <p>Thread rules: confined to its coordinator's event loop.
 */
final class DroppedResults {

  static final long LOG_EVERY_MS = 10_000;
  private static final System.Logger LOG = System.getLogger("io.graphloop.runtime.DroppedResults");

  private final String graph;
  private final RuntimeMetrics metrics;
  private final long[] lastLogged = {Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE};
  private final long[] unlogged = new long[4];

  DroppedResults(String graph, RuntimeMetrics metrics) {
    this.graph = graph;
    this.metrics = metrics;
  }

  void unmatched(PendingReplies.Answer answer, long key) {
    if (answer == PendingReplies.Answer.WRONG_TAG) {
      metrics.forgedResults.increment();
      log(1, System.Logger.Level.WARNING, "Dropped a node result for graph '" + graph + "' whose correlation id has "
          + "a known key (" + Long.toHexString(key) + ") but the wrong tag: it was not sent by the node that received "
          + "the request (forged or guessed by a member of the bus). See README, \"Trust model\".");
    } else {
      metrics.lateResults.increment();
      log(0, System.Logger.Level.INFO, "Dropped a late node result for graph '" + graph + "' (key "
          + Long.toHexString(key) + "): its attempt had timed out, been retried or been answered already.");
    }
  }

  void malformed(String address, RuntimeException why) {
    metrics.malformedResults.increment();
    log(2, System.Logger.Level.WARNING, "Dropped a message on " + address + " of graph '" + graph + "' that is not a "
        + "node result: " + why.getMessage());
  }

  /** A cancel or stream credits for a run of this coordinator, without the run's capability token. */
  void refusedControl(String what, String runId) {
    metrics.refusedControls.increment();
    log(3, System.Logger.Level.WARNING, "Refused " + what + " for run " + runId + " of graph '" + graph + "': the "
        + "request does not carry the run's capability token (controlToken), which only its submitter received. "
        + "See README, \"Trust model\".");
  }

  private void log(int kind, System.Logger.Level level, String text) {
    long now = System.nanoTime() / 1_000_000;
    if (lastLogged[kind] != Long.MIN_VALUE && now - lastLogged[kind] < LOG_EVERY_MS) {
      unlogged[kind]++;
      return;
    }
    long more = unlogged[kind];
    unlogged[kind] = 0;
    lastLogged[kind] = now;
    LOG.log(level, more == 0 ? text : text + " (" + more + " more of this kind dropped since the last such line)");
  }
}
