package io.graphloop.state;

import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * Factory of the channel kinds, for {@code StateGraph.channel(name, channel)}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Channels {

  private Channels() {
  }

  /** Holds the last value; two writes in one superstep are an error. The default for undeclared keys. */
  public static Channel lastValue() {
    return LastValueChannel.INSTANCE;
  }

  /** A list that appends every write (a list write appends its elements). */
  public static Channel append() {
    return AppendChannel.INSTANCE;
  }

  /**
   * A list of chat messages merged by id (LangGraph's {@code Annotated[list, add_messages]}): see
   * {@link io.graphloop.agents.AddMessages}. Starts empty.
   */
  public static Channel messages() {
    return MESSAGES;
  }

  private static final Channel MESSAGES = new ReducerChannel(io.graphloop.agents.AddMessages.INSTANCE,
      Values.frozenList(java.util.List.of(), "the empty messages channel"));

  /** Folds writes with {@code operator}; the first write starts the fold when the channel is unset. */
  public static Channel reducer(BinaryOperator<Object> operator) {
    return ReducerChannel.withoutInitial(Objects.requireNonNull(operator, "operator"));
  }

  /** Folds writes with {@code operator}, starting from {@code initial} when the channel is unset. */
  public static Channel reducer(BinaryOperator<Object> operator, Object initial) {
    return new ReducerChannel(Objects.requireNonNull(operator, "operator"),
        Values.freeze(initial, "the initial value of a reducer channel"));
  }
}
