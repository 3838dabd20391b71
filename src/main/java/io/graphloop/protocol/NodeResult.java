package io.graphloop.protocol;

import io.graphloop.internal.bus.Correlations;
import io.graphloop.errors.GraphloopException;
import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

/**
 * A node's answer to a {@link NodeRequest} that named a {@code replyTo} address: the request's correlation id
 * with either the node's {@link NodeReply} or its failure. Sending results to one address per coordinator, keyed
 * by correlation id, spares a reply handler and a timer per request (the coordinator keeps its own deadlines).
 * JSON form: {@code {"correlation": "9c0f...", "reply": {...}}} or {@code {"correlation": "9c0f...", "failure": {...}}}
 * (see {@link Failures}), the correlation id echoed verbatim from the request (see {@link Correlations}).
 *
 * <p>Immutable.
 *
 * @param correlation the key of the request's correlation id
 * @param tag         the tag of the request's correlation id
 * @param reply       the node's reply, or {@code null} on failure
 * @param failure     the failure, or {@code null} on success
 */
public record NodeResult(long correlation, long tag, NodeReply reply, GraphloopException failure) {

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("correlation", Correlations.toJson(correlation, tag));
    return failure != null ? json.put("failure", Failures.toJson(failure)) : json.put("reply", reply.toJson());
  }

  public static NodeResult fromJson(JsonObject json) {
    String where = "the node result";
    JsonObject failure = JsonFields.optionalObject(json, "failure", where);
    JsonObject reply = JsonFields.optionalObject(json, "reply", where);
    if ((failure == null) == (reply == null)) {
      throw new IllegalArgumentException("A node result has exactly one of 'reply' and 'failure'.");
    }
    Object correlation = json.getValue("correlation");
    return new NodeResult(Correlations.key(correlation, -1, where), Correlations.tag(correlation, where),
        reply == null ? null : NodeReply.fromJson(reply), failure == null ? null : Failures.fromJson(failure));
  }

  /** Its codec. */
  public static final class Codec extends JsonBodyCodec<NodeResult> {
    public Codec() {
      super("graphloop.NodeResult");
    }

    @Override
    JsonObject toJson(NodeResult body) {
      return body.toJson();
    }

    @Override
    NodeResult fromJson(JsonObject json) {
      return NodeResult.fromJson(json);
    }
  }
}
