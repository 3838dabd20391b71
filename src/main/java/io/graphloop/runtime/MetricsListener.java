package io.graphloop.runtime;

/**
 * Hears the events of one deployment that metrics need one by one (durations and outcomes), on top of the counters
 * {@link RuntimeMetrics} keeps anyway. A deployment has none unless one is set with {@link RuntimeMetrics#listen}, and
 * then pays nothing: no clock is read for it.
 *
 * <p>Outcomes are a small fixed set, so they can label metrics: a run ends {@code success}, {@code interrupted} or
 * with its failure code in lower case ({@code node_failed}, {@code timeout}, {@code cancelled}, ...); a node
 * execution ends {@code success}, {@code failure}, {@code timeout} or {@code rejected} (refused by its concurrency
 * limit, never started).
 *
 * <p>Thread rules: called from event loops and worker threads, concurrently; implementations must be thread-safe and
 * must not block.
 */
public interface MetricsListener {

  /** A run was admitted by a coordinator of the deployment. */
  void runStarted();

  /**
   * A run ended.
   *
   * @param outcome {@code success}, {@code interrupted} or the failure code in lower case
   * @param nanos   how long it ran, from admission to its end
   */
  void runEnded(String outcome, long nanos);

  /**
   * An execution of {@code node} ended on this JVM (one attempt; a retry is another execution).
   *
   * @param outcome {@code success}, {@code failure}, {@code timeout} or {@code rejected}
   * @param nanos   how long it ran (0 when rejected)
   */
  void nodeEnded(String node, String outcome, long nanos);
}
