package io.graphloop.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads request bodies and their fields with LangGraph Server's error statuses: a body that is not JSON is 400, a
 * field of the wrong type or out of range is 422, each message naming the field, what it was and what is accepted.
 *
 * <p>Stateless; call from the request's event loop (it only reads the body the router already buffered, bounded by
 * {@link ServerOptions#getMaxBodyBytes()}).
 */
final class Bodies {

  private Bodies() {
  }

  /** The body as a JSON object; an empty body is {@code {}}. */
  static JsonObject object(RoutingContext ctx) {
    return object(ctx.body() == null ? null : ctx.body().buffer());
  }

  /** {@code body} (a request's, {@code null} when none) as a JSON object; an empty body is {@code {}}. */
  static JsonObject object(Buffer body) {
    if (body == null || body.length() == 0) {
      return new JsonObject();
    }
    Object value;
    try {
      value = Json.decodeValue(body);
    } catch (DecodeException e) {
      throw new ApiException(400, "The request body is not valid JSON: " + e.getMessage());
    }
    if (!(value instanceof JsonObject)) {
      throw new ApiException(422, "The request body must be a JSON object, was " + describe(value) + ".");
    }
    return (JsonObject) value;
  }

  /** Refuses fields other than {@code known}, so that a typo never passes silently. */
  static void onlyKnown(JsonObject body, Set<String> known, String what) {
    for (String name : body.fieldNames()) {
      if (!known.contains(name)) {
        throw ApiException.invalid("Unknown field '" + name + "' in " + what + "; its fields are "
            + new java.util.TreeSet<>(known) + ".");
      }
    }
  }

  static String string(JsonObject body, String name) {
    Object value = body.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String)) {
      throw wrong(name, "a string", value);
    }
    return (String) value;
  }

  static JsonObject object(JsonObject body, String name) {
    Object value = body.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonObject)) {
      throw wrong(name, "a JSON object", value);
    }
    return (JsonObject) value;
  }

  static Boolean bool(JsonObject body, String name) {
    Object value = body.getValue(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Boolean)) {
      throw wrong(name, "true or false", value);
    }
    return (Boolean) value;
  }

  /** An integer field within {@code [min, max]}, or {@code otherwise} when absent or null. */
  static int integer(JsonObject body, String name, int otherwise, int min, int max) {
    Object value = body.getValue(name);
    if (value == null) {
      return otherwise;
    }
    if (!(value instanceof Number) || value instanceof Double || value instanceof Float
        || ((Number) value).longValue() < min || ((Number) value).longValue() > max) {
      throw wrong(name, "a whole number from " + min + " to " + max, value);
    }
    return ((Number) value).intValue();
  }

  /** A field that is one of {@code allowed}, or {@code otherwise} when absent or null. */
  static String oneOf(JsonObject body, String name, String otherwise, List<String> allowed) {
    String value = string(body, name);
    if (value == null) {
      return otherwise;
    }
    if (!allowed.contains(value)) {
      throw ApiException.invalid("Field '" + name + "' must be one of " + allowed + ", was \"" + value + "\".");
    }
    return value;
  }

  /** A field holding a string or an array of strings (LangGraph's {@code stream_mode}, {@code interrupt_before}). */
  static List<String> strings(JsonObject body, String name) {
    Object value = body.getValue(name);
    if (value == null) {
      return null;
    }
    List<String> strings = new ArrayList<>();
    if (value instanceof String) {
      strings.add((String) value);
      return strings;
    }
    if (!(value instanceof JsonArray)) {
      throw wrong(name, "a string or an array of strings", value);
    }
    for (Object item : (JsonArray) value) {
      if (!(item instanceof String)) {
        throw ApiException.invalid("Field '" + name + "' must hold only strings, had " + describe(item) + ".");
      }
      strings.add((String) item);
    }
    return strings;
  }

  /** A path or query parameter that must be a whole number within {@code [min, max]}. */
  static int intParam(String value, String name, int otherwise, int min, int max) {
    if (value == null || value.isEmpty()) {
      return otherwise;
    }
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid("Parameter '" + name + "' must be a whole number from " + min + " to " + max
        + ", was '" + value + "'.");
  }

  /** A cancel's {@code action} query parameter: {@code interrupt}, {@code rollback} or absent ({@code null}). */
  static String cancelAction(String value) {
    if (value != null && !value.equals("interrupt") && !value.equals("rollback")) {
      throw ApiException.invalid("Parameter 'action' must be interrupt or rollback, was '" + value + "'.");
    }
    return value;
  }

  /** A query parameter that must be {@code true} or {@code false} (also 1 / 0, as the Python SDK sends). */
  static boolean boolParam(String value, String name, boolean otherwise) {
    if (value == null || value.isEmpty()) {
      return otherwise;
    }
    switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "true":
      case "1":
        return true;
      case "false":
      case "0":
        return false;
      default:
        throw ApiException.invalid("Parameter '" + name + "' must be true or false, was '" + value + "'.");
    }
  }

  static ApiException wrong(String name, String expected, Object value) {
    return ApiException.invalid("Field '" + name + "' must be " + expected + ", was " + describe(value) + ".");
  }

  static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    String type = value instanceof String ? "string" : value instanceof Boolean ? "boolean"
        : value instanceof Number ? "number" : value instanceof JsonArray ? "array"
        : value instanceof JsonObject ? "object" : value.getClass().getSimpleName();
    String text = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    return type + " " + (text.length() > 80 ? text.substring(0, 80) + "..." : text);
  }
}
