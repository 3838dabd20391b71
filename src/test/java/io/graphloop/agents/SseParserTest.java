package io.graphloop.agents;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SseParser} fed a chat completions body in awkward pieces: heartbeat comments, events without data and other
 * fields are skipped, a blank {@code data:} event reaches the model as "" (which {@link OpenAiChatModel} skips,
 * {@code OpenAiChatModelTest.heartbeatsAndBlankEventsAreIgnored}), line
 * ends LF, CRLF or CR, multi-line data joined, a UTF-8 character split between buffers kept whole, and the bounds.
 */
class SseParserTest {

  private final List<String> events = new ArrayList<>();

  private void feed(SseParser parser, byte[] body, int... cuts) {
    int from = 0;
    int[] all = Arrays.copyOf(cuts, cuts.length + 1);
    all[cuts.length] = body.length;
    for (int to : all) {
      assertTrue(parser.write(Buffer.buffer(Arrays.copyOfRange(body, from, to))).succeeded());
      from = to;
    }
  }

  @Test
  void heartbeatsAndEventsWithoutDataAreSkippedWhateverThePieces() {
    String body = ": heartbeat\n\nevent: ping\n\ndata: {\"a\":1}\n\n:\r\n\r\nid: 7\nretry: 10\n\n"
        + "data: first\r\ndata: second\r\rdata:\n\ndata: caf\u00e9 \u2603\n\ndata: [DONE]\n\n";
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    for (int cut = 1; cut < bytes.length; cut++) {        // every place one cut can fall, a char's bytes included
      events.clear();
      SseParser parser = new SseParser(events::add, 1000, 100);
      feed(parser, bytes, cut);
      assertTrue(parser.end().succeeded());
      assertEquals(List.of("{\"a\":1}", "first\nsecond", "", "caf\u00e9 \u2603", "[DONE]"), events, "cut at " + cut);
    }
  }

  @Test
  void aLongLineOrEventFailsTheWriteAndTheExcerptIsKept() {
    SseParser parser = new SseParser(events::add, 10, 8);
    assertTrue(parser.write(Buffer.buffer("data: 12345678901\n\n")).failed());
    assertEquals("data: 12", parser.excerpt());
    SseParser joined = new SseParser(events::add, 10, 8);
    assertTrue(joined.write(Buffer.buffer("data: 123456\ndata: 7890\n")).failed(), "the joined event is too long");
    assertTrue(events.isEmpty());
  }
}
