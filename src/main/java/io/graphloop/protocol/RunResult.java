package io.graphloop.protocol;

import io.graphloop.state.State;
import io.vertx.core.json.JsonObject;

/**
 * The successful reply to a {@link RunRequest}: the run's id and its final state. JSON form:
 * {@code {"runId": "...", "status": "success", "values": {...}}}.
 *
 * <p>Immutable.
 *
 * @param runId  the run's id
 * @param values the final state
 */
public record RunResult(String runId, State values) {

  /** The status of a run that reached END. */
  public static final String SUCCESS = "success";

  public JsonObject toJson() {
    return new JsonObject().put("runId", runId).put("status", SUCCESS).put("values", values.toJson());
  }

  public static RunResult fromJson(JsonObject json) {
    JsonObject values = Json.optionalObject(json, "values", "the run result");
    return new RunResult(Json.requiredString(json, "runId", "the run result"),
        values == null ? State.empty() : State.of(values.getMap()));
  }

  /** Its codec. */
  public static final class Codec extends JsonBodyCodec<RunResult> {
    public Codec() {
      super("graphloop.RunResult");
    }

    @Override
    JsonObject toJson(RunResult body) {
      return body.toJson();
    }

    @Override
    RunResult fromJson(JsonObject json) {
      return RunResult.fromJson(json);
    }
  }
}
