package io.graphloop.state;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.graphloop.state.ImmutableAssertions.assertListRefusesEveryMutator;
import static io.graphloop.state.ImmutableAssertions.assertMapRefusesEveryMutator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValuesTest {

  record Address(String city, String zip) {
  }

  record Person(String name, int age, List<String> tags, Address address) {
  }

  enum Mood { CALM, ANGRY }

  /** A bean Jackson cannot serialize: its only property throws. */
  static final class Exploding {
    public String getValue() {
      throw new IllegalStateException("no value today");
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> freezeMap(Object value) {
    return (Map<String, Object>) Values.freeze(value, "test");
  }

  @SuppressWarnings("unchecked")
  private static List<Object> freezeList(Object value) {
    return (List<Object>) Values.freeze(value, "test");
  }

  @Test
  void scalarsStayAsTheyAre() {
    assertEquals("text", Values.freeze("text", "test"));
    assertEquals(3, Values.freeze(3, "test"));
    assertEquals(3, Values.freeze(3L, "test"), "a whole number takes the smallest of Integer, Long, BigInteger");
    assertEquals(2.5, Values.freeze(2.5, "test"));
    assertEquals(true, Values.freeze(true, "test"));
    assertNull(Values.freeze(null, "test"));
  }

  @Test
  void mapsKeepInsertionOrderAndJsonNullValues() {
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("zeta", 1);
    input.put("alpha", null);
    input.put("mid", "m");

    Map<String, Object> frozen = freezeMap(input);

    assertEquals(List.of("zeta", "alpha", "mid"), new ArrayList<>(frozen.keySet()));
    assertTrue(frozen.containsKey("alpha"));
    assertNull(frozen.get("alpha"));
    assertEquals(input, frozen);
  }

  @Test
  void nestedMapsAndListsBecomeImmutable() {
    Map<String, Object> inner = new HashMap<>(Map.of("k", "v"));
    List<Object> list = new ArrayList<>(List.of(1, inner, new ArrayList<>(List.of("deep", "er"))));
    Map<String, Object> outer = new HashMap<>(Map.of("list", list, "map", new HashMap<>(Map.of("x", 1, "y", 2))));

    Map<String, Object> frozen = freezeMap(outer);

    assertMapRefusesEveryMutator(frozen);
    @SuppressWarnings("unchecked")
    List<Object> frozenList = (List<Object>) frozen.get("list");
    assertListRefusesEveryMutator(frozenList);
    @SuppressWarnings("unchecked")
    Map<String, Object> frozenInner = (Map<String, Object>) frozenList.get(1);
    assertMapRefusesEveryMutator(frozenInner);
    @SuppressWarnings("unchecked")
    List<Object> deepest = (List<Object>) frozenList.get(2);
    assertListRefusesEveryMutator(deepest);
  }

  @Test
  void mutatingTheOriginalAfterFreezingChangesNothing() {
    List<Object> tags = new ArrayList<>(List.of("a"));
    Map<String, Object> inner = new LinkedHashMap<>(Map.of("k", "v"));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("tags", tags);
    input.put("inner", inner);

    Map<String, Object> frozen = freezeMap(input);
    tags.add("b");
    inner.put("k2", "v2");
    input.put("added", true);

    assertEquals(Map.of("tags", List.of("a"), "inner", Map.of("k", "v")), frozen);
  }

  @Test
  void frozenValuesAreReturnedAsTheyAreWithoutCopying() {
    Map<String, Object> frozen = freezeMap(Map.of("a", List.of(1, 2)));

    assertSame(frozen, Values.freeze(frozen, "again"));
    assertSame(frozen.get("a"), Values.freeze(frozen.get("a"), "again"));
    assertTrue(Values.isFrozen(frozen));
    assertFalse(Values.isFrozen(new HashMap<>()));
    assertFalse(Values.isFrozen(new ArrayList<>()));
  }

  @Test
  void jsonObjectAndJsonArrayBecomeMapsAndLists() {
    JsonObject json = new JsonObject()
        .put("name", "n")
        .put("items", new JsonArray().add(1).add(new JsonObject().put("deep", true)))
        .put("nested", new JsonObject().put("x", 1.5));

    Map<String, Object> frozen = freezeMap(json);

    assertEquals(Map.of("name", "n", "items", List.of(1, Map.of("deep", true)), "nested", Map.of("x", 1.5)),
        frozen);
    assertFalse(frozen.get("items") instanceof JsonArray);
    assertFalse(((List<?>) frozen.get("items")).get(1) instanceof JsonObject);
    assertEquals(List.of("a", 2), freezeList(new JsonArray().add("a").add(2)));
    json.getJsonObject("nested").put("x", 99);
    assertEquals(Map.of("x", 1.5), frozen.get("nested"));
  }

  @Test
  void recordsBecomeMapsOfTheirProperties() {
    Person person = new Person("Ada", 36, List.of("math"), new Address("London", "N1"));

    Map<String, Object> frozen = freezeMap(person);

    assertEquals(Map.of("name", "Ada", "age", 36, "tags", List.of("math"),
        "address", Map.of("city", "London", "zip", "N1")), frozen);
    assertMapRefusesEveryMutator(frozen);
  }

  @Test
  void otherCollectionsArraysEnumsAndCharSequencesBecomeJsonValues() {
    assertEquals(List.of("b", "a"), freezeList(new LinkedHashSet<>(List.of("b", "a"))));
    assertEquals(List.of("x", 1), freezeList(new Object[] {"x", 1}));
    assertEquals("CALM", Values.freeze(Mood.CALM, "test"));
    assertEquals("built", Values.freeze(new StringBuilder("built"), "test"));
  }

  @Test
  void arraysMayHoldJsonNull() {
    List<Object> frozen = freezeList(new Object[] {"x", null});

    assertEquals(Arrays.asList("x", null), frozen);
  }

  @Test
  void listsMayHoldJsonNull() {
    assertEquals(Arrays.asList(null, 1), freezeList(Arrays.asList(null, 1)));
  }

  @Test
  void aNonStringMapKeyFailsNamingWhereAndHowToFix() {
    Map<Object, Object> bad = new HashMap<>();
    bad.put(42, "answer");
    Map<String, Object> outer = Map.of("inner", List.of(bad));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Values.freeze(outer, "channel 'lookup' written by node 'a'"));

    assertTrue(e.getMessage().contains("channel 'lookup' written by node 'a'"), e.getMessage());
    assertTrue(e.getMessage().contains("42"), e.getMessage());
    assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
    assertTrue(e.getMessage().contains("string keys"), e.getMessage());
  }

  @Test
  void aNullMapKeyFailsNamingWhere() {
    Map<Object, Object> bad = new HashMap<>();
    bad.put(null, "v");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Values.freeze(bad, "channel 'x'"));

    assertTrue(e.getMessage().contains("channel 'x'"), e.getMessage());
  }

  @Test
  void aValueThatIsNotJsonFailsNamingWhereAndType() {
    IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
        () -> Values.freeze(Map.of("k", List.of(new Object())), "channel 'blob'"));
    assertTrue(plain.getMessage().contains("channel 'blob'"), plain.getMessage());
    assertTrue(plain.getMessage().contains("java.lang.Object"), plain.getMessage());
    assertTrue(plain.getMessage().contains("JSON-compatible"), plain.getMessage());

    IllegalArgumentException throwing = assertThrows(IllegalArgumentException.class,
        () -> Values.freeze(new Exploding(), "channel 'bomb'"));
    assertTrue(throwing.getMessage().contains("channel 'bomb'"), throwing.getMessage());
    assertTrue(throwing.getMessage().contains(Exploding.class.getName()), throwing.getMessage());

    IllegalArgumentException optional = assertThrows(IllegalArgumentException.class,
        () -> Values.freeze(Optional.of(1), "channel 'maybe'"));
    assertTrue(optional.getMessage().contains("channel 'maybe'"), optional.getMessage());
  }

  @Test
  void freezeUpdateGivesAnImmutableStringKeyedMap() {
    Map<String, Object> update = Values.freezeUpdate(new HashMap<>(Map.of("a", new ArrayList<>(List.of(1, 2)))),
        "the update of node 'n'");

    assertInstanceOf(Map.class, update);
    assertEquals(Map.of("a", List.of(1, 2)), update);
    assertMapRefusesEveryMutator(update);
  }

  @Test
  void wholeNumbersTakeTheSmallestOfIntegerLongAndBigInteger() {
    assertSame(Integer.class, Values.freeze(5L, "test").getClass());
    assertSame(Integer.class, Values.freeze((short) 5, "test").getClass());
    assertSame(Integer.class, Values.freeze((byte) -5, "test").getClass());
    assertSame(Integer.class, Values.freeze(new java.util.concurrent.atomic.AtomicLong(7), "test").getClass());
    assertSame(Integer.class, Values.freeze(java.math.BigInteger.valueOf(Integer.MIN_VALUE), "test").getClass());
    assertEquals(Integer.MAX_VALUE + 1L, Values.freeze(java.math.BigInteger.valueOf(Integer.MAX_VALUE + 1L), "t"));
    assertSame(Long.class, Values.freeze(Long.MIN_VALUE, "test").getClass());
    assertSame(Long.class, Values.freeze(java.math.BigInteger.valueOf(Long.MAX_VALUE), "test").getClass());
    java.math.BigInteger beyond = java.math.BigInteger.valueOf(Long.MAX_VALUE).add(java.math.BigInteger.ONE);
    assertEquals(beyond, Values.freeze(beyond, "test"));
  }

  @Test
  void otherNumbersBecomeDoublesAsTheirJsonTextReadsBack() {
    assertEquals(0.1, Values.freeze(0.1f, "test"), "a float through its decimal form, as JSON writes it");
    assertEquals(2.0, Values.freeze(2.0f, "test"));
    assertEquals(1.25, Values.freeze(new java.math.BigDecimal("1.25"), "test"));
    assertEquals(5.0, Values.freeze(new java.math.BigDecimal("5"), "test"));
    assertSame(Double.class, Values.freeze(new java.util.concurrent.atomic.DoubleAdder(), "test").getClass());
  }

  @Test
  void nanAndInfinitiesAreRefusedNamingWhere() {
    for (Object number : List.of(Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        new java.math.BigDecimal("1e400"))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Values.freeze(Map.of("score", List.of(number)), "channel 'x'"));
      assertTrue(e.getMessage().contains("channel 'x'") && e.getMessage().contains("not a JSON number"),
          e.getMessage());
    }
  }

  @Test
  void aLoneSurrogateInTextOrAKeyIsRefusedNamingWhereAndIndex() {
    IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
        () -> Values.freeze(Map.of("text", List.of("ok", "cut \uD83D")), "channel 'reply'"));
    assertTrue(value.getMessage().contains("channel 'reply'") && value.getMessage().contains("\\uD83D at index 4"),
        value.getMessage());
    IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
        () -> Values.freeze(Map.of("\uDE00x", 1), "channel 'reply'"));
    assertTrue(key.getMessage().contains("a map key in channel 'reply'"), key.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Values.freeze("\uDE00\uD83D", "test"), "reversed pair");
    assertEquals("emoji \uD83D\uDE00 ok", Values.freeze("emoji \uD83D\uDE00 ok", "test"), "a pair is fine");
  }

  @Test
  void randomValuesAreFrozenOnceAndStayAsTheyAre() {
    java.util.Random random = new java.util.Random(11);
    for (int i = 0; i < 500; i++) {
      Object frozen = Values.freeze(RandomValues.value(random, 3), "random value " + i);
      assertSame(frozen, Values.freeze(frozen, "again"), "frozen values are in the model already");
      RandomValues.assertInModel(frozen);
    }
  }
}
