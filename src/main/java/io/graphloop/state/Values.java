package io.graphloop.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns values into deeply immutable, JSON-compatible values, once, when they enter the state.
 * This is what lets snapshots travel by reference inside a JVM (no copy per node) and as JSON
 * between JVMs with the same meaning.
 *
 * <p>Key order is stable across JVMs: ordered maps keep their order, unordered ones ({@code Map.of},
 * {@code HashMap}) are sorted by key.
 *
 * <p>Accepted: {@code null}, strings, booleans, numbers, maps with string keys, lists and other
 * collections, arrays of objects, Vert.x {@code JsonObject}/{@code JsonArray}, enums (their name),
 * and any record or bean Jackson can convert to JSON (its properties). Maps become frozen ordered
 * maps, collections become frozen lists. Already frozen values are returned as they are. An object of a public class
 * with a public {@code @JsonValue} method (as the agents' messages and chunks) is frozen from that method's value,
 * which is what Jackson serializes, without Jackson's round trip.
 *
 * <p><b>One number model</b>, the one JSON decoding produces, so a value is equal to itself after any round trip
 * (the local codec, the JSON wire, every checkpoint store): a whole number ({@code Byte}, {@code Short},
 * {@code Integer}, {@code Long}, {@code BigInteger}, atomic and adder integers) becomes the smallest of
 * {@code Integer}, {@code Long}, {@code BigInteger} that holds it; any other number becomes a {@code Double}
 * ({@code Float} through its decimal form, so {@code 0.1f} is {@code 0.1}; {@code BigDecimal} by
 * {@code doubleValue()}, so beyond a double's 17 significant digits it is rounded). NaN and infinities are refused:
 * JSON has no such numbers. Decoders freeze what they read, so they apply the same model.
 *
 * <p><b>Text is valid Unicode</b>: a string or map key holding a lone UTF-16 surrogate (half of a pair) is refused,
 * saying where, because UTF-8 (the wire, SQLite, PostgreSQL) cannot hold it and would turn it into {@code '?'}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Values {

  private Values() {
  }

  /** Whether {@code value} is already deeply immutable and JSON-compatible (freezing it is free). */
  public static boolean isFrozen(Object value) {
    return value == null || value instanceof Boolean || value instanceof Integer || value instanceof FrozenMap
        || value instanceof FrozenList || value instanceof AppendOnlyList
        || value instanceof String && loneSurrogate((String) value) < 0
        || value instanceof Double && Double.isFinite((Double) value)
        || value instanceof Long && (long) value != (int) (long) value
        || value instanceof BigInteger && ((BigInteger) value).bitLength() > 63;
  }

  /**
   * A deeply immutable, JSON-compatible equivalent of {@code value}.
   *
   * @param where names the value in error messages, e.g. {@code "channel 'x' written by node 'a'"}
   * @throws IllegalArgumentException when the value cannot be represented as JSON, saying where and why
   */
  public static Object freeze(Object value, String where) {
    return freeze(value, where, 0);
  }

  /** Deeper nesting than this is refused (JSON parsers refuse it too); it would only exhaust the stack. */
  public static final int MAX_DEPTH = 500;

  private static Object freeze(Object value, String where, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("The value in " + where + " is nested deeper than " + MAX_DEPTH
          + " levels; flatten it.");
    }
    if (isFrozen(value)) {
      return value;
    }
    if (value instanceof String) {
      throw loneSurrogateIn((String) value, where);
    }
    if (value instanceof Map) {
      return freezeMap((Map<?, ?>) value, where, depth);
    }
    if (value instanceof JsonObject) {
      return freezeMap(((JsonObject) value).getMap(), where, depth);
    }
    if (value instanceof JsonArray) {
      return freezeList(((JsonArray) value).getList(), where, depth);
    }
    if (value instanceof Collection) {
      return freezeList((Collection<?>) value, where, depth);
    }
    if (value instanceof Object[]) {
      return freezeList(Arrays.asList((Object[]) value), where, depth);
    }
    if (value instanceof Number) {
      return number((Number) value, where);
    }
    if (value instanceof Enum) {
      return ((Enum<?>) value).name();
    }
    if (value instanceof CharSequence) {
      return value.toString();
    }
    if (value instanceof Overwrite overwrite) {
      return overwrite.toJson(freeze(overwrite.value(), where, depth + 1));
    }
    return freezeBean(value, where, depth);
  }

  /** Freezes a node's partial update: string keys, frozen values. */
  public static Map<String, Object> freezeUpdate(Map<?, ?> update, String where) {
    return freezeMap(update, where, 0);
  }

  /**
   * Like {@link #freezeUpdate(Map, String)}, with the description made only when the update is refused: freezing is
   * deterministic, so a refused update is frozen again with the description, which gives the same error with its
   * place named. Spares building a string for every update on the hot path.
   */
  public static Map<String, Object> freezeUpdate(Map<?, ?> update, java.util.function.Supplier<String> where) {
    try {
      return freezeMap(update, "", 0);
    } catch (IllegalArgumentException refused) {
      return freezeMap(update, where.get(), 0);
    }
  }

  /** Like {@link #freeze(Object, String)}, with the description made only when the value is refused. */
  public static Object freeze(Object value, java.util.function.Supplier<String> where) {
    try {
      return freeze(value, "", 0);
    } catch (IllegalArgumentException refused) {
      return freeze(value, where.get(), 0);
    }
  }

  /** {@code number} in the number model (see the class comment). */
  private static Object number(Number number, String where) {
    if (number instanceof Long || number instanceof Short || number instanceof Byte
        || number instanceof java.util.concurrent.atomic.AtomicInteger
        || number instanceof java.util.concurrent.atomic.AtomicLong
        || number instanceof java.util.concurrent.atomic.LongAdder
        || number instanceof java.util.concurrent.atomic.LongAccumulator) {
      long whole = number.longValue();
      return whole == (int) whole ? (Object) (int) whole : (Object) whole;
    }
    if (number instanceof BigInteger) {
      BigInteger whole = (BigInteger) number;
      return whole.bitLength() <= 31 ? (Object) whole.intValue() : (Object) whole.longValue();
    }
    double real = number instanceof Float ? Double.parseDouble(number.toString()) : number.doubleValue();
    if (!Double.isFinite(real)) {
      throw new IllegalArgumentException("The number " + number + " in " + where + " is not a JSON number (JSON has "
          + "no NaN or infinity" + (number instanceof BigDecimal ? ", and this decimal is beyond a double's range"
          : "") + "); store it as a string, or as null.");
    }
    return real;
  }

  /** The index of the first lone UTF-16 surrogate in {@code text}, or -1 when it is valid Unicode. */
  static int loneSurrogate(String text) {
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
        } else {
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * Refuses text that is not valid Unicode (a lone UTF-16 surrogate), for strings that are stored or sent as they
   * are, such as thread ids; returns {@code text}.
   *
   * @throws IllegalArgumentException naming {@code where}, the surrogate and its index
   */
  public static String requireValidText(String text, String where) {
    if (text != null && loneSurrogate(text) >= 0) {
      throw loneSurrogateIn(text, where);
    }
    return text;
  }

  private static IllegalArgumentException loneSurrogateIn(String text, String where) {
    int at = loneSurrogate(text);
    return new IllegalArgumentException("The text in " + where + " holds a lone UTF-16 surrogate (\\u"
        + String.format("%04X", (int) text.charAt(at)) + " at index " + at + " of " + text.length() + " chars): "
        + "text must be valid Unicode, with surrogates only in high-low pairs, because UTF-8 (the event bus between "
        + "JVMs, the checkpoint stores) cannot hold half a pair. Fix the text where it was cut (e.g. a substring "
        + "through an emoji).");
  }

  private static FrozenMap freezeMap(Map<?, ?> map, String where, int depth) {
    if (map.isEmpty()) {
      return FrozenMap.EMPTY;
    }
    FrozenMap.Builder copy = new FrozenMap.Builder(map.size());
    for (Map.Entry<?, ?> e : inStableOrder(map, where)) {
      if (!(e.getKey() instanceof String)) {
        throw new IllegalArgumentException("Map key " + e.getKey() + " in " + where + " is a "
            + (e.getKey() == null ? "null" : e.getKey().getClass().getName())
            + "; JSON objects have string keys only. Convert the key to a String.");
      }
      String key = (String) e.getKey();
      if (loneSurrogate(key) >= 0) {
        throw loneSurrogateIn(key, "a map key in " + where);
      }
      copy.put(key, freeze(e.getValue(), where, depth + 1));
    }
    return copy.build();
  }

  /**
   * The entries in an order that does not depend on hashing: an ordered map ({@code LinkedHashMap},
   * {@code SortedMap}, a frozen map, a {@code JsonObject}'s map) keeps its order; any other map ({@code Map.of},
   * {@code HashMap}) is sorted by key. So a state's key order, and its JSON, are the same in every JVM.
   */
  private static Iterable<? extends Map.Entry<?, ?>> inStableOrder(Map<?, ?> map, String where) {
    if (map.size() < 2 || map instanceof LinkedHashMap || map instanceof java.util.SortedMap
        || map instanceof FrozenMap) {
      return map.entrySet();
    }
    List<Map.Entry<?, ?>> entries = new java.util.ArrayList<>(map.entrySet());
    for (Map.Entry<?, ?> e : entries) {
      if (!(e.getKey() instanceof String)) {
        throw new IllegalArgumentException("Map key " + e.getKey() + " in " + where + " is a "
            + (e.getKey() == null ? "null" : e.getKey().getClass().getName())
            + "; JSON objects have string keys only. Convert the key to a String.");
      }
    }
    entries.sort((a, b) -> ((String) a.getKey()).compareTo((String) b.getKey()));
    return entries;
  }

  private static FrozenList freezeList(Collection<?> list, String where, int depth) {
    if (list.isEmpty()) {
      return FrozenList.EMPTY;
    }
    Object[] copy = new Object[list.size()];
    int i = 0;
    for (Object item : list) {
      copy[i++] = freeze(item, where, depth + 1);
    }
    return new FrozenList(copy);
  }

  private static Object freezeBean(Object value, String where, int depth) {
    java.lang.invoke.MethodHandle jsonValue = JSON_VALUE.get(value.getClass());
    if (jsonValue != null) { // what Jackson would serialize, taken without its round trip through a token tree
      Object json;
      try {
        json = jsonValue.invoke(value);
      } catch (RuntimeException | Error e) {
        throw e;
      } catch (Throwable e) {
        throw new IllegalArgumentException("The @JsonValue method of " + value.getClass().getName() + " in " + where
            + " failed: " + e, e);
      }
      return freeze(json, where, depth + 1);
    }
    Object tree;
    try {
      ObjectMapper mapper = StateJson.mapper();
      tree = mapper.treeToValue(mapper.valueToTree(value), Object.class);
    } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("The value of type " + value.getClass().getName() + " in " + where
          + " cannot be represented as JSON (" + e.getMessage() + "). State values must be JSON-compatible: "
          + "strings, numbers, booleans, null, maps, lists, or records/beans Jackson can serialize.", e);
    }
    return freeze(tree, where, depth);
  }

  /**
   * Per class, its public no-argument method annotated {@code @JsonValue} (on the method or on the method it overrides
   * in a public supertype), or {@code null}: Jackson serializes such an object as that method's value, so freezing
   * the value itself gives the same result as the round trip through Jackson, without its token tree (a chat model's
   * chunks, messages written to the state).
   */
  private static final ClassValue<java.lang.invoke.MethodHandle> JSON_VALUE = new ClassValue<>() {
    @Override
    protected java.lang.invoke.MethodHandle computeValue(Class<?> type) {
      if (!java.lang.reflect.Modifier.isPublic(type.getModifiers())) {
        return null;
      }
      for (java.lang.reflect.Method method : type.getMethods()) {
        if (method.getParameterCount() == 0 && method.getReturnType() != void.class
            && !java.lang.reflect.Modifier.isStatic(method.getModifiers()) && annotatedJsonValue(type, method)) {
          try {
            return java.lang.invoke.MethodHandles.publicLookup().unreflect(method)
                .asType(java.lang.invoke.MethodType.methodType(Object.class, Object.class));
          } catch (IllegalAccessException e) {
            return null;
          }
        }
      }
      return null;
    }
  };

  private static boolean annotatedJsonValue(Class<?> type, java.lang.reflect.Method method) {
    if (type == null) {
      return false;
    }
    try {
      com.fasterxml.jackson.annotation.JsonValue annotation = type.getMethod(method.getName())
          .getAnnotation(com.fasterxml.jackson.annotation.JsonValue.class);
      if (annotation != null) {
        return annotation.value();
      }
    } catch (NoSuchMethodException e) {
      return false;
    }
    if (annotatedJsonValue(type.getSuperclass(), method)) {
      return true;
    }
    for (Class<?> parent : type.getInterfaces()) {
      if (annotatedJsonValue(parent, method)) {
        return true;
      }
    }
    return false;
  }

  /** A frozen list of frozen maps, for message fields such as a run's interrupts. */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> frozenListOfMaps(List<? extends Map<String, ?>> items) {
    return (List<Map<String, Object>>) (List<?>) freezeList(items, "a list of JSON objects", 0);
  }

  /** A frozen list made of {@code items}, for reducers that build lists. */
  public static List<Object> frozenList(List<?> items, String where) {
    return freezeList(items, where, 0);
  }

}
