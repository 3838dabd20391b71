package io.graphloop.internal.tracing;

import io.vertx.core.MultiMap;

/**
 * The trace of one run, opened by {@link RunTracer#startRun}: its span's context for the node requests, child
 * spans for checkpoint saves, and its end.
 *
 * <p>Thread rules: used by one run's callbacks on its coordinator's event loop; {@link #end} once.
 */
public interface RunTrace {

  /** An untraced run. */
  RunTrace NONE = new RunTrace() {
    @Override
    public MultiMap nodeHeaders() {
      return null;
    }

    @Override
    public SpanEnd save(String kind) {
      return SpanEnd.NONE;
    }

    @Override
    public void end(String outcome, Throwable failure) {
    }
  };

  /**
   * Event-bus headers carrying the run span's context to the nodes (on this JVM or another member), or {@code null}
   * when the run is not traced. The same instance for every request of the run: do not change it.
   */
  MultiMap nodeHeaders();

  /** Opens a child span for a checkpoint save of kind {@code checkpoint} or {@code writes}. */
  SpanEnd save(String kind);

  /**
   * Ends the run span with {@code outcome} (success, interrupted, or a failure code in lower case) and, when the run
   * failed, its failure.
   */
  void end(String outcome, Throwable failure);

  /** A span that is open until {@link #end}. */
  interface SpanEnd {

    /** Nothing to end. */
    SpanEnd NONE = failure -> {
    };

    /** Ends the span; {@code failure} is {@code null} when what it timed succeeded. */
    void end(Throwable failure);
  }
}
