package io.graphloop.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * The shape of every Graphloop codec: inside a JVM the (immutable) message object travels by
 * reference, with no copy; between JVMs it travels as a length-prefixed JSON object. Never Java
 * serialization.
 *
 * <p>Codecs are stateless and thread-safe.
 *
 * @param <T> the message type
 */
abstract class JsonBodyCodec<T> implements MessageCodec<T, T> {

  private final String name;

  JsonBodyCodec(String name) {
    this.name = name;
  }

  /** The message as JSON, for the wire. */
  abstract JsonObject toJson(T body);

  /** The message read back from its JSON. */
  abstract T fromJson(JsonObject json);

  @Override
  public final void encodeToWire(Buffer buffer, T body) {
    Buffer json = toJson(body).toBuffer();
    buffer.appendInt(json.length());
    buffer.appendBuffer(json);
  }

  @Override
  public final T decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    return fromJson(new JsonObject(buffer.slice(pos + 4, pos + 4 + length)));
  }

  @Override
  public final T transform(T body) {
    return body;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final byte systemCodecID() {
    return -1;
  }
}
