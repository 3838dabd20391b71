package io.graphloop.protocol;

import io.graphloop.errors.GraphloopException;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * A failure sent as a reply: a {@link ReplyException} (so the requester's future fails, and any event-bus
 * client sees the stable {@code failureCode()} and the message) that also carries the structured
 * {@link GraphloopException}. Inside a JVM the exception itself arrives, cause included; across JVMs
 * it arrives rebuilt from JSON (see {@link Failures}).
 *
 * <p>Immutable.
 */
public final class FailureReply extends ReplyException {

  private final transient GraphloopException failure;

  public FailureReply(GraphloopException failure) {
    super(ReplyFailure.RECIPIENT_FAILURE, failure.code().code(), failure.getMessage());
    this.failure = failure;
  }

  /** The structured failure. */
  public GraphloopException failure() {
    return failure;
  }

  /** Its codec. */
  public static final class Codec extends JsonBodyCodec<FailureReply> {
    public Codec() {
      super("graphloop.FailureReply");
    }

    @Override
    JsonObject toJson(FailureReply body) {
      return Failures.toJson(body.failure);
    }

    @Override
    FailureReply fromJson(JsonObject json) {
      return new FailureReply(Failures.fromJson(json));
    }
  }
}
