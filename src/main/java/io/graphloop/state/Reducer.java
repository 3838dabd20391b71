package io.graphloop.state;

/**
 * A typed reducer for a component of a typed state record, named by {@link Reduce}: folds one write into
 * the channel's current value. Both arguments and the result are of the component's type (converted from and
 * to the state's JSON values by Jackson); when the channel is unset the first write starts the fold.
 *
 * <p>Called on the coordinator's event loop, concurrently for different runs: it must be a quick, pure function.
 *
 * @param <T> the component's type
 */
@FunctionalInterface
public interface Reducer<T> {

  /** The channel's value after {@code write} is folded into {@code current}. */
  T apply(T current, T write);
}
