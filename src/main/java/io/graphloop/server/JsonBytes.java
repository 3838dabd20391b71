package io.graphloop.server;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.jackson.JacksonCodec;

import java.io.IOException;
import java.io.OutputStream;

/**
 * JSON written as UTF-8 straight into a Vert.x {@link Buffer}: the text {@code JsonObject.encode()} makes (Vert.x's
 * own encoder, {@link JacksonCodec#encodeJson}, walks the value; characters outside the BMP come out escaped, see
 * {@link #FACTORY}), without the String and its copy in between. A token's chunk on its way to an SSE response is
 * encoded this way, once, into the frame's bytes ({@link Sse.Frame}).
 *
 * <p>Stateless and thread-safe (Jackson's generators keep their scratch buffers per thread).
 */
final class JsonBytes {

  /**
   * Jackson's defaults: a character outside the BMP (an emoji) is written as its escaped surrogate pair
   * ({@code \ud83d\ude00}, the same string to every JSON parser), a broken pair's half escaped alone (the text
   * encoder wrote {@code ?} for it). Not {@code COMBINE_UNICODE_SURROGATES_IN_UTF8}: Jackson 2.18 then joins a lone
   * high surrogate with whatever character follows it, silently.
   */
  private static final JsonFactory FACTORY = new JsonFactory();

  private JsonBytes() {
  }

  /**
   * Appends {@code value} (a map, list, JsonObject, JsonArray, string, number, boolean or null) as JSON to
   * {@code out}. Throws {@link EncodeException} when it cannot (a value of a type Vert.x's encoder does not know, as
   * {@code JsonObject.encode()} would); {@code out} may then hold part of the value.
   */
  static void write(Buffer out, Object value) {
    try (JsonGenerator generator = FACTORY.createGenerator(new Appender(out), JsonEncoding.UTF8)) {
      JacksonCodec.encodeJson(value, generator);
    } catch (IOException | RuntimeException e) {
      throw new EncodeException("Could not encode " + (value == null ? "null" : value.getClass().getName())
          + " as JSON: " + e.getMessage());
    }
  }

  /** An output stream appending to a buffer (Jackson flushes its own buffer into it in one piece per value). */
  private static final class Appender extends OutputStream {
    private final Buffer out;

    Appender(Buffer out) {
      this.out = out;
    }

    @Override
    public void write(int b) {
      out.appendByte((byte) b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      out.appendBytes(bytes, offset, length);
    }
  }
}
