package io.graphloop.checkpoint;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.graphloop.state.StateJson;
import io.graphloop.state.Values;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON text form of the frozen values the stores hold, and the freezing of the records' JSON fields. Values
 * are written by Graphloop's Jackson mapper and read back as Jackson reads untyped JSON, then frozen: maps keep
 * their key order; numbers come back as {@code Integer}, {@code Long} or {@code BigInteger} (by magnitude) when
 * they have no fraction and as {@code Double} otherwise.
 *
 * <p>Stateless and thread-safe.
 */
final class CheckpointJson {

  private CheckpointJson() {
  }

  /**
   * Graphloop's mapper, except that a NaN or infinite number is refused instead of being written as the string
   * {@code "NaN"} (which would come back as a string).
   */
  private static final ObjectMapper WRITER = StateJson.mapper().copy().registerModule(new SimpleModule()
      .addSerializer(Double.class, new FiniteSerializer<>(Double.class))
      .addSerializer(Float.class, new FiniteSerializer<>(Float.class)));

  /** Writes a finite number as Jackson does; refuses NaN and infinities. */
  private static final class FiniteSerializer<T extends Number> extends StdSerializer<T> {
    FiniteSerializer(Class<T> type) {
      super(type);
    }

    @Override
    public void serialize(T value, JsonGenerator generator, SerializerProvider provider) throws IOException {
      double number = value.doubleValue();
      if (Double.isNaN(number) || Double.isInfinite(number)) {
        throw JsonMappingException.from(generator, value + " is not a JSON number (JSON has no NaN or infinity)");
      }
      if (value instanceof Float) {
        generator.writeNumber(value.floatValue());
      } else {
        generator.writeNumber(number);
      }
    }
  }

  /**
   * {@code value} (frozen) as JSON text: by {@link JsonText} (the same text as Jackson's, without its setup cost per
   * value), or by Jackson for what {@code JsonText} leaves to it.
   */
  static String encode(Object value, String where) {
    String text = JsonText.encode(value);
    return text != null ? text : encodeWithJackson(value, () -> where);
  }

  /** As {@link #encode(Object, String)}, with the description made only when the value cannot be written. */
  static String encode(Object value, java.util.function.Supplier<String> where) {
    String text = JsonText.encode(value);
    return text != null ? text : encodeWithJackson(value, where);
  }

  private static String encodeWithJackson(Object value, java.util.function.Supplier<String> where) {
    try {
      return WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The value of " + where.get() + " cannot be written as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  /** The frozen value of JSON text {@code json}. */
  static Object decode(String json, String where) {
    Object tree;
    try {
      tree = StateJson.mapper().readValue(json, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The stored JSON of " + where + " cannot be read: " + e.getOriginalMessage(), e);
    }
    return Values.freeze(tree, where);
  }

  /** The frozen JSON object of JSON text {@code json}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> decodeMap(String json, String where) {
    Object value = decode(json, where);
    if (!(value instanceof Map)) {
      throw new IllegalArgumentException("The stored JSON of " + where + " is not a JSON object");
    }
    return (Map<String, Object>) value;
  }

  /** The UTF-8 size of {@code text} in bytes, without encoding it. */
  static long utf8Bytes(String text) {
    if (text == null) {
      return 0;
    }
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** {@code value} frozen as a JSON object; {@code null} is the empty object. */
  static Map<String, Object> frozenMap(Map<String, ?> value, String where) {
    return frozenMap(value, () -> where);
  }

  /** As {@link #frozenMap(Map, String)}, with the description made only when the value is refused. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> frozenMap(Map<String, ?> value, java.util.function.Supplier<String> where) {
    if (value == null) {
      return Map.of();
    }
    return (Map<String, Object>) Values.freeze(value, where);
  }

  /** {@code value} frozen as a JSON array; {@code null} is the empty list. */
  @SuppressWarnings("unchecked")
  static List<Object> frozenList(List<?> value, java.util.function.Supplier<String> where) {
    return value == null ? List.of() : (List<Object>) Values.freeze(value, where);
  }

  /** {@code value} frozen as a list of JSON objects; {@code null} is the empty list. */
  static List<Map<String, Object>> frozenMaps(List<? extends Map<String, ?>> value, String where) {
    return frozenMaps(value, () -> where);
  }

  /** As {@link #frozenMaps(List, String)}, with the description made only when the value is refused. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> frozenMaps(List<? extends Map<String, ?>> value,
                                              java.util.function.Supplier<String> where) {
    if (value == null) {
      return List.of();
    }
    Object frozen = Values.freeze(value, where);
    for (Object item : (List<Object>) frozen) {
      if (!(item instanceof Map)) {
        throw new IllegalArgumentException("Every element of " + where.get() + " must be a JSON object, found "
            + (item == null ? "null" : item.getClass().getSimpleName()));
      }
    }
    return (List<Map<String, Object>>) frozen;
  }

  /** An unmodifiable, ordered copy of a map of strings, refusing null keys and values. */
  static Map<String, String> stringMap(Map<String, ?> value, java.util.function.Supplier<String> where) {
    if (value == null || value.isEmpty()) {
      return Map.of();
    }
    LinkedHashMap<String, String> copy = new LinkedHashMap<>(Math.max(4, value.size() * 2));
    for (Map.Entry<String, ?> e : value.entrySet()) {
      if (e.getKey() == null || !(e.getValue() instanceof String)) {
        throw new IllegalArgumentException("Entry " + e.getKey() + "=" + e.getValue() + " of " + where.get()
            + " must map a channel name to a version string");
      }
      copy.put(e.getKey(), (String) e.getValue());
    }
    return Collections.unmodifiableMap(copy);
  }

  /** An unmodifiable, ordered copy of a map of non-negative ints. */
  static Map<String, Integer> intMap(Map<String, ?> value, java.util.function.Supplier<String> where) {
    if (value == null || value.isEmpty()) {
      return Map.of();
    }
    LinkedHashMap<String, Integer> copy = new LinkedHashMap<>(Math.max(4, value.size() * 2));
    for (Map.Entry<String, ?> e : value.entrySet()) {
      if (e.getKey() == null || !(e.getValue() instanceof Number) || ((Number) e.getValue()).intValue() < 0) {
        throw new IllegalArgumentException("Entry " + e.getKey() + "=" + e.getValue() + " of " + where.get()
            + " must map a channel name to a count of at least 0");
      }
      copy.put(e.getKey(), ((Number) e.getValue()).intValue());
    }
    return Collections.unmodifiableMap(copy);
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value, String where) {
    if (!(value instanceof List)) {
      throw new IllegalArgumentException("The stored JSON of " + where + " is not a JSON array");
    }
    return (List<Object>) value;
  }
}
