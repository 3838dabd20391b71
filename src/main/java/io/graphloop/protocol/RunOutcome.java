package io.graphloop.protocol;

import io.graphloop.internal.bus.Correlations;
import io.graphloop.run.RunResult;
import io.graphloop.errors.GraphloopException;
import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

/**
 * The outcome of a {@link RunRequest} that named a {@code replyTo} address: the request's correlation id with the
 * run's {@link RunResult} or its failure. One results address per caller event loop, keyed by correlation id,
 * spares a Vert.x reply handler and timer per run. JSON form: {@code {"correlation": 7, "result": {...}}} or
 * {@code {"correlation": 7, "failure": {...}}}.
 *
 * <p>Immutable.
 *
 * @param correlation the key of the request's correlation id
 * @param tag         the tag of the request's correlation id (see {@link Correlations})
 * @param result      the result, or {@code null} on failure
 * @param failure     the failure, or {@code null} on success
 */
public record RunOutcome(long correlation, long tag, RunResult result, GraphloopException failure) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("correlation", Correlations.toJson(correlation, tag));
    return failure != null ? json.put("failure", Failures.toJson(failure)) : json.put("result", result.toJson());
  }

  public static RunOutcome fromJson(JsonObject json) {
    String where = "the run outcome";
    JsonObject failure = JsonFields.optionalObject(json, "failure", where);
    JsonObject result = JsonFields.optionalObject(json, "result", where);
    if ((failure == null) == (result == null)) {
      throw new IllegalArgumentException("A run outcome has exactly one of 'result' and 'failure'.");
    }
    Object correlation = json.getValue("correlation");
    return new RunOutcome(Correlations.key(correlation, -1, where), Correlations.tag(correlation, where),
        result == null ? null : RunResult.fromJson(result), failure == null ? null : Failures.fromJson(failure));
  }

  /** Its codec. */
  public static final class Codec extends JsonBodyCodec<RunOutcome> {
    public Codec() {
      super("graphloop.RunOutcome");
    }

    @Override
    JsonObject toJson(RunOutcome body) {
      return body.toJson();
    }

    @Override
    RunOutcome fromJson(JsonObject json) {
      return RunOutcome.fromJson(json);
    }
  }
}
