package io.graphloop.protocol;

import io.vertx.core.buffer.Buffer;
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

  private static void checkSize(int size, int maxBytes) {
    if (size > maxBytes) {
      throw new IllegalArgumentException("the request is " + size + " bytes, over the limit of " + maxBytes
          + " (GraphRuntimeOptions.maxRequestBytes); send less or raise the limit");
    }
  }
}
