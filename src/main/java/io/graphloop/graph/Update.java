package io.graphloop.graph;

import com.fasterxml.jackson.databind.JavaType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A typed node's partial update with more than a partial record (or bean) can say: a component set to {@code null}
 * ({@link #set}), and where to go next ({@link #goTo}, as a {@link Command}). Built from a partial record or bean
 * ({@link #of}: its non-null components or properties) and/or one by one ({@link #set}, checked against the
 * component's type when it is set; a bean's property is named by its getter, e.g. {@code Review::getComment}).
 *
 * <pre>{@code
 * Update.of(new Review(null, true, null)).set(Review::comment, null).goTo("publish")
 * }</pre>
 *
 * <p>Immutable: every method returns a new update. Thread-safe.
 *
 * @param <S> the record or bean type
 */
public final class Update<S> {

  private final Class<?> type;
  private final Map<String, Object> values;
  private final List<String> goTo;

  private Update(Class<?> type, Map<String, Object> values, List<String> goTo) {
    this.type = type;
    this.values = Collections.unmodifiableMap(values);
    this.goTo = List.copyOf(goTo);
  }

  /** No change. */
  public static <S> Update<S> none() {
    return new Update<>(null, new LinkedHashMap<>(), List.of());
  }

  /** The non-null components (properties) of {@code partial}. */
  public static <S> Update<S> of(S partial) {
    Objects.requireNonNull(partial, "partial");
    Map<String, Object> values = TypedSchema.of(partial.getClass()).partial(partial);
    return new Update<>(partial.getClass(), values, List.of());
  }

  /**
   * This update with component {@code field} set to {@code value} ({@code null} included).
   *
   * @throws IllegalArgumentException when {@code field} is not an accessor of a record or a getter of a bean, or
   *                                  {@code value} cannot be the component's value, naming the component and its type
   */
  public <T> Update<S> set(Field<S, T> field, T value) {
    String name = Objects.requireNonNull(field, "field").componentName();
    Map<String, Object> next = new LinkedHashMap<>(values);
    Object json = TypedSchema.toJson(value);
    if (type != null) { // else checked, and a getter's name read, against the state's schema when the node returns it
      TypedSchema<?> schema = TypedSchema.of(type);
      name = schema.propertyName(name);
      JavaType component = schema.component(name);
      if (component == null) {
        throw new IllegalArgumentException(type.getSimpleName() + " has no component '" + name + "'");
      }
      if (value != null && !component.getRawClass().isInstance(value)) {
        TypedSchema.convert(json, component, name);
      }
    }
    next.put(name, json);
    return new Update<>(type, next, goTo);
  }

  /** This update, then going to {@code nodes} (or {@code StateGraph.END}) besides the node's edges. */
  public Update<S> goTo(String... nodes) {
    List<String> next = new ArrayList<>(goTo);
    next.addAll(List.of(nodes));
    return new Update<>(type, new LinkedHashMap<>(values), next);
  }

  /** The channels this update writes, as JSON-compatible values; unmodifiable. */
  public Map<String, Object> values() {
    return values;
  }

  /** Where the update goes next; empty when it only updates. */
  public List<String> gotoNodes() {
    return goTo;
  }

  /** What a node returns for this update: the map of values, or a {@link Command} when it has goto targets. */
  Object toOutput() {
    return goTo.isEmpty() ? values : Command.of(values, goTo);
  }

  /**
   * This update checked against {@code schema} (an update built with {@link #none()} and {@link #set} knows its type
   * only then), with a bean getter's name ({@code getTopic}) read as its property's.
   *
   * @throws IllegalArgumentException naming the node and the component that is not one, or whose value does not fit
   */
  Update<S> resolved(TypedSchema<?> schema, String node) {
    Map<String, Object> resolved = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : values.entrySet()) {
      String name = schema.propertyName(entry.getKey());
      JavaType component = schema.component(name);
      if (component == null) {
        throw new IllegalArgumentException("Node '" + node + "' set '" + entry.getKey() + "', which is not a "
            + "component of " + schema.type().getSimpleName());
      }
      if (entry.getValue() != null) {
        TypedSchema.convert(entry.getValue(), component, name);
      }
      resolved.put(name, entry.getValue());
    }
    return new Update<>(type, resolved, goTo);
  }

  @Override
  public String toString() {
    return "Update" + values + (goTo.isEmpty() ? "" : " goto " + goTo);
  }
}
