package io.graphloop.state;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;

import java.util.List;
import java.util.function.BinaryOperator;

/**
 * A channel combined by a user {@link BinaryOperator} (LangGraph's {@code BinaryOperatorAggregate}):
 * {@code value = op(value, write)} for each write of the step, in task order. When the channel is unset
 * the fold starts from the initial value, or, without one, from the first write. The operator sees
 * frozen JSON-compatible values and its result is frozen. An {@link Overwrite} write bypasses the operator: the
 * channel takes its value for the step and the step's other writes are dropped (LangGraph's order of folding
 * first and replacing after gives the same value).
 *
 * <p>Immutable; thread-safe if the operator is (it should be a pure function).
 */
public final class ReducerChannel implements Channel {

  private static final Object NO_INITIAL = new Object();

  private final BinaryOperator<Object> operator;
  private final Object initial;

  ReducerChannel(BinaryOperator<Object> operator, Object initial) {
    this.operator = operator;
    this.initial = initial;
  }

  static ReducerChannel withoutInitial(BinaryOperator<Object> operator) {
    return new ReducerChannel(operator, NO_INITIAL);
  }

  @Override
  public Object update(String name, boolean present, Object current, List<Write> writes, int step) {
    int overwrite = Overwrite.find(name, writes, step);
    if (overwrite >= 0) {
      return Overwrite.valueOf(writes.get(overwrite).value());
    }
    int start = 0;
    Object value;
    if (present) {
      value = current;
    } else if (initial != NO_INITIAL) {
      value = initial;
    } else {
      value = writes.get(0).value();
      start = 1;
    }
    for (int i = start; i < writes.size(); i++) {
      Write write = writes.get(i);
      try {
        value = operator.apply(value, write.value());
      } catch (RuntimeException e) {
        throw new GraphloopException(FailureCode.INVALID_UPDATE, "The reducer of channel '" + name
            + "' failed at step " + step + " on the write of node '" + write.node() + "': " + e, null, null, step,
            write.node(), e);
      }
    }
    return Values.freeze(value, "the result of the reducer of channel '" + name + "'");
  }

  /** The initial value, if given (LangGraph's {@code BinaryOperatorAggregate} starts as its type's empty value). */
  @Override
  public Object defaultValue() {
    return initial == NO_INITIAL ? null : initial;
  }

  @Override
  public String kind() {
    return "reducer";
  }
}
