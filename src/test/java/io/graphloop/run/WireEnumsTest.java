package io.graphloop.run;

import io.graphloop.state.State;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API's closed sets are enums in Java and keep LangGraph's spelling on the wire. The expected names are
 * LangGraph 1.2.12's: {@code langgraph.types.Durability = Literal["sync", "async", "exit"]}; the SDK's
 * {@code langgraph_sdk.schema.MultitaskStrategy} (of which the runtime implements reject and enqueue; the HTTP server
 * maps interrupt/rollback onto them) and {@code RunStatus} (a finished run's success / interrupted).
 */
class WireEnumsTest {

  @Test
  void wireNamesAreLangGraphsSpelling() {
    assertEquals(List.of("sync", "async", "exit"), names(Durability.values(), Durability::wireName));
    assertEquals(List.of("reject", "enqueue"), names(MultitaskStrategy.values(), MultitaskStrategy::wireName));
    assertEquals(List.of("success", "interrupted"), names(RunStatus.values(), RunStatus::wireName));
  }

  @Test
  void everyValueRoundTripsThroughItsWireName() {
    for (Durability value : Durability.values()) {
      assertEquals(value, Durability.of(value.wireName()));
      assertEquals(value.wireName(), value.toString());
    }
    for (MultitaskStrategy value : MultitaskStrategy.values()) {
      assertEquals(value, MultitaskStrategy.of(value.wireName()));
    }
    for (RunStatus value : RunStatus.values()) {
      assertEquals(value, RunStatus.of(value.wireName()));
    }
  }

  @Test
  void jacksonWritesTheWireName() {
    assertEquals("\"exit\"", Json.encode(Durability.EXIT));
    assertEquals("\"enqueue\"", Json.encode(MultitaskStrategy.ENQUEUE));
    assertEquals("\"interrupted\"", Json.encode(RunStatus.INTERRUPTED));
  }

  @Test
  void anUnknownNameIsRefusedNamingTheAllowedOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durability.of("SYNC"));
    assertTrue(e.getMessage().contains("'SYNC'") && e.getMessage().contains("sync, async, exit"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> MultitaskStrategy.of("rollback"));
    assertTrue(e.getMessage().contains("'rollback'") && e.getMessage().contains("reject, enqueue"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> RunStatus.of(null));
    assertTrue(e.getMessage().contains("Missing status") && e.getMessage().contains("success, interrupted"),
        e.getMessage());
  }

  @Test
  void runOptionsAreTypedInJavaAndSpelledOnTheWire() {
    RunOptions options = new RunOptions().setDurability(Durability.SYNC)
        .setMultitaskStrategy(MultitaskStrategy.ENQUEUE);
    JsonObject json = options.toJson();
    assertEquals("sync", json.getValue("durability"));
    assertEquals("enqueue", json.getValue("multitaskStrategy"));
    RunOptions back = new RunOptions(json);
    assertEquals(Durability.SYNC, back.getDurability());
    assertEquals(MultitaskStrategy.ENQUEUE, back.getMultitaskStrategy());
    RunOptions defaults = new RunOptions(new JsonObject());
    assertEquals(Durability.ASYNC, defaults.getDurability());
    assertEquals(MultitaskStrategy.REJECT, defaults.getMultitaskStrategy());
  }

  @Test
  void badRunOptionsJsonNamesTheFieldAndTheAllowedValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RunOptions(new JsonObject().put("durability", "later")));
    assertTrue(e.getMessage().contains("durability") && e.getMessage().contains("'later'")
        && e.getMessage().contains("sync, async, exit"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new RunOptions(new JsonObject().put("multitaskStrategy", 3)));
    assertTrue(e.getMessage().contains("multitaskStrategy"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new RunOptions().setDurability(null));
    assertTrue(e.getMessage().contains("sync, async, exit"), e.getMessage());
  }

  @Test
  void runResultStatusIsTypedAndKeepsItsWireName() {
    RunResult interrupted = new RunResult("r", RunStatus.INTERRUPTED, State.empty(), "t", "c", List.of());
    JsonObject json = interrupted.toJson();
    assertEquals("interrupted", json.getValue("status"));
    RunResult back = RunResult.fromJson(json);
    assertEquals(RunStatus.INTERRUPTED, back.status());
    assertTrue(back.isInterrupted());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RunResult.fromJson(json.copy().put("status", "done")));
    assertTrue(e.getMessage().contains("'done'") && e.getMessage().contains("success, interrupted"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new RunResult("r", null, State.empty(), null, null, null));
  }

  private static <E> List<String> names(E[] values, Function<E, String> wireName) {
    return Arrays.stream(values).map(wireName).toList();
  }
}
