package io.graphloop.graph;

import com.fasterxml.jackson.databind.JavaType;
import io.graphloop.state.Append;
import io.graphloop.state.Channel;
import io.graphloop.state.Channels;
import io.graphloop.state.Default;
import io.graphloop.state.Reduce;
import io.graphloop.state.Reducer;
import io.graphloop.state.State;
import io.graphloop.state.StateJson;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The channels a typed state declares (see {@link TypedStateGraph}), a Java record or a JavaBean (its
 * {@link StateProperty properties}): one channel per component or property, a last-value channel unless it is
 * annotated {@link Append} or {@link Reduce}; and the conversions between the typed state and the state's JSON values
 * (Jackson, {@link StateJson}); the components' defaults ({@link Default}, a bean's field initializers), which a
 * typed view shows for a channel never written, as LangGraph's pydantic and dataclass states do.
 *
 * <p>Immutable after construction; thread-safe.
 *
 * @param <S> the record or bean type
 */
final class TypedSchema<S> {

  private final Class<S> type;
  private final List<StateProperty> properties;
  private final Map<String, JavaType> components = new LinkedHashMap<>();
  private final Map<String, Channel> channels = new LinkedHashMap<>();
  private final Map<String, Object> defaults = new LinkedHashMap<>();

  /** A bean's property values in a new instance (its field initializers), as JSON values; empty for a record. */
  private static final ClassValue<Map<String, Object>> INITIAL = new ClassValue<>() {
    @Override
    protected Map<String, Object> computeValue(Class<?> type) {
      return initialValues(type);
    }
  };

  private TypedSchema(Class<S> type, List<StateProperty> properties) {
    this.type = type;
    this.properties = properties;
  }

  /**
   * Reads {@code type}'s components (a record) or properties (a bean).
   *
   * @throws IllegalArgumentException when the type is neither, a component or property is primitive (it could not
   *                                  be unset), or an annotation does not fit it, saying what would
   */
  static <S> TypedSchema<S> of(Class<S> type) {
    TypedSchema<S> schema = new TypedSchema<>(type, StateProperty.of(type));
    List<String> problems = new ArrayList<>();
    for (StateProperty property : schema.properties) {
      String where = property.describe();
      if (property.type().isPrimitive()) {
        problems.add(where + " is a primitive " + property.type().getName() + ", which cannot be unset; use its "
            + "wrapper type (e.g. Integer for int): an unset channel reads as null");
        continue;
      }
      JavaType javaType = StateJson.mapper().getTypeFactory().constructType(property.genericType());
      schema.components.put(property.name(), javaType);
      try {
        schema.declareDefault(property, javaType);
      } catch (IllegalArgumentException e) {
        problems.add(where + ": " + e.getMessage());
      }
      Append append = property.annotation(Append.class);
      Reduce reduce = property.annotation(Reduce.class);
      if (append != null && reduce != null) {
        problems.add(where + " is both @Append and @Reduce; choose one");
      } else if (append != null) {
        if (!Collection.class.isAssignableFrom(property.type())) {
          problems.add(where + " is @Append but a " + property.type().getSimpleName()
              + "; an append channel is a List (e.g. List<String>)");
        }
        schema.channels.put(property.name(), Channels.append());
      } else if (reduce != null) {
        try {
          schema.channels.put(property.name(), reducerChannel(property, javaType, reduce.value()));
        } catch (IllegalArgumentException e) {
          problems.add(where + ": " + e.getMessage());
        }
      } else {
        schema.channels.put(property.name(), Channels.lastValue());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("The typed state " + type.getName() + " cannot be used: "
          + String.join("; ", problems) + ".");
    }
    return schema;
  }

  Class<S> type() {
    return type;
  }

  /** The channels, in component (or property) order. */
  Map<String, Channel> channels() {
    return channels;
  }

  /**
   * The component's default: its {@link Default} converted to its type, else a bean's field initializer; refuses
   * JSON that is not valid or does not fit, and a bean property whose annotation and initializer disagree.
   */
  private void declareDefault(StateProperty property, JavaType javaType) {
    Object initial = INITIAL.get(type).get(property.name());
    Default declared = property.annotation(Default.class);
    if (declared == null) {
      if (initial != null) {
        defaults.put(property.name(), initial);
      }
      return;
    }
    Object json;
    try {
      json = StateJson.mapper().readValue(declared.value(), Object.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("@Default(" + quoted(declared.value()) + ") is not JSON text (a string "
          + "default is quoted: @Default(\"\\\"a\\\"\")): " + e.getOriginalMessage());
    }
    Object value;
    try {
      value = json == null ? null : toJson(StateJson.mapper().convertValue(json, javaType));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("@Default(" + quoted(declared.value()) + ") is not a "
          + javaType.toCanonical() + ": " + e.getMessage());
    }
    if (initial != null && !Objects.equals(initial, value)) {
      throw new IllegalArgumentException("@Default(" + quoted(declared.value()) + ") disagrees with its field "
          + "initializer (" + initial + "); declare the default once");
    }
    defaults.put(property.name(), value);
  }

  private static String quoted(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  /**
   * The declared defaults by channel, as JSON values, in component order: what a typed view reads for a channel
   * never written (see {@link Default}).
   */
  Map<String, Object> defaults() {
    return java.util.Collections.unmodifiableMap(defaults);
  }

  /**
   * The typed view of {@code state}; a channel that is unset reads as its default ({@link Default}, a bean's field
   * initializer) or null. A channel written with null reads as null.
   */
  S read(State state) {
    Map<String, Object> values = state.asMap();
    if (!defaults.isEmpty()) {
      Map<String, Object> merged = new LinkedHashMap<>(defaults);
      merged.putAll(values);
      values = merged;
    }
    try {
      return StateJson.mapper().convertValue(values, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The state cannot be read as " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The non-null components (or properties) of {@code partial} as JSON-compatible values, in their order. A bean's
   * property that still holds its field initializer's value is not written (it is the bean's default, which every new
   * instance holds); {@code Update.set} writes such a value.
   */
  Map<String, Object> partial(Object partial) {
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Object> initial = INITIAL.get(partial.getClass());
    for (StateProperty property : partial.getClass() == type ? properties : StateProperty.of(partial.getClass())) {
      Object value = property.read(partial);
      if (value != null) {
        Object json = toJson(value);
        if (!json.equals(initial.get(property.name()))) {
          values.put(property.name(), json);
        }
      }
    }
    return values;
  }

  /** The non-null property values of a new instance of bean {@code type}, as JSON values; empty for a record. */
  private static Map<String, Object> initialValues(Class<?> type) {
    if (type.isRecord() || !StateProperty.isBean(type)) {
      return Map.of();
    }
    Object fresh;
    try {
      fresh = type.getConstructor().newInstance();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Map.of();
    }
    Map<String, Object> values = new LinkedHashMap<>();
    try {
      for (StateProperty property : StateProperty.of(type)) {
        Object value = property.read(fresh);
        if (value != null) {
          values.put(property.name(), toJson(value));
        }
      }
    } catch (IllegalArgumentException e) {
      return Map.of(); // not a state bean: TypedSchema.of says why
    }
    return java.util.Collections.unmodifiableMap(values);
  }

  /** The Jackson type of component (or property) {@code name}, or null when the type has no such one. */
  JavaType component(String name) {
    return components.get(name);
  }

  /**
   * The component or property {@code accessor} names: itself for a record's accessor or a property's name, the
   * property of a bean's getter ({@code getTopic}, {@code isDone}); {@code accessor} itself when it is none of them.
   */
  String propertyName(String accessor) {
    if (components.containsKey(accessor)) {
      return accessor;
    }
    for (StateProperty property : properties) {
      if (accessor.equals(property.accessorName())) {
        return property.name();
      }
    }
    return accessor;
  }

  private static Channel reducerChannel(StateProperty component, JavaType javaType,
                                        @SuppressWarnings("rawtypes") Class<? extends Reducer> reducerClass) {
    Type argument = reducerArgument(reducerClass);
    Class<?> raw = argument instanceof Class ? (Class<?>) argument
        : argument instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) argument).getRawType() : null;
    if (raw != null && !raw.isAssignableFrom(component.type())) {
      throw new IllegalArgumentException("its reducer " + reducerClass.getSimpleName() + " is a Reducer<"
          + raw.getSimpleName() + ">, but the component is a " + component.type().getSimpleName()
          + "; the reducer's type argument must be the component's type");
    }
    @SuppressWarnings("unchecked")
    Reducer<Object> reducer = (Reducer<Object>) instantiate(reducerClass);
    String name = component.name();
    java.util.function.BinaryOperator<Object> operator = (current, write) -> toJson(reducer.apply(
        convert(current, javaType, name), convert(write, javaType, name)));
    Object empty = emptyValue(component.type());
    return empty == null ? Channels.reducer(operator) : Channels.reducer(operator, empty);
  }

  /**
   * The value a reducer channel of {@code type} starts from, as LangGraph's {@code BinaryOperatorAggregate} starts
   * from {@code typ()}: an empty list for a collection, an empty map for a map, {@code ""}, zero, {@code false}, and a
   * bean's JSON form when it has a public no-argument constructor; {@code null} (no start value: the first write
   * starts the fold) for other types, as LangGraph's {@code MISSING} when {@code typ()} fails.
   */
  static Object emptyValue(Class<?> type) {
    if (Collection.class.isAssignableFrom(type)) {
      return List.of();
    }
    if (Map.class.isAssignableFrom(type)) {
      return Map.of();
    }
    if (type == String.class || type == CharSequence.class) {
      return "";
    }
    if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
        || type == java.math.BigInteger.class) {
      return 0;
    }
    if (type == Double.class || type == Float.class || type == java.math.BigDecimal.class) {
      return 0.0;
    }
    if (type == Boolean.class) {
      return false;
    }
    if (type.isRecord() || type.isInterface() || type.isEnum() || type.isArray()
        || Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers())
        || type.getName().startsWith("java.")) {
      return null;
    }
    try {
      return toJson(type.getConstructor().newInstance());
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Reducer<?> instantiate(@SuppressWarnings("rawtypes") Class<? extends Reducer> reducerClass) {
    if (!Modifier.isPublic(reducerClass.getModifiers()) || reducerClass.isInterface()
        || Modifier.isAbstract(reducerClass.getModifiers())
        || (reducerClass.isMemberClass() && !Modifier.isStatic(reducerClass.getModifiers()))) {
      throw new IllegalArgumentException("its reducer " + reducerClass.getName()
          + " must be a public, concrete (and, when nested, static) class with a public no-argument constructor");
    }
    try {
      Constructor<? extends Reducer> constructor = reducerClass.getConstructor();
      return constructor.newInstance();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("its reducer " + reducerClass.getName()
          + " has no public no-argument constructor", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("its reducer " + reducerClass.getName() + " could not be created: "
          + (e.getCause() == null ? e : e.getCause()), e);
    }
  }

  /** The type argument {@code T} of {@code Reducer<T>} as {@code type} implements it, or null when unknown. */
  private static Type reducerArgument(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Type implemented : c.getGenericInterfaces()) {
        if (implemented instanceof ParameterizedType
            && ((ParameterizedType) implemented).getRawType() == Reducer.class) {
          Type argument = ((ParameterizedType) implemented).getActualTypeArguments()[0];
          return argument instanceof TypeVariable ? null : argument;
        }
      }
    }
    return null;
  }

  static Object convert(Object json, JavaType type, String component) {
    try {
      return StateJson.mapper().convertValue(json, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Channel '" + component + "' holds " + json + ", which is not a "
          + type.toCanonical() + ": " + e.getMessage(), e);
    }
  }

  /** A value of a component as a JSON-compatible value (records and beans become maps). */
  static Object toJson(Object value) {
    return StateJson.mapper().convertValue(value, Object.class);
  }
}
