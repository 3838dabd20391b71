package io.graphloop.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;

/**
 * Reads the JSON body of a request that did not arrive as a Graphloop object (a {@link JsonObject}, a JSON string or
 * a buffer, e.g. from another language's event-bus client), refusing bodies over a size limit before parsing them.
 * Shared by the coordinator's run requests and the thread requests.
 *
 * <p>Stateless; safe on any thread.
 */
public final class RequestBodies {

  private RequestBodies() {
  }

  /**
   * The body as a JSON object.
   *
   * @param maxBytes the largest body accepted, in bytes of its JSON text (a string's UTF-8 length is computed only when
   *                 its char count alone cannot decide)
   * @param expected what to send instead, for the message when the body is of another type
   * @throws IllegalArgumentException when the body is too large or of another type, saying which
   * @throws io.vertx.core.json.DecodeException when it is not JSON
   */
  public static JsonObject json(Object body, int maxBytes, String expected) {
    if (body instanceof JsonObject) {
      checkDepth((JsonObject) body);
      checkSize(((JsonObject) body).toBuffer().length(), maxBytes);
      return (JsonObject) body;
    }
    if (body instanceof String) {
      String text = (String) body;
      int size = text.length() > maxBytes || (long) text.length() * 3 <= maxBytes ? text.length()
          : text.getBytes(StandardCharsets.UTF_8).length;
      checkSize(size, maxBytes);
      return new JsonObject(text);
    }
    if (body instanceof Buffer) {
      checkSize(((Buffer) body).length(), maxBytes);
      return new JsonObject((Buffer) body);
    }
    throw new IllegalArgumentException("the body is " + (body == null ? "empty" : "a " + body.getClass().getName())
        + "; send " + expected);
  }

  /**
   * The deepest nesting accepted in a request object: the JSON parser's own limit (Jackson's
   * {@code StreamReadConstraints} default), so that an object and the same request as text are refused alike.
   */
  public static final int MAX_NESTING = 1_000;

  /**
   * Refuses an object nested deeper than {@link #MAX_NESTING}, measured without recursion (encoding it for the size
   * check, or any recursive walk, could exhaust the stack).
   *
   * @throws IllegalArgumentException saying how deep values may nest
   */
  static void checkDepth(JsonObject body) {
    java.util.ArrayDeque<Object> values = new java.util.ArrayDeque<>();
    java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
    values.push(body);
    depths.push(1);
    while (!values.isEmpty()) {
      Object value = values.pop();
      int depth = depths.pop();
      Iterable<?> children;
      if (value instanceof JsonObject) {
        children = ((JsonObject) value).getMap().values();
      } else if (value instanceof java.util.Map) {
        children = ((java.util.Map<?, ?>) value).values();
      } else if (value instanceof JsonArray) {
        children = ((JsonArray) value).getList();
      } else if (value instanceof java.util.List) {
        children = (java.util.List<?>) value;
      } else {
        continue;
      }
      if (depth > MAX_NESTING) {
        throw new IllegalArgumentException("the request nests deeper than " + MAX_NESTING + " levels (values may nest "
            + "at most " + io.graphloop.state.Values.MAX_DEPTH + " levels); flatten it");
      }
      for (Object child : children) {
        if (child instanceof JsonObject || child instanceof JsonArray || child instanceof java.util.Map
            || child instanceof java.util.List) {
          values.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }

  private static void checkSize(int size, int maxBytes) {
    if (size > maxBytes) {
      throw new IllegalArgumentException("the request is " + size + " bytes, over the limit of " + maxBytes
          + " (GraphRuntimeOptions.maxRequestBytes); send less or raise the limit");
    }
  }
}
