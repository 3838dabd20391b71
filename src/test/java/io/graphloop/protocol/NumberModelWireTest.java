package io.graphloop.protocol;

import io.graphloop.run.RunResult;
import io.graphloop.state.RandomValues;
import io.graphloop.state.State;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The number model (see {@code Values}) over the event bus: a random state, frozen as a node's update or a run's
 * values, is equal to itself, type for type, after the local codec (by reference) and after the JSON wire between
 * JVMs, and after the raw JSON form a bus client sends. Before the model, {@code Long} came back as {@code Integer}
 * and {@code Float} or {@code BigDecimal} as {@code Double}, so these failed on the first such value.
 */
class NumberModelWireTest {

  private static final int STATES = 400;

  private static <T> T wire(MessageCodec<T, T> codec, T message) {
    assertSame(message, codec.transform(message), "the local codec passes the message by reference");
    Buffer buffer = Buffer.buffer();
    codec.encodeToWire(buffer, message);
    return codec.decodeFromWire(0, buffer);
  }

  @Test
  void aRandomStateIsEqualToItselfAfterTheWireTypeForType() {
    Random random = new Random(5);
    for (int i = 0; i < STATES; i++) {
      State state = RandomValues.state(random, 3);
      RandomValues.assertInModel(state.asMap());
      RunResult result = wire(new RunTypeCodecs.RunResultCodec(), new RunResult("run-" + i, state));
      assertEquals(state, result.values(), "state " + i + " as a run's values");
      assertEquals(state.toString(), result.values().toString(), "same JSON, same key order");
      NodeReply reply = wire(new NodeReply.Codec(), new NodeReply(state.asMap(), List.of(), List.of()));
      assertEquals(state.asMap(), reply.update(), "state " + i + " as a node's update");
      RunResult raw = RunResult.fromJson(new JsonObject(new RunResult("run-" + i, state).toJson().encode()));
      assertEquals(state, raw.values(), "state " + i + " as raw JSON from a bus client");
    }
  }

  @Test
  void numbersKeepTheirTypeAcrossTheWire() {
    State state = State.of(Map.of("long", 5L, "float", 0.1f, "decimal", new java.math.BigDecimal("2.50"),
        "bigLong", 1L << 40));
    State back = wire(new RunTypeCodecs.RunResultCodec(), new RunResult("r", state)).values();
    assertEquals(state, back);
    assertSame(Integer.class, back.get("long").getClass());
    assertEquals(0.1, back.get("float"));
    assertEquals(2.5, back.get("decimal"));
    assertSame(Long.class, back.get("bigLong").getClass());
  }
}
