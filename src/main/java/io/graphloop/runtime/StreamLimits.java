package io.graphloop.runtime;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_MAX_BUFFERED_EVENTS;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_MAX_PENDING_EMITS;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_STREAM_IDLE_TIMEOUT_MS;
import static io.graphloop.runtime.OptionBounds.atLeast;

/**
 * The option group of {@link GraphRuntimeOptions} that bounds a streamed run's events: {@code maxBufferedEvents},
 * {@code maxPendingEmits}, {@code streamIdleTimeoutMs} (same JSON names, ranges and errors as the options' setters,
 * which delegate here).
 *
 * <p>Thread rules: immutable; any thread.
 */
record StreamLimits(int maxBufferedEvents, int maxPendingEmits, long streamIdleTimeoutMs) {

  static final StreamLimits DEFAULTS = new StreamLimits(DEFAULT_MAX_BUFFERED_EVENTS, DEFAULT_MAX_PENDING_EMITS,
      DEFAULT_STREAM_IDLE_TIMEOUT_MS);

  StreamLimits {
    atLeast("maxBufferedEvents", maxBufferedEvents, 2);
    atLeast("maxPendingEmits", maxPendingEmits, 1);
    atLeast("streamIdleTimeoutMs", streamIdleTimeoutMs, 1L);
  }

  /** Reads the group's fields of runtime options' JSON; absent ones keep their defaults. */
  static StreamLimits fromJson(JsonObject json) {
    String where = "runtime options";
    return new StreamLimits(JsonFields.optionalInt(json, "maxBufferedEvents", DEFAULT_MAX_BUFFERED_EVENTS, where),
        JsonFields.optionalInt(json, "maxPendingEmits", DEFAULT_MAX_PENDING_EMITS, where),
        JsonFields.optionalLong(json, "streamIdleTimeoutMs", DEFAULT_STREAM_IDLE_TIMEOUT_MS, where));
  }

  /** Puts the group's fields into {@code json}. */
  void writeTo(JsonObject json) {
    json.put("maxBufferedEvents", maxBufferedEvents).put("maxPendingEmits", maxPendingEmits)
        .put("streamIdleTimeoutMs", streamIdleTimeoutMs);
  }

  StreamLimits withMaxBufferedEvents(int value) {
    return new StreamLimits(value, maxPendingEmits, streamIdleTimeoutMs);
  }

  StreamLimits withMaxPendingEmits(int value) {
    return new StreamLimits(maxBufferedEvents, value, streamIdleTimeoutMs);
  }

  StreamLimits withStreamIdleTimeoutMs(long value) {
    return new StreamLimits(maxBufferedEvents, maxPendingEmits, value);
  }
}
