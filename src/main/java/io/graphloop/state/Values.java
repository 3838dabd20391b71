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
 * maps, collections become frozen lists. Already frozen values are returned as they are.
 *
 * <p>Stateless and thread-safe.
 */
public final class Values {

  private Values() {
  }

  /** Whether {@code value} is already deeply immutable and JSON-compatible (freezing it is free). */
  public static boolean isFrozen(Object value) {
    return value == null || value instanceof String || value instanceof Boolean || value instanceof Integer
        || value instanceof Long || value instanceof Double || value instanceof FrozenMap
        || value instanceof FrozenList || value instanceof AppendOnlyList || value instanceof Float
        || value instanceof Short || value instanceof Byte || value instanceof BigInteger
        || value instanceof BigDecimal;
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
      return ((Number) value).doubleValue();
    }
    if (value instanceof Enum) {
      return ((Enum<?>) value).name();
    }
    if (value instanceof CharSequence) {
      return value.toString();
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

  private static FrozenMap freezeMap(Map<?, ?> map, String where, int depth) {
    if (map.isEmpty()) {
      return FrozenMap.EMPTY;
    }
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(Math.max(4, map.size() * 2));
    for (Map.Entry<?, ?> e : inStableOrder(map, where)) {
      if (!(e.getKey() instanceof String)) {
        throw new IllegalArgumentException("Map key " + e.getKey() + " in " + where + " is a "
            + (e.getKey() == null ? "null" : e.getKey().getClass().getName())
            + "; JSON objects have string keys only. Convert the key to a String.");
      }
      String key = (String) e.getKey();
      copy.put(key, freeze(e.getValue(), where, depth + 1));
    }
    return new FrozenMap(copy);
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
