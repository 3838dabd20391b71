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

  /**
   * LangGraph 1.2.12: {@code CheckpointMetadata.source: Literal["input", "loop", "update", "fork"]}; the stream's event
   * names are its {@code StreamMode} values that Graphloop streams, plus the stream's last event, end or error.
   */
  @Test
  void streamEventTypesAndCheckpointSourcesAreTypedAndSpelledAsLangGraph() {
    assertEquals(List.of("values", "updates", "tasks", "debug", "custom", "messages", "end", "error"),
        names(StreamEventType.values(), StreamEventType::wireName));
    assertEquals(List.of("input", "loop", "update", "fork"),
        names(io.graphloop.checkpoint.CheckpointSource.values(), io.graphloop.checkpoint.CheckpointSource::wireName));
    for (StreamMode mode : StreamMode.values()) {
      assertEquals(mode, StreamEventType.of(mode).mode());
      assertEquals(mode.wireName(), StreamEventType.of(mode).wireName());
    }
    for (StreamEventType type : StreamEventType.values()) {
      assertEquals(type, StreamEventType.of(type.wireName()));
      assertEquals(type.mode() == null, type.isTerminal());
    }
    assertEquals("\"end\"", Json.encode(StreamEventType.END));
    assertEquals("\"fork\"", Json.encode(io.graphloop.checkpoint.CheckpointSource.FORK));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StreamEventType.of("value"));
    assertTrue(e.getMessage().contains("'value'") && e.getMessage().contains("values, updates"), e.getMessage());

    StreamEvent event = new StreamEvent("r1", 3, StreamEventType.UPDATES, 1, "a", "", java.util.Map.of("a", 1));
    assertEquals("updates", event.toJson().getString("event"));
    assertEquals(event, StreamEvent.fromJson(event.toJson()));
    e = assertThrows(IllegalArgumentException.class,
        () -> StreamEvent.fromJson(event.toJson().put("event", "update")));
    assertTrue(e.getMessage().contains("'event'") && e.getMessage().contains("'update'"), e.getMessage());

    ThreadState state = new ThreadState("t", "c2", "c1", 0, java.time.Instant.EPOCH,
        io.graphloop.checkpoint.CheckpointSource.LOOP, null, State.empty(), null, null, null);
    assertEquals("loop", state.toJson().getString("source"));
    assertEquals(state, ThreadState.fromJson(state.toJson()));
    e = assertThrows(IllegalArgumentException.class,
        () -> ThreadState.fromJson(state.toJson().put("source", "replay")));
    assertTrue(e.getMessage().contains("'source'") && e.getMessage().contains("input, loop, update, fork"),
        e.getMessage());
  }
}
