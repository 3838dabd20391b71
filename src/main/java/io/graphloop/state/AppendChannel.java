package io.graphloop.state;

import java.util.Collections;
import java.util.List;

/**
 * A list channel that appends every write (LangGraph's {@code Annotated[list, operator.add]}): a write
 * that is a list appends its elements, any other value is appended as one element. Writes of one step
 * are appended in task order. An {@link Overwrite} write replaces the list for the step (a non-list value becomes
 * a list of that one element; null stays null) and the step's other writes are dropped. Appending is amortized O(1) per element (see {@link AppendOnlyList}).
 *
 * <p>Stateless and thread-safe; a single instance is shared.
 */
public final class AppendChannel implements Channel {

  static final AppendChannel INSTANCE = new AppendChannel();

  private AppendChannel() {
  }

  @Override
  public Object update(String name, boolean present, Object current, List<Write> writes, int step) {
    int overwrite = Overwrite.find(name, writes, step);
    if (overwrite >= 0) {
      Object value = Overwrite.valueOf(writes.get(overwrite).value());
      return value == null ? null : asAppendOnly(value);
    }
    AppendOnlyList list = !present || current == null ? AppendOnlyList.EMPTY : asAppendOnly(current);
    for (Write write : writes) {
      Object value = write.value();
      list = list.appendAll(value instanceof List ? (List<?>) value : Collections.singletonList(value));
    }
    return list;
  }

  private static AppendOnlyList asAppendOnly(Object current) {
    if (current instanceof AppendOnlyList) {
      return (AppendOnlyList) current;
    }
    return AppendOnlyList.of(current instanceof List ? (List<?>) current : Collections.singletonList(current));
  }

  /** An empty list: LangGraph's {@code Annotated[list, operator.add]} starts as {@code []}. */
  @Override
  public Object defaultValue() {
    return AppendOnlyList.EMPTY;
  }

  @Override
  public String kind() {
    return "append";
  }
}
