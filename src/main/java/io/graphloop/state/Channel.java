package io.graphloop.state;

import java.util.List;

/**
 * How one channel of the state combines the writes of a superstep with its current value.
 * Each kind is a small class behind this one contract (as LangGraph's {@code channels/*.py}):
 * {@link LastValueChannel}, {@link AppendChannel}, {@link ReducerChannel}. Their values are plain
 * JSON-compatible values, so a checkpoint of a channel is its value and restoring is reading it back.
 *
 * <p>Implementations are immutable and stateless: the value lives in the {@link State}, so one channel
 * object serves every run of a graph, concurrently.
 */
public interface Channel {

  /**
   * Combines one step's writes with the current value.
   *
   * @param name    the channel's name, for error messages
   * @param present whether the channel had a value before this step
   * @param current the value before this step (meaningless when {@code present} is false)
   * @param writes  this step's writes, at least one, in the order they are applied (task order)
   * @param step    the superstep, for error messages
   * @return the new value, frozen
   * @throws io.graphloop.errors.InvalidUpdateException when the writes break the channel's rule
   */
  Object update(String name, boolean present, Object current, List<Write> writes, int step);

  /**
   * The value the channel shows before its first write, as LangGraph's channels do (an append channel's empty list,
   * a reducer's initial value), or {@code null} for none (the key is absent until written). Frozen.
   */
  default Object defaultValue() {
    return null;
  }

  /** A short description for diagrams and error messages, e.g. {@code "last-value"}. */
  String kind();
}
