package io.graphloop.agents;

import io.graphloop.internal.graph.JsonScalars;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Collection;
import java.util.Map;

/**
 * The JSON schema of a record's components, for a tool's arguments: strings, whole numbers ({@code integer}),
 * other numbers, booleans, enums (their names), lists and arrays (of a known element type), maps (objects) and nested
 * records. Every component is required and no other property is allowed (what OpenAI's strict mode expects); a
 * component of another type is refused, naming it.
 *
 * <p>Stateless and thread-safe.
 */
final class RecordSchemas {

  private static final int MAX_DEPTH = 16;

  private RecordSchemas() {
  }

  static JsonObject of(Class<? extends Record> type) {
    return record(type, 0);
  }

  private static JsonObject record(Class<?> type, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("Tool argument record " + type.getName() + " nests deeper than " + MAX_DEPTH
          + " levels.");
    }
    JsonObject properties = new JsonObject();
    JsonArray required = new JsonArray();
    for (RecordComponent component : type.getRecordComponents()) {
      properties.put(component.getName(), schema(component.getGenericType(),
          type.getSimpleName() + "." + component.getName(), depth));
      required.add(component.getName());
    }
    return new JsonObject().put("type", "object").put("properties", properties).put("required", required)
        .put("additionalProperties", false);
  }

  private static JsonObject schema(Type type, String where, int depth) {
    if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
      if (Collection.class.isAssignableFrom(raw)) {
        return new JsonObject().put("type", "array")
            .put("items", schema(parameterized.getActualTypeArguments()[0], where, depth + 1));
      }
      if (Map.class.isAssignableFrom(raw)) {
        return new JsonObject().put("type", "object");
      }
      type = raw;
    }
    if (!(type instanceof Class<?> c)) {
      throw new IllegalArgumentException("Tool argument " + where + " has type " + type + ", which has no JSON schema;"
          + " use strings, numbers, booleans, enums, lists, maps or records.");
    }
    String scalar = JsonScalars.type(c);
    if (scalar != null) {
      return new JsonObject().put("type", scalar);
    }
    if (c.isEnum()) {
      JsonArray names = new JsonArray();
      for (Object constant : c.getEnumConstants()) {
        names.add(((Enum<?>) constant).name());
      }
      return new JsonObject().put("type", "string").put("enum", names);
    }
    if (c.isArray()) {
      return new JsonObject().put("type", "array").put("items", schema(c.getComponentType(), where, depth + 1));
    }
    if (c.isRecord()) {
      return record(c, depth + 1);
    }
    if (Map.class.isAssignableFrom(c)) {
      return new JsonObject().put("type", "object");
    }
    throw new IllegalArgumentException("Tool argument " + where + " has type " + c.getName() + ", which has no JSON "
        + "schema; use strings, numbers, booleans, enums, lists (with an element type), maps or records.");
  }
}
