package io.graphloop.runtime;

/**
 * The range checks of {@link GraphRuntimeOptions} and its option groups, with the one wording every field's error
 * uses ({@code "<field> must be greater than or equal to <min>, was <value>"}).
 *
 * <p>Thread rules: stateless; any thread.
 */
final class OptionBounds {

  private OptionBounds() {
  }

  static long atLeast(String field, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be greater than or equal to " + min + ", was " + value);
    }
    return value;
  }

  static int atLeast(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + " must be greater than or equal to " + min + ", was " + value);
    }
    return value;
  }
}
