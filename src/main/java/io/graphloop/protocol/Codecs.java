package io.graphloop.protocol;

import io.graphloop.run.RunResult;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.ThreadState;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

/**
 * Registers Graphloop's message codecs (one per message type) as default codecs of their classes.
 * Idempotent per {@link Vertx} instance.
 *
 * <p>Thread-safe: registration is guarded by the Vert.x instance's shared local map.
 */
public final class Codecs {

  private static final String REGISTERED = "graphloop.codecs.registered";

  /**
   * The name of a codec for {@code JsonObject} bodies that nobody changes after sending (built for one send, values
   * frozen): inside a JVM the object travels by reference, where the bus's own JSON codec copies it deeply for every
   * message; between JVMs it is JSON as usual. Send with {@code DeliveryOptions.setCodecName(SENT_JSON)}: a node's
   * message chunks use it, one per token.
   */
  public static final String SENT_JSON = "graphloop.SentJson";

  private Codecs() {
  }

  /** {@link #SENT_JSON}'s codec: the object itself inside a JVM, its JSON between JVMs. */
  private static final class SentJsonCodec extends JsonBodyCodec<io.vertx.core.json.JsonObject> {
    SentJsonCodec() {
      super(SENT_JSON);
    }

    @Override
    io.vertx.core.json.JsonObject toJson(io.vertx.core.json.JsonObject body) {
      return body;
    }

    @Override
    io.vertx.core.json.JsonObject fromJson(io.vertx.core.json.JsonObject json) {
      return json;
    }
  }

  /** Registers the codecs on {@code vertx}'s event bus unless already done. */
  public static void register(Vertx vertx) {
    var flags = vertx.sharedData().<String, Boolean>getLocalMap(REGISTERED);
    if (flags.putIfAbsent(REGISTERED, Boolean.TRUE) != null) {
      return;
    }
    EventBus bus = vertx.eventBus();
    bus.registerDefaultCodec(RunRequest.class, new RunRequest.Codec());
    bus.registerDefaultCodec(RunResult.class, new RunTypeCodecs.RunResultCodec());
    bus.registerDefaultCodec(NodeRequest.class, new NodeRequest.Codec());
    bus.registerDefaultCodec(NodeReply.class, new NodeReply.Codec());
    bus.registerDefaultCodec(FailureReply.class, new FailureReply.Codec());
    bus.registerDefaultCodec(StreamEvent.class, new RunTypeCodecs.StreamEventCodec());
    bus.registerDefaultCodec(NodeResult.class, new NodeResult.Codec());
    bus.registerDefaultCodec(RunOutcome.class, new RunOutcome.Codec());
    bus.registerDefaultCodec(ThreadRequest.class, new ThreadRequest.Codec());
    bus.registerDefaultCodec(ThreadState.class, new RunTypeCodecs.ThreadStateCodec());
    bus.registerCodec(new SentJsonCodec());
  }
}
