package io.graphloop.run;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The kind of a {@link StreamEvent}: one per {@link StreamMode} (the events a mode asks for, named as LangGraph's
 * {@code stream_mode} values: {@code values}, {@code updates}, {@code tasks}, {@code debug}, {@code custom},
 * {@code messages}), plus the stream's last event, {@link #END} ({@code "end"}, the final state) or {@link #ERROR}
 * ({@code "error"}, the failure). On the wire (the event's JSON {@code "event"} field, an SSE event name) by its
 * {@link #wireName()}, which is also its {@code toString()} and its Jackson form.
 *
 * <p>Immutable and thread-safe.
 */
public enum StreamEventType {
  VALUES(StreamMode.VALUES), UPDATES(StreamMode.UPDATES), TASKS(StreamMode.TASKS), DEBUG(StreamMode.DEBUG),
  CUSTOM(StreamMode.CUSTOM), MESSAGES(StreamMode.MESSAGES), END(null), ERROR(null);

  private final StreamMode mode;
  private final String wireName;

  StreamEventType(StreamMode mode) {
    this.mode = mode;
    this.wireName = mode == null ? name().toLowerCase(java.util.Locale.ROOT) : mode.wireName();
  }

  /** The wire name: the mode's ({@code values}, ...), or {@code end} / {@code error}. */
  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** The stream mode whose events these are, or {@code null} for {@link #END} and {@link #ERROR}. */
  public StreamMode mode() {
    return mode;
  }

  /** Whether an event of this kind is the stream's last ({@link #END} or {@link #ERROR}). */
  public boolean isTerminal() {
    return mode == null;
  }

  /** The kind of the events {@code mode} asks for. */
  public static StreamEventType of(StreamMode mode) {
    return values()[mode.ordinal()]; // declared in StreamMode's order (checked by WireEnumsTest)
  }

  /**
   * The kind of wire name {@code name}.
   *
   * @throws IllegalArgumentException naming the value and listing the accepted names
   */
  public static StreamEventType of(String name) {
    return WireNames.of(StreamEventType.class, values(), StreamEventType::wireName, name, "stream event");
  }

  @Override
  public String toString() {
    return wireName;
  }
}
