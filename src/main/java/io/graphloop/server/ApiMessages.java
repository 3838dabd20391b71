package io.graphloop.server;

import io.graphloop.run.StreamEvent;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LangGraph Server's two message stream modes, made from the bus's {@code messages} events
 * ({@code {"message", "metadata"}}, see {@code StreamMode.MESSAGES}):
 * <ul>
 *   <li>{@code messages-tuple}: one SSE event {@code messages} per bus event, data {@code [message, metadata]} (what
 *       the SDKs call {@code stream_mode="messages"} on a graph);</li>
 *   <li>{@code messages}: per message id, first {@code messages/metadata} {@code {id: {"metadata": {...}}}}, then for
 *       each chunk {@code messages/partial} with the message accumulated so far (as LangChain's
 *       {@code message_chunk_to_message}: type {@code ai}, content joined, tool calls parsed from their chunks), and
 *       for a whole message (a tool's answer, a message a node wrote) {@code messages/complete} with it. As
 *       langgraph-api's {@code stream.py}; the JS server also ends a streamed answer with {@code messages/complete},
 *       the Python one does not, and neither do we.</li>
 * </ul>
 *
 * <p>Bounded: it accumulates at most {@link #MAX_MESSAGES} messages per run (the oldest is forgotten first; a later
 * chunk of it starts a new accumulation); each message is as long as the model's answer, itself bounded by the chat
 * model's {@code maxResponseChars}. Thread rules: one instance per run, used on the server verticle's context only.
 */
public final class ApiMessages {

  /** The messages one run accumulates for {@code messages/partial}. */
  public static final int MAX_MESSAGES = 1_000;

  private final boolean tuple;
  private final boolean accumulated;
  private final Map<String, Accumulated> messages = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Accumulated> eldest) {
      return size() > MAX_MESSAGES;
    }
  };

  /** For a run streaming the API modes {@code modes}. */
  public ApiMessages(List<String> modes) {
    this.tuple = modes.contains("messages-tuple");
    this.accumulated = modes.contains("messages");
  }

  /** Whether {@code modes} ask for either message mode (then the run needs the bus's {@code messages} mode). */
  public static boolean wanted(List<String> modes) {
    return modes.contains("messages") || modes.contains("messages-tuple");
  }

  /**
   * The SSE events of bus event {@code event} (a {@code messages} one; others are ignored), handed to
   * {@code emit(name, data)}; {@code suffix} is appended to each name ({@code "|ns"} for a subgraph's, else "").
   */
  public void onEvent(StreamEvent event, String suffix, EventSink emit) {
    if (event.event() != io.graphloop.run.StreamEventType.MESSAGES) {
      return;
    }
    Object message = event.data().get("message");
    if (message == null) {
      return;
    }
    if (!(message instanceof Map) && !(message instanceof JsonObject)) {
      throw new ClassCastException("A messages event's message is a map, was " + message.getClass().getName());
    }
    if (tuple) {
      // [message, metadata] written into the SSE frame's bytes: the chunk encoded once, no JsonObject nor String on
      // the way; the metadata's bytes are the answer's (made once per answer)
      byte[] metadata = encodedMetadata(event.data().get("metadata"));
      emit.acceptJson(suffix.isEmpty() ? "messages" : "messages" + suffix, new Tuple(message, metadata),
          metadata.length + messageBytes);
    }
    if (!accumulated) {
      return;
    }
    JsonObject whole = message instanceof JsonObject ? (JsonObject) message : new JsonObject(asMap(message));
    JsonObject metadata = new JsonObject(event.data()).getJsonObject("metadata", new JsonObject());
    emitAccumulated(whole, metadata, suffix, emit);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object message) {
    return (Map<String, Object>) message;
  }

  /** {@code messages} mode: the answer's metadata once, then its accumulation per chunk, or a whole message. */
  private void emitAccumulated(JsonObject message, JsonObject metadata, String suffix, EventSink emit) {
    String id = message.getString("id", "");
    Accumulated sofar = messages.get(id);
    if (sofar == null) {
      sofar = new Accumulated();
      messages.put(id, sofar);
      emit.accept("messages/metadata" + suffix, new JsonObject().put(id, new JsonObject().put("metadata", metadata))
          .encode());
    }
    if (message.getString("type", "").endsWith("Chunk")) {
      sofar.add(message);
      emit.accept("messages/partial" + suffix, new JsonArray().add(sofar.message(id)).encode());
    } else {
      emit.accept("messages/complete" + suffix, new JsonArray().add(message).encode());
    }
  }

  /**
   * The JSON of a chunk's metadata, as bytes: the chunks of one streamed answer share one immutable metadata map (the
   * runtime makes it once per answer), so its JSON is made once too, not per token; any other map is encoded as it
   * comes ({@code {}} when there is none).
   */
  private byte[] encodedMetadata(Object map) {
    if (map != null && map == lastMetadata) {
      return lastMetadataJson;
    }
    Buffer json = Buffer.buffer(256);
    JsonBytes.write(json, map == null ? Map.of() : map);
    byte[] bytes = json.getBytes();
    if (map != null && io.graphloop.state.Values.isFrozen(map)) { // immutable: safe to remember by identity
      lastMetadata = map;
      lastMetadataJson = bytes;
    }
    return bytes;
  }

  /** The last frozen metadata map encoded, and its JSON ({@link #encodedMetadata}). */
  private Object lastMetadata;
  private byte[] lastMetadataJson;
  /**
   * About how long the next chunk's JSON is: the last one's plus a margin, the frame's first guess at its size (a
   * longer one grows the buffer once; a guess much too long wastes what it over-asks for every token).
   */
  private int messageBytes = 256;

  /** A {@code messages-tuple} event's data, {@code [message, metadata]}, the metadata already encoded. */
  private final class Tuple implements EventSink.Json {
    private final Object message;
    private final byte[] metadata;

    Tuple(Object message, byte[] metadata) {
      this.message = message;
      this.metadata = metadata;
    }

    @Override
    public void writeTo(Buffer out) {
      out.appendByte((byte) '[');
      int start = out.length();
      JsonBytes.write(out, message);
      messageBytes = out.length() - start + 64;
      out.appendByte((byte) ',').appendBytes(metadata).appendByte((byte) ']');
    }

    @Override
    public String text() {
      return "[" + io.vertx.core.json.Json.encode(message) + "," + new String(metadata,
          java.nio.charset.StandardCharsets.UTF_8) + "]";
    }
  }

  /** An AI message put together from its chunks, as LangChain's {@code AIMessageChunk.__add__}. */
  private static final class Accumulated {
    private final StringBuilder text = new StringBuilder();
    private JsonArray blocks; // content as a list of blocks, when the chunks carry lists
    private final JsonObject responseMetadata = new JsonObject();
    private final Map<Integer, JsonObject> calls = new LinkedHashMap<>(); // tool call chunks merged by index
    private Object usage;
    private String name;

    void add(JsonObject chunk) {
      Object content = chunk.getValue("content");
      if (content instanceof String) {
        text.append((String) content);
      } else if (content instanceof JsonArray) {
        blocks = blocks == null ? new JsonArray() : blocks;
        ((JsonArray) content).forEach(blocks::add);
      }
      JsonObject meta = chunk.getJsonObject("response_metadata");
      if (meta != null) {
        meta.forEach(entry -> responseMetadata.put(entry.getKey(), entry.getValue()));
      }
      if (chunk.getValue("usage_metadata") != null) {
        usage = chunk.getValue("usage_metadata");
      }
      if (chunk.getString("name") != null) {
        name = chunk.getString("name");
      }
      JsonArray callChunks = chunk.getJsonArray("tool_call_chunks");
      if (callChunks != null) {
        for (int i = 0; i < callChunks.size(); i++) {
          JsonObject part = callChunks.getJsonObject(i);
          int index = part.getValue("index") instanceof Number ? ((Number) part.getValue("index")).intValue() : i;
          JsonObject call = calls.computeIfAbsent(index, k -> new JsonObject().put("args", ""));
          if (part.getString("id") != null) {
            call.put("id", part.getString("id"));
          }
          if (part.getString("name") != null) {
            call.put("name", call.getString("name", "") + part.getString("name"));
          }
          if (part.getString("args") != null) {
            call.put("args", call.getString("args") + part.getString("args"));
          }
        }
      }
    }

    JsonObject message(String id) {
      JsonArray toolCalls = new JsonArray();
      JsonArray invalid = new JsonArray();
      for (JsonObject call : calls.values()) {
        String args = call.getString("args", "");
        try {
          JsonObject parsed = args.isBlank() ? new JsonObject() : new JsonObject(args);
          toolCalls.add(new JsonObject().put("name", call.getString("name")).put("args", parsed)
              .put("id", call.getString("id")).put("type", "tool_call"));
        } catch (DecodeException | ClassCastException e) { // partial JSON while the arguments still stream
          invalid.add(new JsonObject().put("name", call.getString("name")).put("args", args)
              .put("id", call.getString("id")).put("error", null).put("type", "invalid_tool_call"));
        }
      }
      return new JsonObject().put("content", blocks != null ? blocks : text.toString())
          .put("additional_kwargs", new JsonObject()).put("response_metadata", responseMetadata.copy())
          .put("type", "ai").put("name", name).put("id", id).put("tool_calls", toolCalls)
          .put("invalid_tool_calls", invalid).put("usage_metadata", usage);
    }
  }
}
