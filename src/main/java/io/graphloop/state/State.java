package io.graphloop.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable snapshot of a graph's state: channel names mapped to deeply immutable, JSON-compatible
 * values (see {@link Values}). Every node of a superstep receives the same instance; nothing a node
 * does can change what another node sees, because nothing here can be changed.
 *
 * <p>A typed view comes from Jackson: {@code state.as(MyState.class)} for a record or bean of the
 * whole state, {@code state.get("key", Type.class)} for one channel.
 *
 * <p>Immutable and thread-safe; passed by reference between verticles of one JVM.
 */
public final class State {

  private static final State EMPTY = new State(FrozenMap.EMPTY);

  /** The reserved key of a Send's argument that is not a map (see {@link #arg()}). */
  public static final String SEND_ARG = "__send_arg__";

  private final FrozenMap values;

  private State(FrozenMap values) {
    this.values = values;
  }

  /** The state with no channels set. */
  public static State empty() {
    return EMPTY;
  }

  /**
   * A state holding {@code values}, frozen.
   *
   * @throws IllegalArgumentException when a value is not JSON-compatible, naming the channel
   */
  public static State of(Map<String, ?> values) {
    if (values.isEmpty()) {
      return EMPTY;
    }
    Builder builder = new Builder(new FrozenMap.Builder(values.size()));
    values.forEach(builder::put);
    return builder.build();
  }

  /** The value of {@code channel}, or {@code null} when it is unset (see {@link #has}). */
  public Object get(String channel) {
    return values.get(channel);
  }

  /** Whether {@code channel} has a value (possibly JSON {@code null}). */
  public boolean has(String channel) {
    return values.containsKey(channel);
  }

  /**
   * The value of {@code channel} as {@code type}, converted by Jackson when it is not already one
   * (e.g. a map into a record); {@code null} when unset.
   *
   * @throws IllegalArgumentException when the value cannot be converted, naming the channel and type
   */
  public <T> T get(String channel, Class<T> type) {
    Object value = values.get(channel);
    if (value == null || type.isInstance(value)) {
      return type.cast(value);
    }
    try {
      return StateJson.mapper().convertValue(value, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Channel '" + channel + "' holds " + describe(value)
          + ", which cannot be read as " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  /** The channel's value as a string; {@code null} when unset. */
  public String getString(String channel) {
    return get(channel, String.class);
  }

  /**
   * The channel's value as an int; {@code null} when unset.
   *
   * @throws IllegalArgumentException when the value has a fraction (2.0 reads as 2; 2.5 fails: read it with {@link #getDouble}) or a
   *                                  whole number beyond int's range (use {@link #getLong}), naming the channel
   */
  public Integer getInteger(String channel) {
    Object value = values.get(channel);
    if (value instanceof Integer) {
      return (Integer) value;
    }
    if (value instanceof Number) {
      long whole = whole(channel, (Number) value, "an Integer", "getDouble");
      if (whole < Integer.MIN_VALUE || whole > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("Channel '" + channel + "' holds " + value
            + ", beyond an Integer's range; read it with getLong.");
      }
      return (int) whole;
    }
    return get(channel, Integer.class);
  }

  /**
   * The channel's value as a long; {@code null} when unset.
   *
   * @throws IllegalArgumentException when the value is a fraction (read it with {@link #getDouble}) or a whole
   *                                  number beyond long's range (use {@code get(channel, BigInteger.class)})
   */
  public Long getLong(String channel) {
    Object value = values.get(channel);
    return value instanceof Number ? Long.valueOf(whole(channel, (Number) value, "a Long", "getDouble"))
        : get(channel, Long.class);
  }

  private static long whole(String channel, Number value, String type, String instead) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
      return value.longValue();
    }
    if (value instanceof java.math.BigInteger) {
      try {
        return ((java.math.BigInteger) value).longValueExact();
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("Channel '" + channel + "' holds " + value + ", beyond " + type
            + "'s range; read it with get(channel, BigInteger.class).", e);
      }
    }
    double d = value.doubleValue();
    if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
      return (long) d; // a whole double, e.g. 2.0: nothing is lost
    }
    throw new IllegalArgumentException("Channel '" + channel + "' holds the " + value.getClass().getSimpleName() + " "
        + value + ", which is not " + type + " (it would be truncated); read it with " + instead + ".");
  }

  /** The channel's value as a double (any JSON number is accepted); {@code null} when unset. */
  public Double getDouble(String channel) {
    Object value = values.get(channel);
    return value instanceof Number ? Double.valueOf(((Number) value).doubleValue()) : get(channel, Double.class);
  }

  /** The channel's value as a boolean; {@code null} when unset. */
  public Boolean getBoolean(String channel) {
    return get(channel, Boolean.class);
  }

  /** The channel's value as an immutable list; an empty list when unset. */
  @SuppressWarnings("unchecked")
  public List<Object> getList(String channel) {
    Object value = values.get(channel);
    return value == null ? List.of() : get(channel, List.class);
  }

  /** The channel's value as an immutable map; {@code null} when unset. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> getMap(String channel) {
    return get(channel, Map.class);
  }

  /**
   * A typed view of the whole state, converted by Jackson; channels the type does not declare are
   * ignored.
   *
   * @throws IllegalArgumentException when the state does not fit the type
   */
  public <T> T as(Class<T> type) {
    try {
      return StateJson.mapper().convertValue(values, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The state cannot be read as " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  /** The channels that have a value, in the order they were first set. */
  public Set<String> channels() {
    return Collections.unmodifiableSet(values.keySet());
  }

  /** The number of channels that have a value. */
  public int size() {
    return values.size();
  }

  /**
   * What the node was sent: for a push task of a Send whose argument is not a map ({@code new Send("n", 3)}), that
   * argument (a number, string, list or null, as LangGraph passes it); otherwise this state as a map.
   */
  public Object arg() {
    return values.size() == 1 && values.containsKey(SEND_ARG) ? values.get(SEND_ARG) : values;
  }

  /** The state as an immutable map (no copy). */
  public Map<String, Object> asMap() {
    return values;
  }

  /** The state as a new JSON object (the top level is a copy; nested values stay immutable). */
  public JsonObject toJson() {
    return new JsonObject(new LinkedHashMap<>(values));
  }

  /** A builder for the next version of this state, starting from its current values. */
  public Builder toBuilder() {
    return new Builder(new FrozenMap.Builder(values));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof State && values.equals(((State) o).values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** The state as one line of JSON. */
  @Override
  public String toString() {
    try {
      return StateJson.mapper().writeValueAsString(values);
    } catch (JsonProcessingException e) {
      return values.toString();
    }
  }

  private static String describe(Object value) {
    return "a " + value.getClass().getSimpleName().replace("Frozen", "").replace("AppendOnly", "");
  }

  /**
   * Builds a new state. Values are frozen as they are put. Not thread-safe: use it on one thread and
   * then share only the built {@link State}.
   */
  public static final class Builder {
    private FrozenMap.Builder entries;

    private Builder(FrozenMap.Builder entries) {
      this.entries = entries;
    }

    /** Sets {@code channel} to a frozen copy of {@code value}. */
    public Builder put(String channel, Object value) {
      Objects.requireNonNull(channel, "channel");
      entries.put(channel, Values.freeze(value, () -> "channel '" + channel + "'"));
      return this;
    }

    /** The built state; the builder cannot be used afterwards. */
    public State build() {
      FrozenMap built = entries.build();
      entries = null;
      return built.isEmpty() ? EMPTY : new State(built);
    }
  }
}
