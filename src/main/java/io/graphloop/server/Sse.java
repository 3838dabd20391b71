package io.graphloop.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * Server-sent events as LangGraph's SDKs parse them: {@code text/event-stream}, each event one {@code event:} line,
 * one {@code data:} line of JSON (the Python SDK concatenates data lines without a newline, so a payload never spans
 * lines: JSON text has no raw newline), an {@code id:} line for resumption ({@code Last-Event-ID}) and a blank line.
 * Heartbeats are comment lines ({@code : heartbeat}), which both SDKs skip.
 *
 * <p>Stateless; call from the response's context.
 */
final class Sse {

  private static final Buffer HEARTBEAT = Buffer.buffer(": heartbeat\n\n");

  private Sse() {
  }

  /**
   * One event, encoded once: {@code id} is its position in the run's stream, its data JSON text on one line. The
   * frame's bytes ({@link #encode()}) are made when the event is, and the same buffer is written to every response
   * that gets the event (a live one, a late join, a resumption): Vert.x writes a slice of a buffer, never consumes
   * it. Immutable; any thread.
   */
  static final class Frame {
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "\nid: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private final long id;
    private final String event;
    private final Buffer bytes;
    private final int dataStart;
    private final int dataEnd;

    /** The frame of event {@code event} whose data is the JSON text {@code data}. */
    Frame(long id, String event, String data) {
      this.id = id;
      this.event = event;
      this.bytes = header(event, data.length());
      this.dataStart = bytes.length();
      bytes.appendString(data);
      this.dataEnd = bytes.length();
      trailer(bytes, id);
    }

    /** The frame of event {@code event} whose data {@code data} writes into the frame's bytes; about {@code hint} long. */
    static Frame of(long id, String event, EventSink.Json data, int hint) {
      return new Frame(id, event, data, hint);
    }

    private Frame(long id, String event, EventSink.Json data, int hint) {
      this.id = id;
      this.event = event;
      Buffer out = header(event, hint);
      this.dataStart = out.length();
      data.writeTo(out);
      this.dataEnd = out.length();
      trailer(out, id);
      this.bytes = out;
    }

    private static Buffer header(String event, int hint) {
      return Buffer.buffer(event.length() + Math.max(0, hint) + 40).appendBytes(EVENT).appendString(event)
          .appendBytes(DATA);
    }

    private static void trailer(Buffer out, long id) {
      out.appendBytes(ID).appendString(Long.toString(id)).appendBytes(END);
    }

    long id() {
      return id;
    }

    String event() {
      return event;
    }

    /** The data's JSON text (decoded from the frame's bytes: for the rare readers that need text, e.g. a peer). */
    String data() {
      return bytes.getString(dataStart, dataEnd, "UTF-8");
    }

    /** The bytes this event counts for in a run's buffer: its name and data. */
    long size() {
      return event.length() + (long) (dataEnd - dataStart);
    }

    /** The event as the response writes it (the same buffer every time). */
    Buffer encode() {
      return bytes;
    }
  }

  /** The SSE response's header names and fixed values, lower case as HTTP/2 sends them (see {@link #open}). */
  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("content-type");
  private static final CharSequence EVENT_STREAM = HttpHeaders.createOptimized("text/event-stream; charset=utf-8");
  private static final CharSequence CACHE_CONTROL = HttpHeaders.createOptimized("cache-control");
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
  private static final CharSequence ACCEL_BUFFERING = HttpHeaders.createOptimized("x-accel-buffering");
  private static final CharSequence NO = HttpHeaders.createOptimized("no");
  private static final CharSequence CONTENT_LOCATION = HttpHeaders.createOptimized("content-location");
  private static final CharSequence LOCATION = HttpHeaders.createOptimized("location");

  /**
   * Starts the event stream on {@code response}: status 200, the SSE headers, no buffering by proxies, and where the
   * run can be re-joined ({@code Location}: the SDKs reconnect there with {@code Last-Event-ID}).
   *
   * <p>The headers are given as Netty's {@code AsciiString}s ({@link HttpHeaders#createOptimized}), names in lower
   * case: Vert.x then neither copies a name to lower case nor scans a value char by char, and HTTP/2's header
   * compression (HPACK) compares them with the entries of its table as bytes. That table holds the connection's last
   * few dozen {@code content-location} values (each stream's run path is new) and every new one is compared with each
   * of them: as {@code String}s, char by char through {@code CharSequence.charAt} over the run ids' shared time
   * prefix (UUIDv7), 5-6% of a loop's CPU under 10,000 h2c streams (JFR, 2026-12-08).
   *
   * @param runPath the run's path, {@code /threads/{tid}/runs/{rid}} (or {@code /runs/{rid}} for a stateless run)
   * @param joinable whether {@code runPath + "/stream"} can be joined (a run on a thread)
   * @param writeQueueBytes the response's write queue bound ({@link ServerOptions#getStreamWriteQueueBytes})
   */
  static void open(HttpServerResponse response, String runPath, boolean joinable, int writeQueueBytes) {
    response.setWriteQueueMaxSize(writeQueueBytes);
    response.setStatusCode(200).setChunked(true)
        .putHeader(CONTENT_TYPE, EVENT_STREAM)
        .putHeader(CACHE_CONTROL, NO_STORE)
        .putHeader(ACCEL_BUFFERING, NO)
        .putHeader(CONTENT_LOCATION, headerValue(runPath));
    if (joinable) {
      response.putHeader(LOCATION, headerValue(runPath + "/stream"));
    }
  }

  /**
   * {@code value} as an {@code AsciiString} when it is ASCII (a run path made of ids: always, unless a thread id a
   * client chose is not), else as it is: an {@code AsciiString} keeps one byte per char and would change any other.
   */
  static CharSequence headerValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) >= 0x80) {
        return value;
      }
    }
    return HttpHeaders.createOptimized(value);
  }

  static void heartbeat(HttpServerResponse response) {
    if (!response.closed() && !response.ended()) {
      response.write(HEARTBEAT.copy());
    }
  }
}
