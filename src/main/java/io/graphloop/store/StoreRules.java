package io.graphloop.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.graphloop.state.StateJson;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The rules every {@link Store} backend shares: LangGraph's namespace and key checks, value encoding with its size
 * bound, filter matching ({@code _compare_values} / {@code _apply_operator} of LangGraph's in-memory store), namespace
 * matching with {@code "*"} wildcards, the search order.
 *
 * <p>Stateless; thread-safe.
 */
final class StoreRules {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
  };
  private static final Set<String> OPERATORS = Set.of("$eq", "$ne", "$gt", "$gte", "$lt", "$lte");

  /** Newest update first, then namespace (joined) and key: a total order, so pages do not overlap. */
  static final Comparator<StoreItem> SEARCH_ORDER = Comparator.comparing(StoreItem::updatedAt).reversed()
      .thenComparing(item -> String.join(".", item.namespace())).thenComparing(StoreItem::key);

  /** Lexicographic by label, shorter first on a tie: LangGraph's sort of namespace tuples. */
  static final Comparator<List<String>> NAMESPACE_ORDER = (a, b) -> {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = a.get(i).compareTo(b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  };

  private StoreRules() {
  }

  /** LangGraph's {@code _validate_namespace}. */
  static List<String> namespace(List<String> namespace) {
    if (namespace == null || namespace.isEmpty()) {
      throw new IllegalArgumentException("A namespace must have at least one label, e.g. [\"users\", \"alice\"]; got "
          + namespace);
    }
    for (Object label : namespace) {
      if (!(label instanceof String)) {
        throw new IllegalArgumentException("Namespace labels must be strings; got " + label + " in " + namespace);
      }
      String text = (String) label;
      if (text.isEmpty()) {
        throw new IllegalArgumentException("Namespace labels cannot be empty strings; got " + namespace);
      }
      if (text.indexOf('.') >= 0) {
        throw new IllegalArgumentException("Namespace label '" + text + "' in " + namespace + " contains a period; "
            + "labels cannot contain '.' (it joins labels on the wire)");
      }
    }
    if (namespace.get(0).equals("langgraph")) {
      throw new IllegalArgumentException("The root label of a namespace cannot be \"langgraph\" (reserved); got "
          + namespace);
    }
    return List.copyOf(namespace);
  }

  /** A prefix for search: empty allowed; otherwise labels as in {@link #namespace} (no root rule). */
  static List<String> prefix(List<String> prefix) {
    for (Object label : prefix) {
      if (!(label instanceof String) || ((String) label).isEmpty() || ((String) label).indexOf('.') >= 0) {
        throw new IllegalArgumentException("Namespace prefix labels must be non-empty strings without '.'; got "
            + prefix);
      }
    }
    return prefix;
  }

  static String key(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("An item's key must be a non-empty string; got " + (key == null ? "null"
          : "\"\""));
    }
    return key;
  }

  /** The JSON text of a value, checked to be a JSON object within {@code maxBytes}. */
  static String encode(Map<String, ?> value, int maxBytes, List<String> namespace, String key) {
    String json;
    try {
      json = StateJson.mapper().writeValueAsString(plain(value));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("The value of item " + namespace + "/" + key + " is not JSON-compatible: "
          + e.getOriginalMessage());
    }
    int bytes = json.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > maxBytes) {
      throw new IllegalArgumentException("The value of item " + namespace + "/" + key + " is " + bytes + " bytes of "
          + "JSON; the store accepts at most " + maxBytes + " (StoreOptions.maxValueBytes)");
    }
    return json;
  }

  /** A frozen JSON-compatible copy of a map (what the store keeps and hands out). */
  static Map<String, Object> frozenValue(Map<String, ?> value, String what) {
    try {
      return decode(StateJson.mapper().writeValueAsString(plain(value)));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + " is not JSON-compatible: " + e.getOriginalMessage());
    }
  }

  /** Vert.x's {@code JsonObject}/{@code JsonArray} (e.g. from a request's body) as plain maps and lists, deeply. */
  static Object plain(Object value) {
    if (value instanceof io.vertx.core.json.JsonObject) {
      return plain(((io.vertx.core.json.JsonObject) value).getMap());
    }
    if (value instanceof io.vertx.core.json.JsonArray) {
      return plain(((io.vertx.core.json.JsonArray) value).getList());
    }
    if (value instanceof Map) {
      Map<Object, Object> copy = new java.util.LinkedHashMap<>();
      ((Map<?, ?>) value).forEach((k, v) -> copy.put(k, plain(v)));
      return copy;
    }
    if (value instanceof List) {
      List<Object> copy = new java.util.ArrayList<>();
      ((List<?>) value).forEach(v -> copy.add(plain(v)));
      return copy;
    }
    return value;
  }

  static Map<String, Object> decode(String json) {
    try {
      return freeze(StateJson.mapper().readValue(json, MAP));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A stored value is not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T freeze(T value) {
    if (value instanceof Map) {
      Map<String, Object> copy = new java.util.LinkedHashMap<>();
      ((Map<String, Object>) value).forEach((k, v) -> copy.put(k, freeze(v)));
      return (T) Collections.unmodifiableMap(copy);
    }
    if (value instanceof List) {
      List<Object> copy = new java.util.ArrayList<>();
      ((List<Object>) value).forEach(v -> copy.add(freeze(v)));
      return (T) Collections.unmodifiableList(copy);
    }
    return value;
  }

  static void checkPage(int limit, int offset) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be 0 or more, got " + offset);
    }
  }

  static void checkLimit(int limit, StoreOptions options) {
    if (limit > options.getMaxLimit()) {
      throw new IllegalArgumentException("limit " + limit + " is above the store's maximum page of "
          + options.getMaxLimit() + " (StoreOptions.maxLimit); page with offset");
    }
  }

  /** Refuses unknown {@code $} operators at once (LangGraph raises on use). */
  @SuppressWarnings("unchecked")
  static void checkFilter(Map<String, Object> filter) {
    for (Map.Entry<String, Object> condition : filter.entrySet()) {
      if (condition.getValue() instanceof Map) {
        Map<String, Object> nested = (Map<String, Object>) condition.getValue();
        for (Map.Entry<String, Object> op : nested.entrySet()) {
          if (op.getKey().startsWith("$")) {
            if (!OPERATORS.contains(op.getKey())) {
              throw new IllegalArgumentException("Unsupported filter operator '" + op.getKey() + "' on field '"
                  + condition.getKey() + "'; supported: $eq, $ne, $gt, $gte, $lt, $lte");
            }
            if (Set.of("$gt", "$gte", "$lt", "$lte").contains(op.getKey()) && !(op.getValue() instanceof Number)) {
              throw new IllegalArgumentException("Filter operator " + op.getKey() + " on field '" + condition.getKey()
                  + "' compares numbers; got " + op.getValue());
            }
          }
        }
        if (nested.keySet().stream().noneMatch(k -> k.startsWith("$"))) {
          checkFilter(nested);
        }
      }
    }
  }

  /** Whether {@code value} matches every condition of {@code filter}. */
  static boolean matches(Map<String, Object> value, Map<String, Object> filter) {
    for (Map.Entry<String, Object> condition : filter.entrySet()) {
      if (!compare(value.get(condition.getKey()), condition.getValue())) {
        return false;
      }
    }
    return true;
  }

  @SuppressWarnings("unchecked")
  private static boolean compare(Object itemValue, Object filterValue) {
    if (filterValue instanceof Map) {
      Map<String, Object> conditions = (Map<String, Object>) filterValue;
      if (conditions.keySet().stream().anyMatch(k -> k.startsWith("$"))) {
        for (Map.Entry<String, Object> op : conditions.entrySet()) {
          if (!operator(itemValue, op.getKey(), op.getValue())) {
            return false;
          }
        }
        return true;
      }
      return itemValue instanceof Map && matches((Map<String, Object>) itemValue, conditions);
    }
    if (filterValue instanceof List) {
      List<Object> expected = (List<Object>) filterValue;
      if (!(itemValue instanceof List) || ((List<Object>) itemValue).size() != expected.size()) {
        return false;
      }
      for (int i = 0; i < expected.size(); i++) {
        if (!compare(((List<Object>) itemValue).get(i), expected.get(i))) {
          return false;
        }
      }
      return true;
    }
    return equal(itemValue, filterValue);
  }

  /** Python's {@code ==} on JSON values: numbers by value (1 == 1.0), booleans are not numbers. */
  private static boolean equal(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(b.toString())) == 0;
    }
    return Objects.equals(a, b);
  }

  private static boolean operator(Object value, String operator, Object operand) {
    switch (operator) {
      case "$eq":
        return equal(value, operand);
      case "$ne":
        return !equal(value, operand);
      default:
        if (!(value instanceof Number)) {
          return false; // LangGraph's float() would raise; a missing or non-numeric field does not match
        }
        double left = ((Number) value).doubleValue();
        double right = ((Number) operand).doubleValue();
        switch (operator) {
          case "$gt":
            return left > right;
          case "$gte":
            return left >= right;
          case "$lt":
            return left < right;
          case "$lte":
            return left <= right;
          default:
            throw new IllegalArgumentException("Unsupported filter operator '" + operator + "'");
        }
    }
  }

  /** LangGraph's {@code _does_match} for a prefix or suffix with {@code "*"} wildcards. */
  static boolean matchesNamespace(List<String> namespace, NamespaceQuery query) {
    List<String> prefix = query.prefix();
    List<String> suffix = query.suffix();
    if (namespace.size() < prefix.size() || namespace.size() < suffix.size()) {
      return false;
    }
    for (int i = 0; i < prefix.size(); i++) {
      if (!prefix.get(i).equals("*") && !prefix.get(i).equals(namespace.get(i))) {
        return false;
      }
    }
    for (int i = 0; i < suffix.size(); i++) {
      String label = suffix.get(suffix.size() - 1 - i);
      if (!label.equals("*") && !label.equals(namespace.get(namespace.size() - 1 - i))) {
        return false;
      }
    }
    return true;
  }

  static boolean startsWith(List<String> namespace, List<String> prefix) {
    return namespace.size() >= prefix.size() && namespace.subList(0, prefix.size()).equals(prefix);
  }

  /** When an item put now with {@code ttlMinutes} expires ({@code null}: never). */
  static Instant expiry(Instant now, Double ttlMinutes) {
    return ttlMinutes == null ? null : now.plusMillis(Math.round(ttlMinutes * 60_000));
  }

  static Double ttl(Double asked, StoreOptions options) {
    Double ttl = asked != null ? asked : options.getDefaultTtlMinutes();
    if (ttl != null && !(ttl > 0 && Double.isFinite(ttl))) {
      throw new IllegalArgumentException("ttl must be a positive number of minutes (or null for the store's "
          + "default), got " + ttl);
    }
    return ttl;
  }

  /** The namespaces listed for {@code query} among {@code namespaces} (sorted, cut to depth, de-duplicated, paged). */
  static List<List<String>> listNamespaces(java.util.Collection<List<String>> namespaces, NamespaceQuery query) {
    java.util.TreeSet<List<String>> kept = new java.util.TreeSet<>(NAMESPACE_ORDER);
    for (List<String> namespace : namespaces) {
      if (matchesNamespace(namespace, query)) {
        kept.add(query.maxDepth() == null || namespace.size() <= query.maxDepth() ? namespace
            : List.copyOf(namespace.subList(0, query.maxDepth())));
      }
    }
    return kept.stream().skip(query.offset()).limit(query.limit()).toList();
  }
}
