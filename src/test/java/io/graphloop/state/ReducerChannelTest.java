package io.graphloop.state;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReducerChannelTest {

  /** Not commutative, so the fold order shows. */
  private static final BinaryOperator<Object> MINUS = (a, b) -> ((Number) a).intValue() - ((Number) b).intValue();

  private static List<Write> writes(Object... values) {
    List<Write> writes = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      writes.add(new Write("n" + i, values[i]));
    }
    return writes;
  }

  @Test
  void withoutInitialValueTheFirstWriteStartsTheFold() {
    Channel channel = Channels.reducer(MINUS);

    assertEquals(10 - 3 - 2, channel.update("total", false, null, writes(10, 3, 2), 0));
  }

  @Test
  void withoutInitialValueASingleWriteIsTheValue() {
    Channel channel = Channels.reducer((a, b) -> {
      throw new AssertionError("the operator must not run for the first write of an unset channel");
    });

    assertEquals("only", channel.update("total", false, null, writes("only"), 0));
  }

  @Test
  void withInitialValueTheFoldStartsFromIt() {
    Channel channel = Channels.reducer(MINUS, 100);

    assertEquals(100 - 10 - 3 - 2, channel.update("total", false, null, writes(10, 3, 2), 0));
  }

  @Test
  void aChannelThatHasAValueFoldsFromThatValueNotFromTheInitial() {
    Channel withInitial = Channels.reducer(MINUS, 100);
    Channel withoutInitial = Channels.reducer(MINUS);

    assertEquals(50 - 10, withInitial.update("total", true, 50, writes(10), 3));
    assertEquals(50 - 10 - 5, withoutInitial.update("total", true, 50, writes(10, 5), 3));
  }

  @Test
  void writesAreFoldedInTheOrderGiven() {
    Channel channel = Channels.reducer((a, b) -> a + "," + b, "start");

    assertEquals("start,b,a,c", channel.update("trail", false, null, writes("b", "a", "c"), 1));
  }

  @Test
  void aThrowingReducerFailsWithInvalidUpdateNamingChannelAndNode() {
    IllegalStateException boom = new IllegalStateException("cannot merge");
    Channel channel = Channels.reducer((a, b) -> {
      if ("bad".equals(b)) {
        throw boom;
      }
      return b;
    });
    List<Write> writes = List.of(new Write("good", "x"), new Write("good2", "y"), new Write("writer", "bad"));

    GraphloopException e = assertThrows(GraphloopException.class,
        () -> channel.update("facts", true, "seed", writes, 4));

    assertEquals(FailureCode.INVALID_UPDATE, e.code());
    assertEquals("writer", e.node());
    assertEquals(4, e.step());
    assertSame(boom, e.getCause());
    assertTrue(e.getMessage().contains("'facts'"), e.getMessage());
    assertTrue(e.getMessage().contains("'writer'"), e.getMessage());
    assertTrue(e.getMessage().contains("cannot merge"), e.getMessage());
  }

  @Test
  void theResultIsFrozen() {
    List<Object> produced = new ArrayList<>();
    Channel channel = Channels.reducer((a, b) -> {
      produced.clear();
      produced.addAll((List<?>) a);
      produced.add(b);
      return produced;
    }, List.of());

    @SuppressWarnings("unchecked")
    List<Object> result = (List<Object>) channel.update("items", false, null, writes("x"), 0);
    produced.add("sneaked in after the fold");

    assertEquals(List.of("x"), result);
    assertThrows(UnsupportedOperationException.class, () -> result.add("y"));
    assertThrows(UnsupportedOperationException.class, () -> result.set(0, "y"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aMapResultIsFrozenDeeply() {
    Channel channel = Channels.reducer((a, b) -> {
      Map<String, Object> merged = new java.util.LinkedHashMap<>((Map<String, Object>) a);
      merged.putAll((Map<String, Object>) b);
      return merged;
    });

    Map<String, Object> result = (Map<String, Object>) channel.update("profile", true,
        Values.freeze(Map.of("a", 1), "test"), writes(Values.freeze(Map.of("b", List.of(2)), "test")), 0);

    assertEquals(Map.of("a", 1, "b", List.of(2)), result);
    assertThrows(UnsupportedOperationException.class, () -> result.put("c", 3));
    List<Object> nested = (List<Object>) result.get("b");
    assertThrows(UnsupportedOperationException.class, () -> nested.add(3));
  }

  @Test
  void theInitialValueIsFrozenWhenTheChannelIsDeclared() {
    List<Object> initial = new ArrayList<>(List.of("seed"));
    Channel channel = Channels.reducer((a, b) -> {
      List<Object> out = new ArrayList<>((List<?>) a);
      out.add(b);
      return out;
    }, initial);
    initial.add("changed after declaring");

    assertEquals(List.of("seed", "x"), channel.update("items", false, null, writes("x"), 0));
  }

  @Test
  void aNullOperatorIsRefused() {
    assertThrows(NullPointerException.class, () -> Channels.reducer(null));
    assertThrows(NullPointerException.class, () -> Channels.reducer(null, 0));
  }
}
