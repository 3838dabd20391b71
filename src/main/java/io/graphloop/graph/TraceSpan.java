package io.graphloop.graph;

/**
 * A trace span a node opens under its own execution's span ({@link NodeContext#startSpan}), e.g. one per chat-model
 * call: attributes, then {@link #end} once. Names no tracing library: when tracing is installed
 * ({@code io.graphloop.ops.GraphloopTracing}) it is an OpenTelemetry span; otherwise, and for runs that are not
 * sampled, it is {@link #NONE}, which records nothing.
 *
 * <p>Thread rules: used by one caller at a time (the node's callbacks, which may run on its event loop and a worker in
 * turn); {@link #end} once, from whichever thread ends what the span times.
 */
public interface TraceSpan {

  /** Records nothing. */
  TraceSpan NONE = new TraceSpan() {
    @Override
    public TraceSpan setAttribute(String key, String value) {
      return this;
    }

    @Override
    public TraceSpan setAttribute(String key, long value) {
      return this;
    }

    @Override
    public void end(Throwable failure) {
    }
  };

  /** Sets a string attribute ({@code null} values are not recorded). */
  TraceSpan setAttribute(String key, String value);

  /** Sets a number attribute. */
  TraceSpan setAttribute(String key, long value);

  /** Ends the span; {@code failure} (or {@code null} when what it timed succeeded) is recorded with an error status. */
  void end(Throwable failure);
}
