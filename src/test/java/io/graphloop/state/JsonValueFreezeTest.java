package io.graphloop.state;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Objects with a {@code @JsonValue} method (a chat model's chunks, messages) freeze to what Jackson would serialize,
 * taken from that method directly: the same value as the round trip through Jackson's token tree, at a fraction of
 * its allocation (a chat model's chunk is frozen once per token).
 */
class JsonValueFreezeTest {

  /** As the agents' messages: the annotation is on the interface, the record overrides the method. */
  public interface Shaped {
    @JsonValue
    Map<String, Object> toMap();
  }

  public record Chunk(String id, String content, long tokens, float score, List<Object> parts) implements Shaped {
    @Override
    public Map<String, Object> toMap() {
      Map<String, Object> map = new LinkedHashMap<>();
      map.put("content", content);
      map.put("additional_kwargs", new LinkedHashMap<>());
      map.put("type", "AIMessageChunk");
      map.put("id", id);
      map.put("tokens", tokens);
      map.put("score", score);
      map.put("tool_calls", new ArrayList<>());
      map.put("parts", parts);
      map.put("usage_metadata", null);
      return map;
    }
  }

  public record Annotated(String value) {
    @JsonValue
    public String text() {
      return "<" + value + ">";
    }
  }

  public record Failing(String value) {
    @JsonValue
    public String text() {
      throw new IllegalArgumentException("no text for " + value);
    }
  }

  private static Object throughJackson(Object value) throws Exception {
    ObjectMapper mapper = StateJson.mapper();
    return Values.freeze(mapper.treeToValue(mapper.valueToTree(value), Object.class), "expected");
  }

  @Test
  void aJsonValueObjectFreezesAsJacksonSerializesIt() throws Exception {
    Chunk chunk = new Chunk("run-1", "Hello", 3_000_000_000L, 0.1f, List.of(1L, new Annotated("x"), Map.of("b", 2,
        "a", 1)));
    Object frozen = Values.freeze(chunk, "a chunk");
    assertEquals(throughJackson(chunk), frozen);
    assertEquals(List.of("content", "additional_kwargs", "type", "id", "tokens", "score", "tool_calls", "parts",
        "usage_metadata"), new ArrayList<>(((Map<?, ?>) frozen).keySet()), "the method's key order is kept");
    assertTrue(Values.isFrozen(frozen));
    assertEquals("<y>", Values.freeze(new Annotated("y"), "a value"));
    assertEquals(throughJackson(new Annotated("y")), Values.freeze(new Annotated("y"), "a value"));
  }

  @Test
  void aFailingJsonValueMethodIsRefusedSayingWhere() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> Values.freeze(new Failing("z"), "channel 'reply'"));
    assertTrue(refused.getMessage().contains("no text for z"), refused.getMessage());
  }

  /**
   * Allocation, not time, so a loaded machine does not change it: the round trip through Jackson's token tree took
   * about 5.2 KB per chunk of this size, the value itself about 1.5 KB.
   */
  @Test
  void freezingAJsonValueObjectTakesNoTokenTree() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    Object sink = null;
    long perFreeze = Long.MAX_VALUE;
    for (int round = 0; round < 5; round++) { // the least of five rounds: the first ones include class loading
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 2_000; i++) {
        sink = Values.freeze(new Chunk("run-1", "token " + (i % 10), i, 0.5f, List.of()), "a chunk");
      }
      perFreeze = Math.min(perFreeze, (threads.getCurrentThreadAllocatedBytes() - before) / 2_000);
    }
    assertTrue(perFreeze < 3_000, "bytes allocated per frozen chunk: " + perFreeze + " (" + sink + ")");
  }
}
