package io.graphloop.agents;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.nio.charset.StandardCharsets;

/**
 * Parses a Server-Sent Events body incrementally, as the bytes arrive: lines end with LF, CRLF or CR; {@code data:}
 * lines of one event are joined with LF; a blank line ends the event; comments ({@code : heartbeat}), other fields
 * and events without data are ignored. Each event's data goes to the handler. It also keeps the body's first bytes
 * (up to the excerpt size), so an error response can be quoted.
 *
 * <p>Bounded: a line or event longer than {@code maxEventChars} fails the write (and so the response). Not
 * thread-safe: the web client writes to it on one event loop.
 */
final class SseParser implements WriteStream<Buffer> {

  private final Handler<String> onData;
  private final int maxEventChars;
  private final int excerptChars;
  private final StringBuilder line = new StringBuilder();
  private final StringBuilder data = new StringBuilder();
  private final StringBuilder excerpt = new StringBuilder();
  private byte[] pending = new byte[0];
  private boolean hasData;
  private boolean lastWasCr;
  private long bytes;
  private boolean paused;
  private Handler<Void> drainHandler;

  SseParser(Handler<String> onData, int maxEventChars, int excerptChars) {
    this.onData = onData;
    this.maxEventChars = maxEventChars;
    this.excerptChars = excerptChars;
  }

  String excerpt() {
    return excerpt.toString();
  }

  long bytes() {
    return bytes;
  }

  @Override
  public Future<Void> write(Buffer buffer) {
    bytes += buffer.length();
    String text = decode(buffer);
    if (excerpt.length() < excerptChars) {
      excerpt.append(text, 0, Math.min(text.length(), excerptChars - excerpt.length()));
    }
    try {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\n' && lastWasCr) {
          lastWasCr = false;
          continue;
        }
        lastWasCr = c == '\r';
        if (c == '\n' || c == '\r') {
          line();
        } else {
          line.append(c);
          if (line.length() > maxEventChars) {
            throw new IllegalStateException("A stream line is longer than " + maxEventChars
                + " characters (OpenAiOptions.maxEventChars).");
          }
        }
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.succeededFuture();
  }

  /** The text of the complete UTF-8 characters so far; a character split between buffers waits for its rest. */
  private String decode(Buffer buffer) {
    if (pending.length == 0 && endsWithWholeCharacter(buffer)) { // the usual case: decoded without a copy first
      return buffer.toString(StandardCharsets.UTF_8);
    }
    byte[] in = buffer.getBytes();
    byte[] all;
    if (pending.length > 0) {
      all = new byte[pending.length + in.length];
      System.arraycopy(pending, 0, all, 0, pending.length);
      System.arraycopy(in, 0, all, pending.length, in.length);
    } else {
      all = in;
    }
    int end = all.length;
    int back = 0;
    while (back < 3 && end - back - 1 >= 0 && (all[end - back - 1] & 0xC0) == 0x80) {
      back++;
    }
    int lead = end - back - 1;
    if (lead >= 0) {
      int b = all[lead] & 0xFF;
      int need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
      if (need > back + 1) {
        end = lead;
      }
    }
    pending = java.util.Arrays.copyOfRange(all, end, all.length);
    return new String(all, 0, end, StandardCharsets.UTF_8);
  }

  /** Whether {@code buffer} does not end inside a UTF-8 character (its last character is whole). */
  private static boolean endsWithWholeCharacter(Buffer buffer) {
    int end = buffer.length();
    int back = 0;
    while (back < 3 && end - back - 1 >= 0 && (buffer.getByte(end - back - 1) & 0xC0) == 0x80) {
      back++;
    }
    int lead = end - back - 1;
    if (lead < 0) {
      return back == 0; // empty, or only continuation bytes (decoded as the slow path does)
    }
    int b = buffer.getByte(lead) & 0xFF;
    int need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    return need <= back + 1;
  }

  private void line() {
    if (line.isEmpty()) {
      if (hasData) {
        String event = data.toString();
        data.setLength(0);
        hasData = false;
        onData.handle(event);
      }
      return;
    }
    if (isData(line)) { // the value is copied from the line once, into the event's data (no string per line)
      int start = line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5;
      if (hasData) {
        data.append('\n');
      }
      data.append(line, start, line.length());
      line.setLength(0);
      hasData = true;
      if (data.length() > maxEventChars) {
        throw new IllegalStateException("A stream event is longer than " + maxEventChars
            + " characters (OpenAiOptions.maxEventChars).");
      }
    } else {
      line.setLength(0);
    }
  }

  private static boolean isData(StringBuilder line) {
    return line.length() >= 5 && line.charAt(0) == 'd' && line.charAt(1) == 'a' && line.charAt(2) == 't'
        && line.charAt(3) == 'a' && line.charAt(4) == ':';
  }

  @Override
  public Future<Void> end() {
    try {
      if (!line.isEmpty()) {
        line();
      }
      line();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  /**
   * Asks the writer (the web client's pipe) to stop writing: the response is not read further, and TCP pushes back
   * on the server, until {@link #resume()}. Events already in the buffer being parsed are still delivered.
   */
  void pause() {
    paused = true;
  }

  /** Lets the writer write again. */
  void resume() {
    if (paused) {
      paused = false;
      Handler<Void> handler = drainHandler;
      if (handler != null) {
        handler.handle(null);
      }
    }
  }

  @Override
  public boolean writeQueueFull() {
    return paused;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    drainHandler = handler;
    return this;
  }
}
