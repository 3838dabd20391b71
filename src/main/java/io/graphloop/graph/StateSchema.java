package io.graphloop.graph;

import io.graphloop.state.Channel;
import io.graphloop.state.Channels;
import io.graphloop.state.State;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A compiled graph's state schema: its channels and their defaults, whether it is strict, its input and output keys
 * (LangGraph's {@code input_schema} and {@code output_schema}) and a typed graph's records, and what follows from them
 * for a run's input, a write and a run's result. {@link CompiledGraph} answers for it.
 *
 * <p>Immutable once made; thread-safe.
 */
final class StateSchema {

  private final Map<String, Channel> channels;
  private final Map<String, Object> defaults;
  private final boolean strict;
  /** The keys a run's input may write, or {@code null} for any ({@link StateGraph#inputKeys}). */
  private final Set<String> inputKeys;
  /** The keys of a run's result, or {@code null} for every channel ({@link StateGraph#outputKeys}). */
  private final Set<String> outputKeys;
  /** A typed graph's state, input and output records (null when untyped, or none given): for {@link GraphSchemas}. */
  private final Class<?> stateType;
  private final Class<?> inputType;
  private final Class<?> outputType;

  StateSchema(StateGraph graph) {
    Map<String, Channel> channelMap = new LinkedHashMap<>();
    graph.channels().forEach(e -> channelMap.put(e.getKey(), e.getValue()));
    this.channels = Collections.unmodifiableMap(channelMap);
    Map<String, Object> defaultValues = new LinkedHashMap<>();
    channelMap.forEach((channel, kind) -> {
      if (kind.defaultValue() != null) {
        defaultValues.put(channel, kind.defaultValue());
      }
    });
    this.defaults = Collections.unmodifiableMap(defaultValues);
    this.strict = graph.isStrictChannels();
    this.inputKeys = graph.declaredInputKeys() != null ? keys(graph.declaredInputKeys())
        : strict ? channels.keySet() : null;
    this.outputKeys = graph.declaredOutputKeys() != null ? keys(graph.declaredOutputKeys()) : null;
    this.stateType = graph.stateType();
    this.inputType = graph.inputType();
    this.outputType = graph.outputType();
  }

  private static Set<String> keys(Collection<String> keys) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(keys));
  }

  Map<String, Channel> channels() {
    return channels;
  }

  boolean isStrict() {
    return strict;
  }

  Set<String> inputKeys() {
    return inputKeys;
  }

  Set<String> outputKeys() {
    return outputKeys;
  }

  Class<?> stateType() {
    return stateType;
  }

  Class<?> inputType() {
    return inputType;
  }

  Class<?> outputType() {
    return outputType;
  }

  /** See {@link CompiledGraph#channel}. */
  Channel channel(String name) {
    Channel channel = channels.get(name);
    if (channel == null && !strict) {
      return Channels.lastValue();
    }
    return channel;
  }

  /** See {@link CompiledGraph#withDefaults}. */
  State withDefaults(State state) {
    if (defaults.isEmpty()) {
      return state;
    }
    State.Builder builder = null;
    for (Map.Entry<String, Object> entry : defaults.entrySet()) {
      if (!state.has(entry.getKey())) {
        builder = builder == null ? state.toBuilder() : builder;
        builder.put(entry.getKey(), entry.getValue());
      }
    }
    return builder == null ? state : builder.build();
  }

  /** See {@link CompiledGraph#outputOf}. */
  State outputOf(State values) {
    if (outputKeys == null || values == null || outputKeys.containsAll(values.asMap().keySet())) {
      return values;
    }
    return State.of(only(values.asMap(), outputKeys));
  }

  /** See {@link CompiledGraph#inputOf}. */
  Map<String, Object> inputOf(Map<String, Object> input) {
    if (inputKeys == null || input == null || inputKeys.containsAll(input.keySet())) {
      return input;
    }
    return only(input, inputKeys);
  }

  /** See {@link CompiledGraph#channelWritesOf}. */
  Map<String, Object> channelWritesOf(Map<String, Object> update) {
    if (!strict || update == null || channels.keySet().containsAll(update.keySet())) {
      return update;
    }
    return only(update, channels.keySet());
  }

  /** The entries of {@code map} whose keys are in {@code keys}, in the map's order. */
  private static Map<String, Object> only(Map<String, Object> map, Set<String> keys) {
    Map<String, Object> kept = new LinkedHashMap<>();
    map.forEach((key, value) -> {
      if (keys.contains(key)) {
        kept.put(key, value);
      }
    });
    return kept;
  }
}
