package io.graphloop.internal.engine;

import io.graphloop.graph.Command;
import io.graphloop.graph.Send;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeOutputsTest {

  record Citation(String url, int page) {
  }

  record Update(String answer, List<String> notes, Integer count, Citation citation) {
  }

  private static void assertExplainsWhatANodeMayReturn(IllegalArgumentException e, String node) {
    String message = e.getMessage();
    assertTrue(message.contains("'" + node + "'"), message);
    assertTrue(message.contains("a node returns a Map of channel updates, null for no update, or a record/bean"),
        message);
  }

  @Test
  void nullIsNoUpdate() {
    assertEquals(Map.of(), NodeOutputs.toUpdate(null, "a"));
  }

  @Test
  void aMapIsFrozenAndDetachedFromTheOriginal() {
    List<Object> notes = new ArrayList<>(List.of("n1"));
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("notes", notes);
    output.put("answer", "42");

    Map<String, Object> update = NodeOutputs.toUpdate(output, "a");
    notes.add("n2");
    output.put("later", true);

    assertEquals(Map.of("notes", List.of("n1"), "answer", "42"), update);
    assertThrows(UnsupportedOperationException.class, () -> update.put("x", 1));
    @SuppressWarnings("unchecked")
    List<Object> frozenNotes = (List<Object>) update.get("notes");
    assertThrows(UnsupportedOperationException.class, () -> frozenNotes.add("x"));
  }

  @Test
  void aMapMayWriteJsonNull() {
    Map<String, Object> output = new HashMap<>();
    output.put("answer", null);

    Map<String, Object> update = NodeOutputs.toUpdate(output, "a");

    assertTrue(update.containsKey("answer"));
  }

  @Test
  void aJsonObjectIsAnUpdate() {
    Map<String, Object> update = NodeOutputs.toUpdate(new JsonObject().put("items", new JsonArray().add(1)), "a");

    assertEquals(Map.of("items", List.of(1)), update);
  }

  @Test
  void aRecordContributesOnlyItsNonNullProperties() {
    Map<String, Object> update = NodeOutputs.toUpdate(
        new Update("yes", List.of("n"), null, new Citation("http://x", 3)), "a");

    assertEquals(Map.of("answer", "yes", "notes", List.of("n"), "citation", Map.of("url", "http://x", "page", 3)),
        update);
    assertThrows(UnsupportedOperationException.class, () -> update.remove("answer"));
  }

  @Test
  void aRecordWithEveryPropertyNullIsNoUpdate() {
    assertEquals(Map.of(), NodeOutputs.toUpdate(new Update(null, null, null, null), "a"));
  }

  @Test
  void aStringIsRefusedSayingWhatANodeMayReturn() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toUpdate("the answer", "writer"));

    assertExplainsWhatANodeMayReturn(e, "writer");
    assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    assertTrue(e.getMessage().contains("the answer"), e.getMessage());
  }

  @Test
  void aListIsRefusedSayingWhatANodeMayReturn() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toUpdate(List.of("a", "b"), "lister"));

    assertExplainsWhatANodeMayReturn(e, "lister");
  }

  @Test
  void numbersBooleansArraysAndJsonArraysAreRefused() {
    assertExplainsWhatANodeMayReturn(assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toUpdate(42, "n")), "n");
    assertExplainsWhatANodeMayReturn(assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toUpdate(true, "n")), "n");
    assertExplainsWhatANodeMayReturn(assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toUpdate(new String[] {"x"}, "n")), "n");
    assertExplainsWhatANodeMayReturn(assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toUpdate(new JsonArray().add(1), "n")), "n");
  }

  @Test
  void aHugeWrongOutputIsAbbreviatedInTheMessage() {
    String huge = "x".repeat(10_000);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeOutputs.toUpdate(huge, "n"));

    assertTrue(e.getMessage().length() < 500, "message length " + e.getMessage().length());
  }

  @Test
  void aMapWithANonStringKeyIsRefusedNamingTheNode() {
    Map<Object, Object> output = new HashMap<>();
    output.put(1, "one");

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toUpdate(output, "keyed"));

    assertTrue(e.getMessage().contains("the update of node 'keyed'"), e.getMessage());
  }

  @Test
  void aNonJsonValueInTheUpdateIsRefusedNamingTheNode() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toUpdate(Map.of("handle", new Object()), "leaky"));

    assertTrue(e.getMessage().contains("the update of node 'leaky'"), e.getMessage());
  }

  @Test
  void anObjectJacksonCannotReadIsRefusedNamingTheNode() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toUpdate(new Object(), "opaque"));

    assertTrue(e.getMessage().contains("'opaque'"), e.getMessage());
    assertTrue(e.getMessage().contains("return a Map of channel updates"), e.getMessage());
  }

  @Test
  void aCommandIsReadAsItsFrozenUpdateGotoTargetsAndSends() {
    List<Object> notes = new ArrayList<>(List.of("n1"));
    Map<String, Object> input = new HashMap<>(Map.of("notes", notes));
    Command command = Command.gotoNode("b").update(Map.of("notes", notes)).andSend(new Send("c", input));

    NodeOutput output = NodeOutputs.toOutput(command, "a");
    notes.add("n2");
    input.put("later", true);

    assertEquals(Map.of("notes", List.of("n1")), output.update());
    assertEquals(List.of("b"), output.goTo());
    assertEquals(List.of(new Send("c", Map.of("notes", List.of("n1")))), output.sends());
    assertThrows(UnsupportedOperationException.class, () -> output.sends().get(0).input().put("x", 1));
  }

  @Test
  void anythingButACommandIsReadAsAPlainUpdateWithoutRouting() {
    NodeOutput output = NodeOutputs.toOutput(Map.of("answer", "42"), "a");

    assertEquals(Map.of("answer", "42"), output.update());
    assertEquals(List.of(), output.goTo());
    assertEquals(List.of(), output.sends());
  }

  @Test
  void aCommandWithANonJsonUpdateOrSendInputIsRefusedNamingTheNode() {
    IllegalArgumentException update = assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toOutput(Command.ofUpdate(Map.of("handle", new Object())), "leaky"));
    assertTrue(update.getMessage().contains("node 'leaky'"), update.getMessage());

    IllegalArgumentException send = assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toOutput(Command.send(new Send("x", Map.of("handle", new Object()))), "leaky"));
    assertTrue(send.getMessage().contains("Send to 'x' from node 'leaky'"), send.getMessage());
  }

  @Test
  void aSendReturnedByANodeIsRefusedPointingToCommandSend() {
    for (Object output : List.of(new Send("x", Map.of()), List.of(new Send("x", Map.of())))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> NodeOutputs.toOutput(output, "sender"));
      assertTrue(e.getMessage().contains("'sender'") && e.getMessage().contains("Command.send("), e.getMessage());
    }
  }

  @Test
  void toUpdateRefusesACommandWhoseRoutingItWouldDrop() {
    assertEquals(Map.of("k", 1), NodeOutputs.toUpdate(Command.ofUpdate(Map.of("k", 1)), "a"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> NodeOutputs.toUpdate(Command.gotoNode("b"), "a"));
    assertTrue(e.getMessage().contains("NodeOutputs.toOutput"), e.getMessage());
  }
}
