package io.graphloop.internal.graph;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The JSON Schema type of a Java scalar: the one rule the graph's state schemas and the agents' tool argument schemas
 * share, so that a Java type means the same JSON type in both. Stateless and thread-safe.
 */
public final class JsonScalars {

  private JsonScalars() {
  }

  /**
   * {@code "string"}, {@code "integer"}, {@code "number"} or {@code "boolean"} for a Java string, character, integral,
   * floating-point or boolean type (boxed or primitive, and {@link BigInteger}/{@link BigDecimal}); {@code null} for
   * any other type.
   */
  public static String type(Class<?> c) {
    if (c == String.class || c == Character.class || c == char.class) {
      return "string";
    }
    if (c == Integer.class || c == Long.class || c == Short.class || c == Byte.class || c == BigInteger.class
        || c == int.class || c == long.class || c == short.class || c == byte.class) {
      return "integer";
    }
    if (c == Double.class || c == Float.class || c == BigDecimal.class || c == double.class || c == float.class) {
      return "number";
    }
    if (c == Boolean.class || c == boolean.class) {
      return "boolean";
    }
    return null;
  }
}
