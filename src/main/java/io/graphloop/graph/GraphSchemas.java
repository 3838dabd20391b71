package io.graphloop.graph;

import io.graphloop.internal.graph.JsonScalars;
import io.graphloop.state.Channel;
import io.graphloop.state.Channels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A compiled graph's JSON Schemas (draft 2020-12), as LangGraph's {@code get_input_jsonschema()} and
 * {@code get_output_jsonschema()} give them and the LangGraph server's {@code GET /assistants/{id}/schemas} serves
 * them: an object schema whose properties are the channels, each titled as pydantic titles a field
 * ({@code tool_calls} is "Tool Calls").
 *
 * <p>Where a channel's type comes from:
 * <ul>
 *   <li>a typed graph ({@link StateGraph#typed}): its record component's Java type: strings, whole numbers
 *       ({@code integer}), other numbers, booleans, enums (their names, a {@code $defs} entry), lists, sets and arrays ({@code array} of the
 *       element's schema), maps ({@code object} of the value's schema), nested records ({@code $defs} entries named
 *       after the record, referred to by {@code $ref}), chat messages (below); any other type (e.g.
 *       {@code Object}) is any JSON value, {@code {}}; a component's default ({@link io.graphloop.state.Default}, a
 *       bean's field initializer) is its {@code "default"}, as pydantic lists a field's;</li>
 *   <li>an untyped graph: the channel's kind: {@link Channels#messages()} is a list of chat messages, an append
 *       channel an array, a reducer with an initial value the JSON type of that value, anything else any JSON
 *       value;</li>
 *   <li>chat messages: an array of LangChain's message objects ({@code oneOf} {@code AIMessage},
 *       {@code HumanMessage}, {@code SystemMessage}, {@code ToolMessage} in {@code $defs}), as LangGraph's schema
 *       of a {@code list[AnyMessage]}.</li>
 * </ul>
 * The input schema has the graph's input keys ({@link CompiledGraph#inputKeys()}), titled after its input record,
 * else its state record, else the graph; the output schema has its output keys ({@link CompiledGraph#outputKeys()},
 * titled after its output record) or every channel; the state schema every channel. Unlike a Python
 * {@code TypedDict}, no property is {@code required}: a run's input may give any of them. A graph that is not strict
 * (it takes keys it did not declare) says so with {@code "additionalProperties": true}.
 *
 * <p>Stateless and thread-safe; every call returns new objects.
 */
public final class GraphSchemas {

  /** Nested records deeper than this are cut off as any value (a record that contains itself would never end). */
  private static final int MAX_DEPTH = 32;

  private GraphSchemas() {
  }

  /** The schema of a run's input: the graph's input keys. */
  public static JsonObject input(CompiledGraph graph) {
    Set<String> keys = graph.inputKeys();
    String title = graph.inputType().or(graph::stateType).map(Class::getSimpleName).orElse(graph.name());
    return object(graph, title, keys == null ? graph.channels().keySet() : keys, keys == null);
  }

  /** The schema of a run's output: its output keys ({@link CompiledGraph#outputKeys()}), by default every channel. */
  public static JsonObject output(CompiledGraph graph) {
    Set<String> keys = graph.outputKeys();
    if (keys == null) {
      return state(graph);
    }
    String title = graph.outputType().or(graph::stateType).map(Class::getSimpleName).orElse(graph.name());
    return object(graph, title, keys, false);
  }

  /** The schema of a thread's state values: every channel. */
  public static JsonObject state(CompiledGraph graph) {
    return object(graph, graph.stateType().map(Class::getSimpleName).orElse(graph.name()), graph.channels().keySet(),
        !graph.isStrictChannels());
  }

  /**
   * The schema of a run's {@code config.configurable}: an object of any keys (Graphloop graphs declare no config
   * schema; a node reads {@code configurable} values as they come).
   */
  public static JsonObject config(CompiledGraph graph) {
    return new JsonObject().put("additionalProperties", true).put("properties", new JsonObject())
        .put("title", "Configurable").put("type", "object");
  }

  /** The title pydantic gives a field named {@code name}: Python's {@code name.title()} with '_' as a space. */
  static String title(String name) {
    StringBuilder title = new StringBuilder(name.length());
    boolean afterLetter = false;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean letter = Character.isLetter(c);
      title.append(!letter ? (c == '_' ? ' ' : c) : afterLetter ? Character.toLowerCase(c) : Character.toUpperCase(c));
      afterLetter = letter;
    }
    return title.toString();
  }

  private static JsonObject object(CompiledGraph graph, String title, Collection<String> keys, boolean openEnded) {
    Defs defs = new Defs();
    Optional<Class<?>> typed = graph.stateType();
    Map<String, Type> types = new HashMap<>();
    Map<String, Object> defaults = new HashMap<>();
    typed.ifPresent(type -> {
      for (StateProperty property : StateProperty.of(type)) { // a record's components or a bean's properties
        types.put(property.name(), property.genericType());
      }
      defaults.putAll(TypedSchema.of(type).defaults());
    });
    JsonObject properties = new JsonObject();
    for (String key : keys) {
      JsonObject schema = types.containsKey(key) ? defs.schema(types.get(key), 0)
          : channelSchema(graph.channel(key), defs);
      if (defaults.containsKey(key)) { // pydantic's and a dataclass's field default
        schema.put("default", JsonObject.of("v", defaults.get(key)).getValue("v"));
      }
      properties.put(key, titled(schema, key));
    }
    JsonObject schema = new JsonObject();
    if (!defs.json.isEmpty()) {
      schema.put("$defs", defs.json);
    }
    if (openEnded) {
      schema.put("additionalProperties", true);
    }
    return schema.put("properties", properties).put("title", title).put("type", "object");
  }

  /** {@code schema} with its property's title; a {@code $ref} goes untitled, as pydantic leaves it. */
  private static JsonObject titled(JsonObject schema, String name) {
    return schema.containsKey("$ref") ? schema : schema.put("title", title(name));
  }

  /** An untyped graph's channel: what its kind says. */
  private static JsonObject channelSchema(Channel channel, Defs defs) {
    if (channel == Channels.messages()) {
      return defs.messages();
    }
    if ("append".equals(channel.kind())) {
      return new JsonObject().put("items", new JsonObject()).put("type", "array");
    }
    Object initial = channel.defaultValue();
    if (initial != null) {
      JsonObject schema = jsonType(initial);
      return schema.put("default", JsonObject.of("v", initial).getValue("v"));
    }
    return new JsonObject();
  }

  /** The JSON type of a value (a reducer's initial value). */
  private static JsonObject jsonType(Object value) {
    String type = value instanceof String ? "string" : value instanceof Boolean ? "boolean"
        : value instanceof Integer || value instanceof Long || value instanceof BigInteger ? "integer"
        : value instanceof Number ? "number" : value instanceof List ? "array" : value instanceof Map ? "object" : null;
    return type == null ? new JsonObject() : new JsonObject().put("type", type);
  }

  /** The {@code $defs} of one schema: nested records by name, and the message types once any is used. */
  private static final class Defs {

    private final JsonObject json = new JsonObject();
    private final Map<Class<?>, String> names = new LinkedHashMap<>();
    private boolean messages;

    JsonObject messages() {
      defineMessages();
      return MessageSchemas.list();
    }

    private void defineMessages() {
      if (!messages) {
        messages = true;
        MessageSchemas.define(json);
      }
    }

    JsonObject schema(Type type, int depth) {
      if (depth > MAX_DEPTH) {
        return new JsonObject();
      }
      if (type instanceof WildcardType wildcard) {
        return schema(wildcard.getUpperBounds()[0], depth);
      }
      if (type instanceof TypeVariable<?> variable) {
        return schema(variable.getBounds()[0], depth);
      }
      if (type instanceof GenericArrayType array) {
        return array(schema(array.getGenericComponentType(), depth + 1));
      }
      if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> raw) {
        Type[] arguments = parameterized.getActualTypeArguments();
        if (Collection.class.isAssignableFrom(raw)) {
          return isMessage(arguments[0]) ? messages() : array(schema(arguments[0], depth + 1));
        }
        if (Map.class.isAssignableFrom(raw)) {
          return new JsonObject().put("additionalProperties", schema(arguments[1], depth + 1)).put("type", "object");
        }
        if (raw == Optional.class) {
          return schema(arguments[0], depth);
        }
        type = raw;
      }
      if (!(type instanceof Class<?> c)) {
        return new JsonObject();
      }
      String scalar = JsonScalars.type(c);
      if (scalar != null) {
        return new JsonObject().put("type", scalar);
      }
      if (c.isEnum()) {
        return new JsonObject().put("$ref", "#/$defs/" + define(c, depth));
      }
      if (c.isArray()) {
        return array(schema(c.getComponentType(), depth + 1));
      }
      if (isMessage(c)) {
        defineMessages();
        return MessageSchemas.one();
      }
      if (Collection.class.isAssignableFrom(c)) {
        return array(new JsonObject());
      }
      if (Map.class.isAssignableFrom(c)) {
        return new JsonObject().put("additionalProperties", true).put("type", "object");
      }
      if (c.isRecord() || StateProperty.isBean(c) && hasProperties(c)) {
        return new JsonObject().put("$ref", "#/$defs/" + define(c, depth));
      }
      return new JsonObject();
    }

    /** Defines record or enum {@code c} (once) and returns its name in {@code $defs}. */
    private String define(Class<?> c, int depth) {
      String known = names.get(c);
      if (known != null) {
        return known;
      }
      String name = names.containsValue(c.getSimpleName()) || json.containsKey(c.getSimpleName()) ? c.getName()
          : c.getSimpleName();
      names.put(c, name);
      JsonObject definition = new JsonObject();
      json.put(name, definition);                     // before its components: a record may contain itself
      if (c.isEnum()) {
        JsonArray values = new JsonArray();
        for (Object constant : c.getEnumConstants()) {
          values.add(((Enum<?>) constant).name());
        }
        definition.put("enum", values).put("title", c.getSimpleName()).put("type", "string");
        return name;
      }
      JsonObject properties = new JsonObject();
      for (StateProperty property : StateProperty.of(c)) {
        properties.put(property.name(), titled(schema(property.genericType(), depth + 1), property.name()));
      }
      definition.put("properties", properties).put("title", c.getSimpleName()).put("type", "object");
      return name;
    }

    /** Whether bean {@code c} has properties to describe (a bean nested in the state, as a pydantic model). */
    private static boolean hasProperties(Class<?> c) {
      try {
        return !StateProperty.of(c).isEmpty();
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    private static JsonObject array(JsonObject items) {
      return new JsonObject().put("items", items).put("type", "array");
    }

    private static boolean isMessage(Type type) {
      Type bound = type instanceof WildcardType wildcard ? wildcard.getUpperBounds()[0] : type;
      return bound instanceof Class<?> c && io.graphloop.agents.Message.class.isAssignableFrom(c);
    }
  }
}
