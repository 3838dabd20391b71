package io.graphloop.state;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.InvalidUpdateException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LastValueChannelTest {

  private final Channel channel = Channels.lastValue();

  @Test
  void oneWriteSetsTheValueOfAnUnsetChannel() {
    Object value = channel.update("answer", false, null, List.of(new Write("a", 42)), 0);

    assertEquals(42, value);
  }

  @Test
  void oneWriteReplacesThePreviousValue() {
    Object value = channel.update("answer", true, "old", List.of(new Write("a", "new")), 5);

    assertEquals("new", value);
  }

  @Test
  void aWriteOfJsonNullSetsNull() {
    Object value = channel.update("answer", true, "old", List.of(new Write("a", null)), 1);

    assertNull(value);
  }

  @Test
  void twoWritesInOneStepAreRefusedNamingChannelStepAndBothNodes() {
    List<Write> writes = List.of(new Write("researcher", "x"), new Write("writer", "y"));

    InvalidUpdateException e = assertThrows(InvalidUpdateException.class,
        () -> channel.update("summary", true, "before", writes, 3));

    assertEquals("summary", e.channel());
    assertEquals(3, e.step());
    assertEquals(List.of("researcher", "writer"), e.writers());
    assertEquals(FailureCode.INVALID_UPDATE, e.code());
    String message = e.getMessage();
    assertTrue(message.contains("'summary'"), message);
    assertTrue(message.contains("step 3"), message);
    assertTrue(message.contains("researcher") && message.contains("writer"), message);
    assertTrue(message.contains("reducer"), "message should say how to fix it (a reducer): " + message);
    assertTrue(message.contains("Channels.append()"), message);
  }

  @Test
  void twoWritesFromDifferentStepsAreFineButOneStepNeverKeepsTheLastWriter() {
    Object first = channel.update("k", false, null, List.of(new Write("a", 1)), 0);
    Object second = channel.update("k", true, first, List.of(new Write("b", 2)), 1);
    assertEquals(2, second);

    assertThrows(InvalidUpdateException.class, () -> channel.update("k", true, second,
        List.of(new Write("a", 3), new Write("a", 4)), 2));
  }

  @Test
  void threeWritersAreAllListedInApplyOrder() {
    InvalidUpdateException e = assertThrows(InvalidUpdateException.class, () -> channel.update("k", false, null,
        List.of(new Write("c", 1), new Write("a", 2), new Write("b", 3)), 7));

    assertEquals(List.of("c", "a", "b"), e.writers());
    assertNull(e.node(), "several writers: no single node to blame");
  }

  @Test
  void checkpointRoundTripThroughJsonKeepsTheValue() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("title", "Vert.x & LangGraph");
    nested.put("score", 0.75);
    nested.put("count", 12);
    nested.put("flags", new ArrayList<>(Arrays.asList(true, false, null)));
    nested.put("empty", Map.of());
    nested.put("nothing", null);
    Object written = channel.update("doc", false, null,
        List.of(new Write("a", Values.freeze(nested, "test"))), 0);
    State state = State.empty().toBuilder().put("doc", written).put("n", 1).build();

    State direct = State.of(state.toJson().getMap());
    State viaText = State.of(new JsonObject(state.toJson().encode()).getMap());

    assertEquals(state, direct);
    assertEquals(state, viaText);
    assertEquals(written, viaText.get("doc"));
    assertTrue(viaText.getMap("doc").containsKey("nothing"));
    assertFalse(viaText.getMap("doc").get("count") instanceof Double, "integers stay integers");
  }
}
