package io.graphloop.internal.bus;

/**
 * The wire form of a correlation id: a key (names the waiter's slot in {@link PendingReplies}: a slot number under 39
 * random bits, {@link SlotTable}) and a tag (64 more random bits, checked when the answer arrives), so that an answer
 * is accepted only from whoever saw the request. In JSON it is 32 lowercase hex digits, the tag then the key (e.g.
 * {@code "9c0f...e1"}), which a node or a caller echoes verbatim; a tag of 0 (an id chosen by a raw JSON caller for
 * its own listener) is written as the key alone, as an integer.
 *
 * <p>Stateless.
 */
public final class Correlations {

  private Correlations() {
  }

  /** The JSON form of {@code key} with {@code tag}: a 32-digit hex string, or the key as a number when the tag is 0. */
  public static Object toJson(long key, long tag) {
    return tag == 0 ? (Object) key : SecureIds.hex(tag, key);
  }

  /**
   * The key of a JSON correlation id ({@code fallback} when absent).
   *
   * @throws IllegalArgumentException when it is neither an integer nor 32 hex digits
   */
  public static long key(Object value, long fallback, String where) {
    if (value == null) {
      return fallback;
    }
    if (value instanceof String) {
      return parseHex(check((String) value, where), 16);
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    throw invalid(value, where);
  }

  /** The tag of a JSON correlation id: 0 for an integer or an absent one. */
  public static long tag(Object value, String where) {
    return value instanceof String ? parseHex(check((String) value, where), 0) : 0;
  }

  private static String check(String text, String where) {
    if (text.length() != 32) {
      throw invalid(text, where);
    }
    for (int i = 0; i < 32; i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
        throw invalid(text, where);
      }
    }
    return text;
  }

  private static long parseHex(String text, int from) {
    return Long.parseUnsignedLong(text, from, from + 16, 16);
  }

  private static IllegalArgumentException invalid(Object value, String where) {
    return new IllegalArgumentException("Field 'correlation' of " + where + " must be the correlation id of the "
        + "request, echoed verbatim (32 hex digits, or an integer), was " + (value instanceof String ? "the string \""
        + value + "\"" : value.getClass().getSimpleName() + " " + value) + ".");
  }
}
