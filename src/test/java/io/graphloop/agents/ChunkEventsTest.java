package io.graphloop.agents;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** ChunkEvents: a text token's event read straight into a chunk, equal to what the JsonObject path reads. */
class ChunkEventsTest {

  private static final String FALLBACK = "run-fallback";

  /** Events the streaming read takes: each gives what OpenAiWire.chunk gives from the same text's JsonObject. */
  private static final List<String> PLAIN = List.of(
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt\",\"choices\":"
          + "[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}",
      "{\"id\":\"chatcmpl-1\",\"model\":\"gpt\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\","
          + "\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}],\"system_fingerprint\":\"fp\"}",
      "{\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}",
      "{\"choices\":[{\"delta\":{\"content\":\"no id \\\"quoted\\\" \\u00e9 \\ud83d\\ude00 \\n\"}}]}",
      "{\"id\":\"c\",\"choices\":[]}",
      "{\"id\":\"c\",\"choices\":null,\"usage\":null,\"error\":null}",
      "{\"id\":\"c\",\"choices\":[7,{\"delta\":{\"content\":\"second choice is not read\"}}]}",
      "{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"a\",\"tool_calls\":null}},{\"delta\":{\"content\":\"b\"}}]}",
      "{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":null},\"logprobs\":{\"content\":[{\"token\":\"x\","
          + "\"bytes\":[1,2]}]}}],\"model\":null}",
      "{\"id\":\"c\",\"choices\":[{\"delta\":null}]}",
      "{}");

  /** Events left to the JsonObject path (which reads them, or says what is wrong). */
  private static final List<String> OTHER = List.of(
      "{\"id\":\"c\",\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"function\":"
          + "{\"name\":\"add\",\"arguments\":\"\"}}]}}]}",
      "{\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":5,\"total_tokens\":8}}",
      "{\"error\":{\"message\":\"overloaded\"}}",
      "{\"id\":\"c\",\"id\":\"d\",\"choices\":[]}",
      "{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"a\",\"content\":\"b\"}}]}",
      "{\"id\":\"c\",\"choices\":[]} {\"id\":\"d\"}",
      "{\"id\":7,\"choices\":[]}",
      "{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":5}}]}",
      "{\"id\":\"c\",\"choices\":[{\"finish_reason\":1}]}",
      "{\"id\":\"c\",\"choices\":{}}",
      "[1, 2]",
      "not json",
      "{\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"cut");

  @Test
  void aTextTokenReadsAsTheJsonObjectPathReadsIt() {
    for (String event : PLAIN) {
      AiMessageChunk fast = ChunkEvents.plainText(event, FALLBACK);
      assertNotNull(fast, event);
      assertEquals(OpenAiWire.chunk(new JsonObject(event), FALLBACK), fast, event);
      assertEquals(OpenAiWire.chunk(new JsonObject(event), FALLBACK).toMap(), fast.toMap(), event);
    }
  }

  @Test
  void anyOtherEventIsLeftToTheJsonObjectPath() {
    for (String event : OTHER) {
      assertNull(ChunkEvents.plainText(event, FALLBACK), event);
    }
  }

  @Test
  void aChunkWithoutAnIdTakesTheAnswersFallbackId() {
    AiMessageChunk chunk = ChunkEvents.plainText("{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}", FALLBACK);
    assertEquals(new AiMessageChunk(FALLBACK, "x", List.of(), null, null, null), chunk);
  }
}
