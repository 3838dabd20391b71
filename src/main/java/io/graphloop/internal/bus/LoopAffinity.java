package io.graphloop.internal.bus;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;

/**
 * Keeps messages between Graphloop verticles on one event loop when it can. Vert.x spreads sends
 * round-robin over every handler of an address, so most of them would cross to another event loop
 * (a thread wake-up, tens of microseconds). So each verticle also listens on a local-only address
 * tagged with its event loop ({@code <address>@<loop>}) and records it in this per-Vert.x directory;
 * a sender on the same loop uses that address when it exists, and the public address otherwise.
 *
 * <p>Internal to Graphloop (public only so its packages can share it).
 *
 * <p>Thread-safe: the directory is a Vert.x local shared map; the loop tag is the event-loop thread's
 * name, fixed for the life of a context.
 */
public final class LoopAffinity {

  private static final String DIRECTORY = "graphloop.affinity";

  private final LocalMap<String, Integer> directory;

  public LoopAffinity(Vertx vertx) {
    this.directory = vertx.sharedData().getLocalMap(DIRECTORY);
  }

  /** The local-only address of {@code address} for the calling event-loop thread. */
  public static String onThisLoop(String address) {
    return address + "@" + Thread.currentThread().getName();
  }

  /** Records one more local listener on {@code loopAddress}. */
  public void register(String loopAddress) {
    directory.compute(loopAddress, (k, count) -> count == null ? 1 : count + 1);
  }

  /** Records one listener fewer on {@code loopAddress}. */
  public void unregister(String loopAddress) {
    directory.compute(loopAddress, (k, count) -> count == null || count <= 1 ? null : count - 1);
  }

  /** {@code loopAddress} when a listener is recorded there, else {@code fallback}. */
  public String choose(String loopAddress, String fallback) {
    return directory.containsKey(loopAddress) ? loopAddress : fallback;
  }

  /** The number of event loops of {@code vertx}: the instance count for "one per event loop". */
  public static int eventLoops(Vertx vertx) {
    if (vertx instanceof VertxInternal) {
      int count = 0;
      for (var ignored : ((VertxInternal) vertx).nettyEventLoopGroup()) {
        count++;
      }
      if (count > 0) {
        return count;
      }
    }
    return io.vertx.core.VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
  }
}
