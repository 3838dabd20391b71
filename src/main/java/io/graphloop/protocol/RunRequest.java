package io.graphloop.protocol;

import io.graphloop.state.Values;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A request to run a graph, sent to {@code graphloop.<graph>.run}. JSON form:
 * {@code {"input": {...}, "options": {"runId": "...", "recursionLimit": 25, "timeoutMs": 60000}}}, plus
 * {@code "stream": {"to": address, "modes": ["values", ...], "window": 256}} for a streamed run (see
 * {@link StreamSpec}).
 *
 * <p>Immutable (the input is frozen, the options copied), so it travels by reference inside a JVM.
 */
public final class RunRequest {

  private final Map<String, Object> input;
  private final RunOptions options;
  private final StreamSpec stream;

  /**
   * @throws IllegalArgumentException when the input is not JSON-compatible, naming the channel
   */
  public RunRequest(Map<String, ?> input, RunOptions options) {
    this(input, options, null);
  }

  /**
   * A request whose events are streamed as {@code stream} says ({@code null}: not streamed).
   *
   * @throws IllegalArgumentException when the input is not JSON-compatible, naming the channel
   */
  public RunRequest(Map<String, ?> input, RunOptions options, StreamSpec stream) {
    this.input = Values.freezeUpdate(input, "the run's input");
    this.options = new RunOptions(options);
    this.stream = stream;
  }

  /** How the run's events are streamed, or {@code null} for a run answered with its result only. */
  public StreamSpec stream() {
    return stream;
  }

  /** The input, written to the channels by START (frozen). */
  public Map<String, Object> input() {
    return input;
  }

  /** A copy of the run's options. */
  public RunOptions options() {
    return new RunOptions(options);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("input", new JsonObject(input)).put("options", options.toJson());
    return stream == null ? json : json.put("stream", stream.toJson());
  }

  /**
   * Reads a request from JSON.
   *
   * @throws IllegalArgumentException saying which field is wrong and what it must be
   */
  public static RunRequest fromJson(JsonObject json) {
    JsonObject input = Json.optionalObject(json, "input", "the run request");
    JsonObject options = Json.optionalObject(json, "options", "the run request");
    JsonObject stream = Json.optionalObject(json, "stream", "the run request");
    for (String field : json.fieldNames()) {
      if (!field.equals("input") && !field.equals("options") && !field.equals("stream")) {
        throw new IllegalArgumentException("The run request has an unknown field '" + field
            + "'; it takes 'input' (a JSON object), 'options' (a JSON object) and 'stream' (a JSON object).");
      }
    }
    return new RunRequest(input == null ? Map.of() : input.getMap(),
        options == null ? new RunOptions() : new RunOptions(options),
        stream == null ? null : StreamSpec.fromJson(stream));
  }

  /** Its codec. */
  public static final class Codec extends JsonBodyCodec<RunRequest> {
    public Codec() {
      super("graphloop.RunRequest");
    }

    @Override
    JsonObject toJson(RunRequest body) {
      return body.toJson();
    }

    @Override
    RunRequest fromJson(JsonObject json) {
      return RunRequest.fromJson(json);
    }
  }
}
