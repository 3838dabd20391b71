package io.graphloop.server;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.http.HttpConnection;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Batches the socket writes of an HTTP/2 connection's streams: Vert.x flushes the connection after every write made
 * outside a read of that connection (each SSE write of a run's events, from a task of the loop), so 1,000 streams of
 * one connection whose events come in the same turn of the loop cost 1,000 socket writes. Netty's
 * {@link FlushConsolidationHandler} at the socket end of the pipeline turns those flushes into one, made when the
 * loop has run the tasks queued before it (or at once after {@value #FLUSHES} flushes). A write is sent no later than
 * the end of the loop's current batch of tasks, as {@link RunRecord} already batches one run's events.
 *
 * <p>Only for HTTP/2 (an HTTP/1.1 connection carries one stream at a time, whose events {@link RunRecord} already
 * writes together). On by default, {@link ServerOptions#setHttp2BatchFlushes}. Why Netty's handler rather than our
 * own: it is Netty's tested answer to exactly this (flushes outside a read consolidated into one scheduled flush,
 * flushes during a read left to the read's end), kept with the Netty Vert.x ships. The cost: a write made outside a
 * read of its connection goes out after the tasks already queued on the loop, not at once (a token streamed over
 * HTTP/2 on a busy loop waits for them; over HTTP/1.1 nothing changes).
 *
 * <p>Thread rules: {@link #install} is called on the connection's event loop (the server's connection handler).
 */
final class FlushBatching {

  /** Flushes after which one is made at once, the scheduled one not awaited (Netty's default). */
  static final int FLUSHES = FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES;
  static final String NAME = "graphloop-flush-batching";

  private FlushBatching() {
  }

  /**
   * Vert.x's connection class's {@code channel()}, or {@code null} where it cannot be reached: its package is not
   * exported to this module, so on the module path (unless run with {@code --add-exports
   * io.vertx.core/io.vertx.core.net.impl=io.graphloop}) connections are not batched; on the class path (the
   * {@code graphloop.jar} of {@code serve}, an application's class path) they are.
   */
  private static final Class<?> CONNECTION = connectionClass();
  private static final MethodHandle CHANNEL = channelAccessor(CONNECTION);

  private static Class<?> connectionClass() {
    try {
      return Class.forName("io.vertx.core.net.impl.ConnectionBase", false, HttpConnection.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }

  private static MethodHandle channelAccessor(Class<?> connection) {
    if (connection == null) {
      return null;
    }
    try {
      return MethodHandles.publicLookup().findVirtual(connection, "channel", MethodType.methodType(Channel.class));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Whether this JVM can batch connections' flushes (see {@link #CHANNEL}). */
  static boolean available() {
    return CHANNEL != null;
  }

  /**
   * Puts the handler at the socket end of {@code connection}'s pipeline when it is an HTTP/2 connection; returns
   * whether the connection is batched.
   */
  static boolean install(HttpConnection connection) {
    Channel channel = channel(connection);
    if (channel == null || channel.pipeline().get(Http2ConnectionHandler.class) == null) {
      return false;
    }
    if (channel.pipeline().get(NAME) == null) {
      channel.pipeline().addFirst(NAME, new FlushConsolidationHandler(FLUSHES, true));
    }
    return true;
  }

  /** The Netty channel of {@code connection}, or {@code null} when it cannot be reached. */
  static Channel channel(HttpConnection connection) {
    if (CHANNEL == null || !CONNECTION.isInstance(connection)) {
      return null;
    }
    try {
      return (Channel) CHANNEL.invoke(connection);
    } catch (Throwable e) {
      return null;
    }
  }
}
