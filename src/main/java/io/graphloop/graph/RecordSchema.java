package io.graphloop.graph;

import com.fasterxml.jackson.databind.JavaType;
import io.graphloop.internal.graph.ReflectiveAccess;
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
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels a typed state record declares (see {@link TypedStateGraph}): one channel per record component,
 * a last-value channel unless the component is annotated {@link Append} or {@link Reduce}; and the conversions
 * between the record and the state's JSON values (Jackson, {@link StateJson}).
 *
 * <p>Immutable after construction; thread-safe.
 *
 * @param <S> the record type
 */
final class RecordSchema<S extends Record> {

  private final Class<S> type;
  private final Map<String, JavaType> components = new LinkedHashMap<>();
  private final Map<String, Channel> channels = new LinkedHashMap<>();

  private RecordSchema(Class<S> type) {
    this.type = type;
  }

  /**
   * Reads {@code type}'s components.
   *
   * @throws IllegalArgumentException when the type is not a record, a component is primitive (it could not be
   *                                  unset), or an annotation does not fit its component, saying what would
   */
  static <S extends Record> RecordSchema<S> of(Class<S> type) {
    if (type == null || !type.isRecord()) {
      throw new IllegalArgumentException("A typed state is a Java record; " + (type == null ? "null"
          : type.getName()) + " is not one (declare e.g. record MyState(String topic, @Append List<String> notes)).");
    }
    ReflectiveAccess.requireReadable(type, "The state record");
    RecordSchema<S> schema = new RecordSchema<>(type);
    List<String> problems = new ArrayList<>();
    for (RecordComponent component : type.getRecordComponents()) {
      String where = "Component '" + component.getName() + "' of " + type.getSimpleName();
      if (component.getType().isPrimitive()) {
        problems.add(where + " is a primitive " + component.getType().getName() + ", which cannot be unset; use its "
            + "wrapper type (e.g. Integer for int): an unset channel reads as null");
        continue;
      }
      JavaType javaType = StateJson.mapper().getTypeFactory().constructType(component.getGenericType());
      schema.components.put(component.getName(), javaType);
      Append append = component.getAnnotation(Append.class);
      Reduce reduce = component.getAnnotation(Reduce.class);
      if (append != null && reduce != null) {
        problems.add(where + " is both @Append and @Reduce; choose one");
      } else if (append != null) {
        if (!Collection.class.isAssignableFrom(component.getType())) {
          problems.add(where + " is @Append but a " + component.getType().getSimpleName()
              + "; an append channel is a List (e.g. List<String>)");
        }
        schema.channels.put(component.getName(), Channels.append());
      } else if (reduce != null) {
        try {
          schema.channels.put(component.getName(), reducerChannel(component, javaType, reduce.value()));
        } catch (IllegalArgumentException e) {
          problems.add(where + ": " + e.getMessage());
        }
      } else {
        schema.channels.put(component.getName(), Channels.lastValue());
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

  /** The channels, in component order. */
  Map<String, Channel> channels() {
    return channels;
  }

  /** The record's view of {@code state}; channels that are unset read as null. */
  S read(State state) {
    try {
      return StateJson.mapper().convertValue(state.asMap(), type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The state cannot be read as " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  /** The non-null components of {@code partial} as JSON-compatible values, in component order. */
  Map<String, Object> partial(Record partial) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (RecordComponent component : partial.getClass().getRecordComponents()) {
      Object value;
      try {
        value = component.getAccessor().invoke(partial);
      } catch (ReflectiveOperationException e) {
        throw new IllegalArgumentException("Component '" + component.getName() + "' of "
            + partial.getClass().getSimpleName() + " could not be read: " + e, e);
      }
      if (value != null) {
        values.put(component.getName(), toJson(value));
      }
    }
    return values;
  }

  /** The Jackson type of component {@code name}, or null when the record has no such component. */
  JavaType component(String name) {
    return components.get(name);
  }

  private static Channel reducerChannel(RecordComponent component, JavaType javaType,
                                        @SuppressWarnings("rawtypes") Class<? extends Reducer> reducerClass) {
    Type argument = reducerArgument(reducerClass);
    Class<?> raw = argument instanceof Class ? (Class<?>) argument
        : argument instanceof ParameterizedType ? (Class<?>) ((ParameterizedType) argument).getRawType() : null;
    if (raw != null && !raw.isAssignableFrom(component.getType())) {
      throw new IllegalArgumentException("its reducer " + reducerClass.getSimpleName() + " is a Reducer<"
          + raw.getSimpleName() + ">, but the component is a " + component.getType().getSimpleName()
          + "; the reducer's type argument must be the component's type");
    }
    @SuppressWarnings("unchecked")
    Reducer<Object> reducer = (Reducer<Object>) instantiate(reducerClass);
    String name = component.getName();
    java.util.function.BinaryOperator<Object> operator = (current, write) -> toJson(reducer.apply(
        convert(current, javaType, name), convert(write, javaType, name)));
    Object empty = emptyValue(component.getType());
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
