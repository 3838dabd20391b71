package io.graphloop.server;

import io.graphloop.run.StreamEvent;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15: a token's {@code messages-tuple} event is encoded once, straight into the bytes of its SSE frame: the
 * frame is the text {@code JsonObject.encode()} made before (escapes, non-ASCII text, nested values, nulls), the same
 * buffer is what every response writes (live, late join, resumption), and the whole hand-over of a token, from the
 * bus event to the run's buffered frame, allocates a fraction of what it did (a JsonObject per token, its String, the
 * String concatenated into the tuple, that String's bytes, then the frame's).
 */
class MessageFrameTest {

  private static final int WARM_UP = 20_000;
  private static final int MEASURED = 20_000;
  /** Bytes allocated per token, ApiMessages plus RunRecord plus the write: 3,185 before (JSON text, copied twice), 1,632 now. */
  private static final double MAX_BYTES_PER_TOKEN = 2_200;

  /** A chunk as the runtime hands it over: LangChain's AIMessageChunk fields, with text that must be escaped. */
  private static Map<String, Object> chunk(String content) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("content", content);
    message.put("additional_kwargs", Map.of());
    message.put("response_metadata", Map.of());
    message.put("type", "AIMessageChunk");
    message.put("name", null);
    message.put("id", "run--0b3c1a5e-6f8e-4c43-9d3b-2d6a8f7e9b10");
    message.put("tool_calls", List.of());
    message.put("invalid_tool_calls", List.of());
    message.put("usage_metadata", null);
    message.put("tool_call_chunks", List.of(Map.of("index", 0, "args", "{\"a\": 1.5}")));
    return message;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata() {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("thread_id", null);
    metadata.put("langgraph_step", 1);
    metadata.put("langgraph_node", "agent");
    metadata.put("langgraph_triggers", List.of("branch:to:agent"));
    metadata.put("langgraph_path", List.of("__pregel_pull", "agent"));
    metadata.put("langgraph_checkpoint_ns", "agent:6f1f4c2e-1b7a-4e39-9e56-0d1c2b3a4f5e");
    metadata.put("ls_provider", "openai");
    return (Map<String, Object>) Values.freeze(metadata, "metadata");
  }

  private static StreamEvent event(long seq, Map<String, Object> message, Map<String, Object> metadata) {
    return new StreamEvent("r1", seq, io.graphloop.run.StreamEventType.MESSAGES, 1, "agent", "",
        Map.of("message", message, "metadata", metadata));
  }

  private static RunRecord record(int maxEvents) {
    return new RunRecord("r1", null, "agent", "agent", "u", new JsonObject(), new JsonObject(), "reject", maxEvents,
        1 << 20);
  }

  @Test
  void theTuplesFrameIsTheJsonTextOfMessageAndMetadata() {
    Map<String, Object> message = chunk("h\u00e9llo \u65e5\u672c \"quoted\" back\\slash\nnew line \u2028 \u0007 </script>");
    Map<String, Object> metadata = metadata();
    RunRecord run = record(100);
    ApiMessages messages = new ApiMessages(List.of("messages-tuple"));
    messages.onEvent(event(1, message, metadata), "", run);
    messages.onEvent(event(2, chunk("again"), metadata), "|sub:1", run);

    List<Sse.Frame> frames = run.framesAfter(-1, Long.MAX_VALUE);
    assertEquals(2, frames.size());
    String expected = "[" + new JsonObject(message).encode() + "," + new JsonObject(metadata).encode() + "]";
    assertEquals(expected, frames.get(0).data());
    assertEquals("event: messages\ndata: " + expected + "\nid: 0\n\n", frames.get(0).encode().toString("UTF-8"));
    assertEquals(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "messages".length(),
        frames.get(0).size(), "a frame counts its data's bytes and its name");
    JsonArray pair = new JsonArray(frames.get(0).data());
    assertEquals(message.get("content"), pair.getJsonObject(0).getString("content"));
    assertEquals("agent", pair.getJsonObject(1).getString("langgraph_node"));
    assertEquals("messages|sub:1", frames.get(1).event());
    assertTrue(frames.get(1).encode().toString().endsWith("\nid: 1\n\n"));
    assertSame(frames.get(0).encode(), run.framesAfter(-1, Long.MAX_VALUE).get(0).encode(),
        "a frame's bytes are made once: a late join writes the very buffer the live response did");
  }

  @Test
  void aMessageWithoutMetadataHasEmptyMetadataAndTextFramesAreUnchanged() {
    RunRecord run = record(100);
    new ApiMessages(List.of("messages-tuple")).onEvent(new StreamEvent("r1", 1,
        io.graphloop.run.StreamEventType.MESSAGES, 1, "agent", "", Map.of("message", Map.of("type", "ai",
        "content", "x"))), "", run);
    run.emit("values", "{\"a\":1}");
    List<Sse.Frame> frames = run.framesAfter(-1, Long.MAX_VALUE);
    assertEquals("[" + new JsonObject(Map.of("type", "ai", "content", "x")).encode() + ",{}]", frames.get(0).data());
    assertEquals("event: values\ndata: {\"a\":1}\nid: 1\n\n", frames.get(1).encode().toString());
  }

  @Test
  void charactersOutsideTheBmpAndBrokenPairsComeBackAsTheyWent() {
    for (String content : List.of("emoji \ud83d\ude00 and \ud834\udd1e", "half \ud83d of a pair", "\udc00 low first")) {
      RunRecord run = record(100);
      new ApiMessages(List.of("messages-tuple")).onEvent(event(1, chunk(content), metadata()), "", run);
      String data = run.framesAfter(-1, Long.MAX_VALUE).get(0).data();
      assertEquals(content, new JsonArray(data).getJsonObject(0).getString("content"), data);
    }
  }

  @Test
  void aTokenIsHandedToItsFrameWithLittleAllocation() {
    Map<String, Object> metadata = metadata();
    StreamEvent token = event(1, chunk(" word"), metadata);
    RunRecord run = record(16); // bounded: the oldest frames go, as a long answer's would past the run's limits
    long[] written = {0};
    run.join(response(written), -1);
    ApiMessages messages = new ApiMessages(List.of("messages-tuple"));
    double perToken = bytesPerCall(() -> messages.onEvent(token, "", run));
    assertTrue(perToken < MAX_BYTES_PER_TOKEN, "bytes allocated per token: " + perToken);
    long frame = run.framesAfter(-1, Long.MAX_VALUE).get(0).encode().length(); // ids grow: later frames are longer
    assertTrue(written[0] >= (long) (WARM_UP + MEASURED) * (frame - 5), "every token's frame was written: "
        + written[0]);
  }

  /** A joined response that counts the bytes written to it and never fills (a stand-in for a socket). */
  private static io.vertx.core.http.HttpServerResponse response(long[] written) {
    return (io.vertx.core.http.HttpServerResponse) java.lang.reflect.Proxy.newProxyInstance(
        MessageFrameTest.class.getClassLoader(), new Class<?>[] {io.vertx.core.http.HttpServerResponse.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "write":
              written[0] += ((io.vertx.core.buffer.Buffer) args[0]).length();
              return io.vertx.core.Future.succeededFuture();
            case "closed":
            case "ended":
            case "writeQueueFull":
              return Boolean.FALSE;
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }

  /** Bytes this thread allocates per call of {@code call}, after a warm-up (so the JIT has compiled it). */
  private static double bytesPerCall(Runnable call) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int i = 0; i < WARM_UP; i++) {
      call.run();
    }
    long before = threads.getThreadAllocatedBytes(thread);
    for (int i = 0; i < MEASURED; i++) {
      call.run();
    }
    return (threads.getThreadAllocatedBytes(thread) - before) / (double) MEASURED;
  }
}
