package io.graphloop.agents;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

import java.nio.charset.StandardCharsets;

/**
 * Collects a whole (non-streamed) response body as text, up to a bound: a longer body fails the write, and so the
 * response. It also feeds the bytes to the {@link SseParser} that keeps the error excerpt. Not thread-safe: written on
 * one event loop.
 */
final class BoundedBody implements WriteStream<Buffer> {

  private final StringBuilder text;
  private final int maxChars;
  private final SseParser excerpt;
  private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

  BoundedBody(StringBuilder text, int maxChars, SseParser excerpt) {
    this.text = text;
    this.maxChars = maxChars;
    this.excerpt = excerpt;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (bytes.size() + data.length() > (long) maxChars * 4) {
      return Future.failedFuture(new IllegalStateException("The response body is longer than " + maxChars
          + " characters (OpenAiOptions.maxResponseChars)."));
    }
    bytes.writeBytes(data.getBytes());
    return excerpt.write(data).recover(ignored -> Future.succeededFuture());
  }

  @Override
  public Future<Void> end() {
    text.append(bytes.toString(StandardCharsets.UTF_8));
    if (text.length() > maxChars) {
      return Future.failedFuture(new IllegalStateException("The response body is longer than " + maxChars
          + " characters (OpenAiOptions.maxResponseChars)."));
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

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
