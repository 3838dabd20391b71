package io.graphloop.checkpoint;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Writes the frozen values the stores hold ({@code null}, {@code Boolean}, {@code Integer}, {@code Long},
 * {@code BigInteger}, finite {@code Double}, {@code String}, maps with string keys, lists) as JSON text, character
 * for character what Jackson's default generator writes for them (same escapes: {@code \"}, {@code \\}, {@code \b},
 * {@code \t}, {@code \n}, {@code \f}, {@code \r}, other control characters as {@code \}{@code u00XX}; numbers as
 * {@code toString}), without building a generator, a serializer provider and their buffers for every value: a save
 * writes five to ten small JSON texts, and Jackson's setup cost more than the writing.
 * {@link JsonTextTest} checks the equality with Jackson.
 *
 * <p>A value of any other type (a {@code Float}, a bean) is not written here: {@link #write} answers {@code false}
 * and the caller uses Jackson. Stateless and thread-safe.
 */
final class JsonText {

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
  /**
   * For characters below 128: 0 written as is, -1 as {@code \}{@code u00XX}, else the letter after a backslash. Read
   * only (also by {@link SqliteRecordWriter}); filled once by the class initializer.
   */
  static final int[] ESCAPES = new int[128];

  static {
    for (int c = 0; c < 32; c++) {
      ESCAPES[c] = -1;
    }
    ESCAPES['"'] = '"';
    ESCAPES['\\'] = '\\';
    ESCAPES['\b'] = 'b';
    ESCAPES['\t'] = 't';
    ESCAPES['\f'] = 'f';
    ESCAPES['\n'] = 'n';
    ESCAPES['\r'] = 'r';
  }

  private JsonText() {
  }

  /**
   * {@code value} as JSON text, or {@code null} when it holds a value this writer leaves to Jackson (see the class
   * comment) or a number JSON cannot hold (NaN, infinite: Jackson reports it).
   */
  static String encode(Object value) {
    StringBuilder out = new StringBuilder(64);
    return write(value, out, 0) ? out.toString() : null;
  }

  /** Appends {@code value}; {@code false} (with {@code out} partly written) when it is left to Jackson. */
  private static boolean write(Object value, StringBuilder out, int depth) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String text) {
      string(text, out);
    } else if (value instanceof Integer || value instanceof Long || value instanceof BigInteger) {
      out.append(value);
    } else if (value instanceof Boolean bool) {
      out.append(bool.booleanValue());
    } else if (value instanceof Double number) {
      if (number.isNaN() || number.isInfinite()) {
        return false;
      }
      out.append(number.doubleValue());
    } else if (value instanceof Map<?, ?> map) {
      return depth < io.graphloop.state.Values.MAX_DEPTH && object(map, out, depth);
    } else if (value instanceof List<?> list) {
      return depth < io.graphloop.state.Values.MAX_DEPTH && array(list, out, depth);
    } else {
      return false;
    }
    return true;
  }

  private static boolean object(Map<?, ?> map, StringBuilder out, int depth) {
    out.append('{');
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        return false;
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      string(key, out);
      out.append(':');
      if (!write(entry.getValue(), out, depth + 1)) {
        return false;
      }
    }
    out.append('}');
    return true;
  }

  private static boolean array(List<?> list, StringBuilder out, int depth) {
    out.append('[');
    int size = list.size();
    if (list instanceof java.util.RandomAccess) {
      for (int i = 0; i < size; i++) {
        if (i > 0) {
          out.append(',');
        }
        if (!write(list.get(i), out, depth + 1)) {
          return false;
        }
      }
    } else {
      boolean first = true;
      for (Object item : list) {
        if (!first) {
          out.append(',');
        }
        first = false;
        if (!write(item, out, depth + 1)) {
          return false;
        }
      }
    }
    out.append(']');
    return true;
  }

  /** Appends {@code text} as a JSON string (quoted, escaped); also used by {@link PostgresBlobs}. */
  static void string(String text, StringBuilder out) {
    out.append('"');
    int length = text.length();
    int plain = 0; // start of the run of characters written as they are
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 128 || ESCAPES[c] == 0) {
        continue;
      }
      out.append(text, plain, i);
      plain = i + 1;
      int escape = ESCAPES[c];
      if (escape > 0) {
        out.append('\\').append((char) escape);
      } else {
        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
      }
    }
    out.append(text, plain, length);
    out.append('"');
  }
}
