package io.graphloop.func;

/**
 * What an entrypoint may return to give its caller one value and save another for the thread's next run (LangGraph's
 * {@code entrypoint.final(value=..., save=...)}): {@code value} becomes the run's output, {@code save} the
 * {@link FunctionContext#previous()} of the next run on the thread. Both may be {@code null}.
 *
 * <p>Immutable when its values are.
 *
 * @param value the run's output
 * @param save  the value the thread keeps for its next run
 */
public record Final(Object value, Object save) {

  /** {@code value} returned, {@code save} saved. */
  public static Final of(Object value, Object save) {
    return new Final(value, save);
  }
}
