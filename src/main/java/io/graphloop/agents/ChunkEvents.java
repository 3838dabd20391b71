package io.graphloop.agents;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.List;

/**
 * Reads the usual streamed chunk event of OpenAI's chat completions ({@code {"id", "model", "choices": [{"delta":
 * {"content": "..."}, "finish_reason": ...}], ...}}: a token of text) straight into an {@link AiMessageChunk} with
 * Jackson's streaming parser, without the tree of maps and lists a {@code JsonObject} makes and the wrappers its
 * getters make: a streamed answer parses one such event per token, on the model client's event loop.
 *
 * <p>Only that shape is read here; for any other event ({@link #plainText} gives {@code null}) the caller parses it as a
 * {@code JsonObject} and reads it with {@link OpenAiWire#chunk}, as before, which also gives its errors: an event
 * that is not JSON or not an object, has an {@code error}, {@code usage} or {@code tool_calls}, a field of another
 * type than the tree path reads without failing, a key of interest twice, or trailing tokens. What is read here is
 * what {@link OpenAiWire#chunk} reads from the same text: the same fields, of the first choice only.
 *
 * <p>Stateless and thread-safe (Jackson's factory is; a parser per call).
 */
final class ChunkEvents {

  private static final JsonFactory FACTORY = new JsonFactory();

  private ChunkEvents() {
  }

  /**
   * The chunk of stream event {@code data} when it is a plain text token (see the class comment), with
   * {@code fallbackId} as its id when the event has none; {@code null} for any other event.
   */
  static AiMessageChunk plainText(String data, String fallbackId) {
    try (JsonParser parser = FACTORY.createParser(data)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      Fields fields = new Fields();
      if (!object(parser, fields) || parser.nextToken() != null) {
        return null;
      }
      return new AiMessageChunk(fields.id == null ? fallbackId : fields.id, fields.content, List.of(), fields.finish,
          null, fields.model);
    } catch (IOException | RuntimeException e) {
      return null; // not JSON, or not the plain shape: the tree path reads it and says what is wrong
    }
  }

  /** What a plain event gives; {@code seen} bits refuse a repeated key (the tree keeps the last, here: fall back). */
  private static final class Fields {
    String id;
    String model;
    String content;
    String finish;
    int seen;

    boolean first(int bit) {
      if ((seen & bit) != 0) {
        return false;
      }
      seen |= bit;
      return true;
    }
  }

  private static final int ID = 1;
  private static final int MODEL = 2;
  private static final int CHOICES = 4;
  private static final int DELTA = 8;
  private static final int CONTENT = 16;
  private static final int FINISH = 32;

  /** The event's top-level object, the parser after its start; false: not the plain shape. */
  private static boolean object(JsonParser parser, Fields fields) throws IOException {
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "id":
          if (!fields.first(ID) || (fields.id = text(parser, value)) == null && value != JsonToken.VALUE_NULL) {
            return false;
          }
          break;
        case "model":
          if (!fields.first(MODEL) || (fields.model = text(parser, value)) == null && value != JsonToken.VALUE_NULL) {
            return false;
          }
          break;
        case "choices":
          if (!fields.first(CHOICES) || !choices(parser, value, fields)) {
            return false;
          }
          break;
        case "error":
        case "usage":
          if (value != JsonToken.VALUE_NULL) {
            return false; // the tree path reports the error / maps the usage
          }
          break;
        default:
          parser.skipChildren();
      }
    }
    return parser.currentToken() == JsonToken.END_OBJECT;
  }

  /** {@code choices}: its first element's {@code delta} and {@code finish_reason}, as the tree path reads them. */
  private static boolean choices(JsonParser parser, JsonToken value, Fields fields) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return true;
    }
    if (value != JsonToken.START_ARRAY) {
      return false;
    }
    JsonToken element = parser.nextToken();
    if (element == JsonToken.END_ARRAY) { // no choice: no content, as in the tree path
      return true;
    }
    if (element == JsonToken.START_OBJECT) {
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken field = parser.nextToken();
        if (name.equals("finish_reason")) {
          if (!fields.first(FINISH) || (fields.finish = text(parser, field)) == null && field != JsonToken.VALUE_NULL) {
            return false;
          }
        } else if (name.equals("delta")) {
          if (!fields.first(DELTA) || !delta(parser, field, fields)) {
            return false;
          }
        } else {
          parser.skipChildren();
        }
      }
    } else {
      parser.skipChildren(); // a first choice that is not an object: the tree path ignores it too
    }
    while (parser.nextToken() != JsonToken.END_ARRAY) { // the other choices: not read
      if (parser.currentToken() == null) {
        return false;
      }
      parser.skipChildren();
    }
    return true;
  }

  /** The first choice's {@code delta}: its {@code content}; tool call fragments go to the tree path. */
  private static boolean delta(JsonParser parser, JsonToken value, Fields fields) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return true;
    }
    if (value != JsonToken.START_OBJECT) {
      return false;
    }
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken field = parser.nextToken();
      if (name.equals("content")) {
        if (!fields.first(CONTENT) || (fields.content = text(parser, field)) == null && field != JsonToken.VALUE_NULL) {
          return false;
        }
      } else if (name.equals("tool_calls")) {
        if (field != JsonToken.VALUE_NULL) {
          return false;
        }
      } else {
        parser.skipChildren();
      }
    }
    return true;
  }

  /** A string value's text, else {@code null} (for JSON null, and for any other type: the caller tells them apart). */
  private static String text(JsonParser parser, JsonToken value) throws IOException {
    return value == JsonToken.VALUE_STRING ? parser.getText() : null;
  }
}
