package io.graphloop.protocol;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The protocol's shorthand for {@link JsonFields}: typed fields of request JSON with errors naming the field.
 *
 * <p>Stateless.
 */
final class Json {

  private Json() {
  }

  static String optionalString(JsonObject json, String field, String where) {
    return JsonFields.optionalString(json, field, where);
  }

  static String requiredString(JsonObject json, String field, String where) {
    return JsonFields.requiredString(json, field, where);
  }

  static int optionalInt(JsonObject json, String field, int fallback, String where) {
    return JsonFields.optionalInt(json, field, fallback, where);
  }

  static long optionalLong(JsonObject json, String field, long fallback, String where) {
    return JsonFields.optionalLong(json, field, fallback, where);
  }

  static JsonObject optionalObject(JsonObject json, String field, String where) {
    return JsonFields.optionalObject(json, field, where);
  }

  static JsonArray optionalArray(JsonObject json, String field, String where) {
    return JsonFields.optionalArray(json, field, where);
  }
}
