package io.graphloop.state;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Reads typed fields of JSON (requests, options, configuration files) with errors that say which field, where,
 * and what was expected, instead of a bare {@code ClassCastException}.
 *
 * <p>Stateless.
 */
public final class JsonFields {

  private JsonFields() {
  }

  public static String optionalString(JsonObject json, String field, String where) {
    Object value = json.getValue(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    throw wrongType(field, where, "a string", value);
  }

  public static String requiredString(JsonObject json, String field, String where) {
    String value = optionalString(json, field, where);
    if (value == null) {
      throw new IllegalArgumentException("Field '" + field + "' of " + where + " is missing; it must be a string.");
    }
    return value;
  }

  /** A required ISO-8601 instant, e.g. {@code "2026-11-21T17:01:00Z"}. */
  public static java.time.Instant requiredInstant(JsonObject json, String field, String where) {
    String text = requiredString(json, field, where);
    try {
      return java.time.Instant.parse(text);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("Field '" + field + "' of " + where + " must be an ISO-8601 instant, was \""
          + text + "\"", e);
    }
  }

  public static int optionalInt(JsonObject json, String field, int fallback, String where) {
    Object value = json.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Integer || (value instanceof Long && (long) value == (int) (long) value)) {
      return ((Number) value).intValue();
    }
    throw wrongType(field, where, "an integer", value);
  }

  public static long optionalLong(JsonObject json, String field, long fallback, String where) {
    Object value = json.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Integer || value instanceof Long) {
      return ((Number) value).longValue();
    }
    throw wrongType(field, where, "an integer", value);
  }

  public static JsonObject optionalObject(JsonObject json, String field, String where) {
    Object value = json.getValue(field);
    if (value == null || value instanceof JsonObject) {
      return (JsonObject) value;
    }
    throw wrongType(field, where, "a JSON object", value);
  }

  public static JsonArray optionalArray(JsonObject json, String field, String where) {
    Object value = json.getValue(field);
    if (value == null || value instanceof JsonArray) {
      return (JsonArray) value;
    }
    throw wrongType(field, where, "a JSON array", value);
  }

  private static IllegalArgumentException wrongType(String field, String where, String expected, Object value) {
    String actual = value instanceof String ? "the string \"" + value + "\""
        : value.getClass().getSimpleName().replace("Json", "JSON ").toLowerCase() + " " + value;
    return new IllegalArgumentException("Field '" + field + "' of " + where + " must be " + expected + ", was "
        + actual + ".");
  }

  public static double optionalDouble(JsonObject json, String field, double fallback, String where) {
    Object value = json.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (value instanceof Number) {
      return ((Number) value).doubleValue();
    }
    throw wrongType(field, where, "a number", value);
  }
}
