package io.graphloop.server;

import io.vertx.core.buffer.Buffer;

import java.util.function.BiConsumer;

/**
 * Where a run's API events go ({@link ApiStream}, {@link ApiMessages}): an event name and its data, JSON text on one
 * line, given either as text ({@link #accept}) or as a writer of its bytes ({@link #acceptJson}), which a run's
 * {@link RunRecord} writes straight into the event's SSE frame, so that a token's JSON is encoded once into the bytes
 * the response sends (no String, no JsonObject on the way). A sink that wants text gets the data's text ({@link Json#text()}).
 *
 * <p>Thread rules: those of the sink (a run's record: its context).
 */
@FunctionalInterface
public interface EventSink extends BiConsumer<String, String> {

  /** Event {@code event} with data {@code data} (JSON text on one line). */
  @Override
  void accept(String event, String data);

  /** Event {@code event} whose data {@code data} writes (JSON on one line); {@code hint}: about how many bytes. */
  default void acceptJson(String event, Json data, int hint) {
    accept(event, data.text());
  }

  /** An event's data, JSON on one line, that writes itself as UTF-8 straight into a buffer, or gives its text. */
  interface Json {
    /** Appends the JSON's UTF-8 bytes to {@code out}; throws {@link io.vertx.core.json.EncodeException} if it cannot. */
    void writeTo(Buffer out);

    /** The JSON text. */
    String text();
  }
}
