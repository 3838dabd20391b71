package io.graphloop.server;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

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

  /** One event: {@code id} is its position in the run's stream, {@code data} is JSON text on one line. */
  record Frame(long id, String event, String data) {

    /** The bytes this event counts for in a run's buffer: its name and data. */
    long size() {
      return event.length() + data.length();
    }

    Buffer encode() {
      return Buffer.buffer(event.length() + data.length() + 32).appendString("event: ").appendString(event)
          .appendString("\ndata: ").appendString(data).appendString("\nid: ").appendString(Long.toString(id))
          .appendString("\n\n");
    }
  }

  /**
   * Starts the event stream on {@code response}: status 200, the SSE headers, no buffering by proxies, and where the
   * run can be re-joined ({@code Location}: the SDKs reconnect there with {@code Last-Event-ID}).
   *
   * @param runPath the run's path, {@code /threads/{tid}/runs/{rid}} (or {@code /runs/{rid}} for a stateless run)
   * @param joinable whether {@code runPath + "/stream"} can be joined (a run on a thread)
   * @param writeQueueBytes the response's write queue bound ({@link ServerOptions#getStreamWriteQueueBytes})
   */
  static void open(HttpServerResponse response, String runPath, boolean joinable, int writeQueueBytes) {
    response.setWriteQueueMaxSize(writeQueueBytes);
    response.setStatusCode(200).setChunked(true)
        .putHeader("Content-Type", "text/event-stream; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("X-Accel-Buffering", "no")
        .putHeader("Content-Location", runPath);
    if (joinable) {
      response.putHeader("Location", runPath + "/stream");
    }
  }

  static void heartbeat(HttpServerResponse response) {
    if (!response.closed() && !response.ended()) {
      response.write(HEARTBEAT.copy());
    }
  }
}
