package io.graphloop.run;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads an enum from its wire name, or fails listing the accepted names. Stateless and thread-safe. */
final class WireNames {

  private WireNames() {
  }

  static <E extends Enum<E>> E of(Class<E> type, E[] values, Function<E, String> wireName, String name,
                                    String field) {
    for (E value : values) {
      if (wireName.apply(value).equals(name)) {
        return value;
      }
    }
    throw new IllegalArgumentException((name == null ? "Missing " + field : "Unknown " + field + " '" + name + "'")
        + "; " + field + " is one of " + Arrays.stream(values).map(wireName).collect(Collectors.joining(", "))
        + " (" + type.getSimpleName() + ").");
  }
}
