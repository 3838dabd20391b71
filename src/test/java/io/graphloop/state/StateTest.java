package io.graphloop.state;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.graphloop.state.ImmutableAssertions.assertListRefusesEveryMutator;
import static io.graphloop.state.ImmutableAssertions.assertMapRefusesEveryMutator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateTest {

  record Message(String role, String content) {
  }

  record Chat(String topic, List<Message> messages, int turns) {
  }

  record Strict(int count) {
  }

  private static State sample() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("topic", "vert.x");
    values.put("messages", List.of(Map.of("role", "user", "content", "hi"), Map.of("role", "ai", "content", "hello")));
    values.put("turns", 2);
    values.put("meta", Map.of("source", "test", "tags", List.of("a", "b")));
    return State.of(values);
  }

  @Test
  void ofFreezesDeeplySoChangingTheInputLaterChangesNothing() {
    List<Object> messages = new ArrayList<>(List.of("m1"));
    Map<String, Object> meta = new HashMap<>(Map.of("k", "v"));
    Map<String, Object> input = new HashMap<>();
    input.put("messages", messages);
    input.put("meta", meta);

    State state = State.of(input);
    messages.add("m2");
    meta.put("k", "changed");
    input.put("extra", 1);

    assertEquals(List.of("m1"), state.getList("messages"));
    assertEquals(Map.of("k", "v"), state.getMap("meta"));
    assertFalse(state.has("extra"));
    assertEquals(2, state.size());
  }

  @Test
  void asMapAndEveryNestedMapAndListRefuseEveryMutator() {
    State state = sample();

    assertMapRefusesEveryMutator(state.asMap());
    assertMapRefusesEveryMutator(state.getMap("meta"));
    assertListRefusesEveryMutator(state.getList("messages"));
    @SuppressWarnings("unchecked")
    List<Object> tags = (List<Object>) state.getMap("meta").get("tags");
    assertListRefusesEveryMutator(tags);
    @SuppressWarnings("unchecked")
    Map<String, Object> firstMessage = (Map<String, Object>) state.getList("messages").get(0);
    assertMapRefusesEveryMutator(firstMessage);
    assertThrows(UnsupportedOperationException.class, () -> state.channels().add("x"));
    assertThrows(UnsupportedOperationException.class, () -> state.channels().remove("topic"));
    assertEquals(sample(), state);
  }

  @Test
  void jsonObjectsAndJsonArraysBecomePlainMapsAndLists() {
    State state = State.of(Map.of("doc", new JsonObject().put("a", new JsonArray().add(1).add("two")),
        "list", new JsonArray().add(new JsonObject().put("b", false))));

    assertEquals(Map.of("a", List.of(1, "two")), state.get("doc"));
    assertEquals(List.of(Map.of("b", false)), state.get("list"));
    assertFalse(state.get("doc") instanceof JsonObject);
    assertFalse(state.get("list") instanceof JsonArray);
  }

  @Test
  void fromAJsonObjectMapEqualsFromPlainCollections() {
    State fromJson = State.of(new JsonObject().put("a", 1).put("b", new JsonArray().add("x")).getMap());
    State fromPlain = State.of(Map.of("a", 1, "b", List.of("x")));

    assertEquals(fromPlain, fromJson);
  }

  @Test
  void recordValuesBecomeMapsThroughJackson() {
    State state = State.of(Map.of("last", new Message("user", "hi")));

    assertEquals(Map.of("role", "user", "content", "hi"), state.get("last"));
    assertMapRefusesEveryMutator(state.getMap("last"));
  }

  @Test
  void aNonStringKeyInANestedMapFailsNamingTheChannel() {
    Map<Object, Object> byId = new HashMap<>();
    byId.put(7L, "seven");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> State.of(Map.of("byId", byId)));

    assertTrue(e.getMessage().contains("channel 'byId'"), e.getMessage());
    assertTrue(e.getMessage().contains("java.lang.Long"), e.getMessage());
  }

  @Test
  void aNonJsonValueFailsNamingTheChannel() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> State.of(Map.of("ok", 1, "handle", new Object())));

    assertTrue(e.getMessage().contains("channel 'handle'"), e.getMessage());
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
  }

  @Test
  void theWholeStateReadsAsARecord() {
    Chat chat = sample().as(Chat.class);

    assertEquals(new Chat("vert.x", List.of(new Message("user", "hi"), new Message("ai", "hello")), 2), chat);
  }

  @Test
  void aStateThatDoesNotFitTheRecordFailsNamingTheType() {
    State state = State.of(Map.of("count", "not a number"));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> state.as(Strict.class));

    assertTrue(e.getMessage().contains(Strict.class.getName()), e.getMessage());
  }

  @Test
  void oneChannelReadsAsARecord() {
    State state = State.of(Map.of("last", Map.of("role", "ai", "content", "bye", "extra", "ignored")));

    assertEquals(new Message("ai", "bye"), state.get("last", Message.class));
    assertNull(state.get("missing", Message.class));
  }

  @Test
  void aChannelThatCannotBeReadAsTheTypeFailsNamingChannelAndType() {
    State state = State.of(Map.of("count", List.of(1, 2)));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> state.get("count", Message.class));

    assertTrue(e.getMessage().contains("'count'"), e.getMessage());
    assertTrue(e.getMessage().contains(Message.class.getName()), e.getMessage());
  }

  @Test
  void numericGettersAcceptAnyJsonNumber() {
    State state = State.of(Map.of("long", 5L, "int", 7, "double", 2.0));

    assertEquals(5, state.getInteger("long"));
    assertEquals(7L, state.getLong("int"));
    assertEquals(7.0, state.getDouble("int"));
    assertEquals(2, state.getInteger("double"));
    assertNull(state.getInteger("unset"));
    assertNull(state.getLong("unset"));
  }

  @Test
  void integerGettersRefuseToTruncate() {
    State state = State.of(Map.of("fraction", 2.5, "big", 3_000_000_000L, "huge", new java.math.BigInteger("1e30"
        .replace("1e30", "1000000000000000000000000000000"))));

    IllegalArgumentException fraction = assertThrows(IllegalArgumentException.class, () -> state.getInteger("fraction"));
    assertTrue(fraction.getMessage().contains("'fraction'") && fraction.getMessage().contains("2.5")
        && fraction.getMessage().contains("getDouble"), fraction.getMessage());
    assertThrows(IllegalArgumentException.class, () -> state.getLong("fraction"));
    IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> state.getInteger("big"));
    assertTrue(big.getMessage().contains("getLong"), big.getMessage());
    assertEquals(3_000_000_000L, state.getLong("big"));
    IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> state.getLong("huge"));
    assertTrue(huge.getMessage().contains("BigInteger"), huge.getMessage());
    assertEquals(2.5, state.getDouble("fraction"));
  }

  @Test
  void scalarGettersReadTheirTypes() {
    State state = State.of(Map.of("s", "text", "b", true));

    assertEquals("text", state.getString("s"));
    assertEquals(Boolean.TRUE, state.getBoolean("b"));
    assertNull(state.getString("unset"));
  }

  @Test
  void getListOfAnUnsetChannelIsEmpty() {
    State state = State.of(Map.of("other", 1));

    assertEquals(List.of(), state.getList("messages"));
    assertNull(state.getMap("unset"));
  }

  @Test
  void hasTellsAJsonNullApartFromUnset() {
    Map<String, Object> values = new HashMap<>();
    values.put("nothing", null);
    State state = State.of(values);

    assertTrue(state.has("nothing"));
    assertNull(state.get("nothing"));
    assertFalse(state.has("unset"));
    assertEquals(Set.of("nothing"), state.channels());
  }

  @Test
  void statesWithTheSameValuesAreEqualAndHashAlike() {
    State a = State.of(Map.of("x", 1, "list", List.of("a", Map.of("k", "v"))));
    State b = State.of(new JsonObject().put("x", 1).put("list", new JsonArray().add("a").add(new JsonObject()
        .put("k", "v"))).getMap());

    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, State.of(Map.of("x", 2, "list", List.of("a", Map.of("k", "v")))));
    assertNotEquals(a, State.of(Map.of("x", 1)));
    assertNotEquals(State.empty(), a);
    assertEquals(State.empty(), State.of(Map.of()));
  }

  @Test
  void toStringIsOneJsonLineInInsertionOrder() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("zeta", "line one\nline two");
    values.put("alpha", Map.of("list", List.of(1, 2)));
    values.put("mid", null);

    String text = State.of(values).toString();

    assertEquals("{\"zeta\":\"line one\\nline two\",\"alpha\":{\"list\":[1,2]},\"mid\":null}", text);
    assertFalse(text.contains("\n"));
    assertEquals(State.of(values), State.of(new JsonObject(text).getMap()));
  }

  @Test
  void channelsKeepTheOrderTheyWereFirstSet() {
    State state = State.empty().toBuilder().put("c", 1).put("a", 2).put("b", 3).build();
    State next = state.toBuilder().put("a", 20).put("d", 4).build();

    assertEquals(List.of("c", "a", "b"), new ArrayList<>(state.channels()));
    assertEquals(List.of("c", "a", "b", "d"), new ArrayList<>(next.channels()));
  }

  @Test
  void aBuilderNeverChangesTheStateItStartedFrom() {
    State state = State.of(Map.of("a", 1));

    State next = state.toBuilder().put("a", 2).put("b", List.of(3)).build();

    assertEquals(State.of(Map.of("a", 1)), state);
    assertEquals(State.of(Map.of("a", 2, "b", List.of(3))), next);
  }

  @Test
  void aBuilderFreezesWhatItIsGiven() {
    List<Object> items = new ArrayList<>(List.of("x"));

    State state = State.empty().toBuilder().put("items", items).build();
    items.add("y");

    assertEquals(List.of("x"), state.getList("items"));
  }

  @Test
  void toJsonIsACopyOfTheTopLevel() {
    State state = State.of(Map.of("a", 1));

    JsonObject json = state.toJson();
    json.put("b", 2);

    assertFalse(state.has("b"));
    assertEquals(1, json.getInteger("a"));
  }

  @Test
  void anEmptyInputIsTheEmptyState() {
    assertSame(State.empty(), State.of(Map.of()));
    assertEquals(0, State.empty().size());
    assertEquals("{}", State.empty().toString());
  }
}
