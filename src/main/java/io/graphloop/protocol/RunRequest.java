package io.graphloop.protocol;

import io.graphloop.state.Values;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * A request to run a graph, sent to {@code graphloop.<graph>.run}. JSON form:
 * {@code {"input": {...}, "options": {"runId": "...", "recursionLimit": 25, "timeoutMs": 60000}}}.
 *
 * <p>Immutable (the input is frozen, the options copied), so it travels by reference inside a JVM.
 */
public final class RunRequest {

  private final Map<String, Object> input;
  private final RunOptions options;

  /**
   * @throws IllegalArgumentException when the input is not JSON-compatible, naming the channel
   */
  public RunRequest(Map<String, ?> input, RunOptions options) {
    this.input = Values.freezeUpdate(input, "the run's input");
    this.options = new RunOptions(options);
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
    return new JsonObject().put("input", new JsonObject(input)).put("options", options.toJson());
  }

  /**
   * Reads a request from JSON.
   *
   * @throws IllegalArgumentException saying which field is wrong and what it must be
   */
  public static RunRequest fromJson(JsonObject json) {
    JsonObject input = Json.optionalObject(json, "input", "the run request");
    JsonObject options = Json.optionalObject(json, "options", "the run request");
    for (String field : json.fieldNames()) {
      if (!field.equals("input") && !field.equals("options")) {
        throw new IllegalArgumentException("The run request has an unknown field '" + field
            + "'; it takes 'input' (a JSON object) and 'options' (a JSON object).");
      }
    }
    return new RunRequest(input == null ? Map.of() : input.getMap(),
        options == null ? new RunOptions() : new RunOptions(options));
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
