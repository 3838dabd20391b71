package io.graphloop.runtime;

import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

import static io.graphloop.runtime.Parity.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * LangGraph's answers for one parity test class: a JSON resource (one object per test, written by the Python script
 * beside it from running LangGraph 1.2.12) and the comparison of a test's actual values with them, key by key, as
 * JSON. Also the reductions the scripts apply before printing (a message as its type and content, a namespace without
 * its task ids), so a test reduces its values the same way. Test code; immutable once loaded, any thread.
 */
final class ParityExpectations {

  /** The {@code type} of LangChain's stored messages. */
  static final Set<String> MESSAGE_TYPES = Set.of("human", "ai", "tool", "system");

  private final String resource;
  private final JsonObject all;

  private ParityExpectations(String resource, JsonObject all) {
    this.resource = resource;
    this.all = all;
  }

  /** Loads {@code resource} (a class-path path such as {@code /langgraph/pregel_more.json}); fails if it is missing. */
  static ParityExpectations load(String resource) {
    try (InputStream in = ParityExpectations.class.getResourceAsStream(resource)) {
      assertNotNull(in, "no resource " + resource + ": run the script beside it to write LangGraph's answers");
      return new ParityExpectations(resource, new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new AssertionError("reading " + resource, e);
    }
  }

  /** LangGraph's answer for {@code test}; fails, naming the resource, if the script wrote none. */
  JsonObject of(String test) {
    JsonObject expected = all.getJsonObject(test);
    assertNotNull(expected, resource + " has no entry " + test + " (its keys: " + all.fieldNames() + ")");
    return expected;
  }

  /** Asserts that {@code actual} has exactly the keys of LangGraph's answer for {@code test}, each equal as JSON. */
  void check(String test, Map<String, Object> actual) {
    check(test, of(test), actual);
  }

  /** Asserts that {@code actual} has exactly the keys of {@code expected}, each equal as JSON; {@code label} names it. */
  static void check(String label, JsonObject expected, Map<String, Object> actual) {
    for (String key : actual.keySet()) {
      assertEquals(expected.getValue(key), asJson(actual.get(key)), label + ": " + key);
    }
    assertEquals(expected.fieldNames(), actual.keySet(), label);
  }

  /** A value as it reads back from JSON (maps and lists as JsonObject/JsonArray, as {@link JsonObject#getValue}). */
  private static Object asJson(Object value) {
    Map<String, Object> holder = new LinkedHashMap<>();
    holder.put("v", value);
    return new JsonObject(holder).getValue("v");
  }

  /** As the scripts' {@code d}: each stored message, at any depth, as its type and content; other values kept. */
  static Object typeAndContent(Object value) {
    return mapMessages(value, m -> m.get("type") instanceof String type && MESSAGE_TYPES.contains(type)
        && m.containsKey("content"), m -> map("type", m.get("type"), "content", m.get("content")));
  }

  /**
   * A deep copy of a JSON-like value where each map {@code isMessage} accepts is replaced by {@code form} of it
   * (not walked further); other maps and lists are copied with their entries mapped the same way.
   */
  static Object mapMessages(Object value, Predicate<Map<?, ?>> isMessage, Function<Map<?, ?>, Object> form) {
    if (value instanceof Map<?, ?> m && isMessage.test(m)) {
      return form.apply(m);
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), mapMessages(v, isMessage, form)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(v -> out.add(mapMessages(v, isMessage, form)));
      return out;
    }
    return value;
  }

  /** A checkpoint namespace with its task ids left out ({@code child:1a2b|grandchild:3c} is {@code child|grandchild}). */
  static String withoutTaskIds(String ns) {
    if (ns == null || ns.isEmpty()) {
      return "";
    }
    List<String> levels = new ArrayList<>();
    for (String level : ns.split("\\|")) {
      levels.add(level.split(":")[0]);
    }
    return String.join("|", levels);
  }
}
