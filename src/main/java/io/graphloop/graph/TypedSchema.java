package io.graphloop.graph;

import com.fasterxml.jackson.databind.JavaType;
import io.graphloop.state.Append;
import io.graphloop.state.Channel;
import io.graphloop.state.Channels;
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

/**
 * The channels a typed state declares (see {@link TypedStateGraph}), a Java record or a JavaBean (its
 * {@link StateProperty properties}): one channel per component or property, a last-value channel unless it is
 * annotated {@link Append} or {@link Reduce}; and the conversions between the typed state and the state's JSON values
 * (Jackson, {@link StateJson}).
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

  /** The typed view of {@code state}; channels that are unset read as null. */
  S read(State state) {
    try {
      return StateJson.mapper().convertValue(state.asMap(), type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The state cannot be read as " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  /** The non-null components (or properties) of {@code partial} as JSON-compatible values, in their order. */
  Map<String, Object> partial(Object partial) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (StateProperty property : partial.getClass() == type ? properties : StateProperty.of(partial.getClass())) {
      Object value = property.read(partial);
      if (value != null) {
        values.put(property.name(), toJson(value));
      }
    }
    return values;
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
