package io.graphloop.protocol;

import io.graphloop.run.RunResult;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.ThreadState;
import io.vertx.core.json.JsonObject;

/**
 * The event-bus codecs of the user-facing run types ({@code io.graphloop.run}), kept here so the API types carry
 * no wire code. Each writes the type's own {@code toJson()} and reads its {@code fromJson(...)}.
 *
 * <p>Stateless and thread-safe.
 */
public final class RunTypeCodecs {

  private RunTypeCodecs() {
  }

  /** {@link RunResult}'s codec. */
  public static final class RunResultCodec extends JsonBodyCodec<RunResult> {
    public RunResultCodec() {
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

  /** {@link StreamEvent}'s codec. */
  public static final class StreamEventCodec extends JsonBodyCodec<StreamEvent> {
    public StreamEventCodec() {
      super("graphloop.StreamEvent");
    }

    @Override
    JsonObject toJson(StreamEvent body) {
      return body.toJson();
    }

    @Override
    StreamEvent fromJson(JsonObject json) {
      return StreamEvent.fromJson(json);
    }
  }

  /** {@link ThreadState}'s codec. */
  public static final class ThreadStateCodec extends JsonBodyCodec<ThreadState> {
    public ThreadStateCodec() {
      super("graphloop.ThreadState");
    }

    @Override
    JsonObject toJson(ThreadState body) {
      return body.toJson();
    }

    @Override
    ThreadState fromJson(JsonObject json) {
      return ThreadState.fromJson(json);
    }
  }
}
