package io.graphloop.internal.bus;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps messages between Graphloop verticles on one event loop when it can. Vert.x spreads sends
 * round-robin over every handler of an address, so most of them would cross to another event loop
 * (a thread wake-up, tens of microseconds). So each verticle also listens on a local-only address
 * tagged with its event loop ({@code <address>@<loop>}) and records it in this per-Vert.x directory;
 * a sender on the same loop uses that address when it exists, and the public address otherwise.
 *
 * <p>The directory has a {@link #version()} that changes whenever a listener is recorded or removed, so a sender that
 * sends to the same addresses over and over (a coordinator, once per step) resolves each address once and asks again
 * only after a change ({@link Routes}), instead of a lookup in a map of every node's addresses per message.
 *
 * <p>A listener may also record itself as a {@link LocalTarget}: a sender on the same loop then hands it messages
 * directly ({@link Routes#target}), which spares the event bus's lookup of the address and its envelope per message;
 * the target handles each message on its own context (dispatched at once on the shared loop, with its context
 * current), and must answer the sender only through the bus, never by calling back into it. Senders on other loops
 * or JVMs use the addresses.
 *
 * <p>Loop addresses are interned ({@link #onThisLoop}): the listener and its senders hold the same string, so the
 * event bus finds the address in its handler map by identity, without comparing the text.
 *
 * <p>Internal to Graphloop (public only so its packages can share it).
 *
 * <p>Thread-safe: the directory is shared by every verticle of one Vert.x (kept in a local shared map); the loop tag
 * is the event-loop thread's name, fixed for the life of a context. {@link Routes} is confined to one thread.
 */
public final class LoopAffinity {

  private static final String DIRECTORY = "graphloop.affinity";
  private static final String KEY = "directory";

  private final Directory directory;

  /**
   * The instance shared by every verticle of {@code vertx} (made on first use). Verticles keep this one rather than
   * one of their own: a node instance reads it for every result it hands back, and on a graph of thousands of nodes
   * an object per verticle would be one more cache miss per step.
   */
  public static LoopAffinity of(Vertx vertx) {
    Directory directory = directoryOf(vertx);
    LoopAffinity shared = directory.shared;
    if (shared == null) {
      synchronized (directory) {
        shared = directory.shared;
        if (shared == null) {
          shared = new LoopAffinity(directory);
          directory.shared = shared;
        }
      }
    }
    return shared;
  }

  private LoopAffinity(Directory directory) {
    this.directory = directory;
  }

  /** A view of {@code vertx}'s directory; {@link #of} gives the shared one. */
  public LoopAffinity(Vertx vertx) {
    this(directoryOf(vertx));
  }

  private static Directory directoryOf(Vertx vertx) {
    LocalMap<String, Directory> shared = vertx.sharedData().getLocalMap(DIRECTORY);
    Directory existing = shared.get(KEY);
    if (existing == null) {
      Directory created = new Directory();
      existing = shared.putIfAbsent(KEY, created);
      if (existing == null) {
        existing = created;
      }
    }
    return existing;
  }

  /** The local-only address of {@code address} for the calling event-loop thread (an interned string). */
  public static String onThisLoop(String address) {
    return (address + "@" + Thread.currentThread().getName()).intern();
  }

  /** Records one more local listener on {@code loopAddress}. */
  public void register(String loopAddress) {
    directory.counts.merge(loopAddress, 1, Integer::sum);
    directory.changed(); // after the change: a sender that sees the new version sees the listener
  }

  /** Records one listener fewer on {@code loopAddress}. */
  public void unregister(String loopAddress) {
    directory.counts.computeIfPresent(loopAddress, (k, count) -> count <= 1 ? null : count - 1);
    directory.changed();
  }

  /**
   * Records one more local listener on {@code loopAddress} that senders on its loop may also hand messages to
   * directly; {@link #unregister(String, LocalTarget)} removes both.
   */
  public void register(String loopAddress, LocalTarget target) {
    directory.targets.compute(loopAddress, (k, present) -> {
      if (present == null) {
        return new LocalTarget[] {target};
      }
      LocalTarget[] more = java.util.Arrays.copyOf(present, present.length + 1);
      more[present.length] = target;
      return more;
    });
    register(loopAddress);
  }

  /** Removes a listener recorded by {@link #register(String, LocalTarget)}. */
  public void unregister(String loopAddress, LocalTarget target) {
    directory.targets.computeIfPresent(loopAddress, (k, present) -> {
      LocalTarget[] fewer = java.util.Arrays.stream(present).filter(t -> t != target).toArray(LocalTarget[]::new);
      return fewer.length == 0 ? null : fewer;
    });
    unregister(loopAddress);
  }

  /**
   * Records {@code inbox} as the listener of {@code address} in this Vert.x that takes messages from any thread,
   * without the event bus: a sender in this JVM hands it a message by reference ({@link #inbox}), and the inbox
   * queues it on its own context. For addresses with one listener (a coordinator's results address).
   */
  public void registerInbox(String address, LocalTarget inbox) {
    directory.inboxes.put(address, inbox);
  }

  /** Removes {@code inbox} (if it is still the one recorded for {@code address}). */
  public void unregisterInbox(String address, LocalTarget inbox) {
    directory.inboxes.remove(address, inbox);
  }

  /** The inbox recorded for {@code address} in this Vert.x ({@link #registerInbox}), or {@code null}. */
  public LocalTarget inbox(String address) {
    return directory.inboxes.get(address);
  }

  /** {@code loopAddress} when a listener is recorded there, else {@code fallback}. */
  public String choose(String loopAddress, String fallback) {
    return directory.counts.containsKey(loopAddress) ? loopAddress : fallback;
  }

  /** Changes whenever a listener is recorded or removed anywhere in this Vert.x (never 0). */
  public int version() {
    return directory.version.get();
  }

  /** A cache of {@link #choose}'s answers for {@code addresses}, for one thread that asks about them again and again. */
  public Routes routes(String[] addresses) {
    return new Routes(this, addresses);
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

  /**
   * Whether each of a fixed list of loop addresses has a listener, resolved once per address and again only after the
   * directory changed (a deployment or undeployment anywhere in this Vert.x): two array reads and a volatile read per
   * question, whatever the number of addresses.
   *
   * <p>Confined to one thread (a coordinator's event loop).
   */
  public static final class Routes {
    private final LoopAffinity affinity;
    private final String[] addresses;
    private final int[] resolvedAt; // the directory version each answer was read at; 0: never
    private final boolean[] listened;
    /** The only target of address i when it has one (the usual case: one instance per node per loop), else null. */
    private final LocalTarget[] single;
    /** The targets of address i when it has several, else null. */
    private final LocalTarget[][] targets;
    private final int[] turns; // round robin over several targets of one address (instances sharing a loop)

    private Routes(LoopAffinity affinity, String[] addresses) {
      this.affinity = affinity;
      this.addresses = addresses.clone();
      this.resolvedAt = new int[addresses.length];
      this.listened = new boolean[addresses.length];
      this.single = new LocalTarget[addresses.length];
      this.targets = new LocalTarget[addresses.length][];
      this.turns = new int[addresses.length];
    }

    /** Whether a listener is recorded on address {@code i} (as {@link LoopAffinity#choose} answers). */
    public boolean listened(int i) {
      resolve(i);
      return listened[i];
    }

    /**
     * A listener of address {@code i} to hand a message to directly, taking turns when there are several, or
     * {@code null} when none recorded itself as a {@link LocalTarget} (send to the address then).
     */
    public LocalTarget target(int i) {
      resolve(i);
      LocalTarget one = single[i]; // one array read, no array of one per node to reach
      if (one != null) {
        return one;
      }
      LocalTarget[] found = targets[i];
      if (found == null) {
        return null;
      }
      int turn = turns[i];
      turns[i] = turn + 1 >= found.length ? 0 : turn + 1;
      return found[Math.min(turn, found.length - 1)];
    }

    private void resolve(int i) {
      int version = affinity.version(); // read before the lookups: a change after them bumps the version again
      if (resolvedAt[i] != version) {
        listened[i] = affinity.directory.counts.containsKey(addresses[i]);
        LocalTarget[] found = affinity.directory.targets.get(addresses[i]);
        single[i] = found != null && found.length == 1 ? found[0] : null;
        targets[i] = found != null && found.length > 1 ? found : null;
        resolvedAt[i] = version;
      }
    }
  }

  /**
   * A listener that a sender on its own event loop may hand messages to without the event bus. It handles a message
   * on its own context (it may do so at once, inside {@link #deliver}, with that context current) and answers only
   * through the event bus (a queued delivery), so the sender is never re-entered from {@link #deliver}.
   *
   * <p>Called on the listener's event loop only.
   */
  @FunctionalInterface
  public interface LocalTarget {
    /** Takes {@code body} (passed by reference, as a local event-bus send would). */
    void deliver(Object body);
  }

  /** The per-Vert.x directory: listeners per loop address, and a version bumped on every change. */
  private static final class Directory implements Shareable {
    private final ConcurrentHashMap<String, Integer> counts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LocalTarget[]> targets = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LocalTarget> inboxes = new ConcurrentHashMap<>();
    private final AtomicInteger version = new AtomicInteger(1);
    /** The instance {@link LoopAffinity#of} hands out; made once, under this directory's lock. */
    private volatile LoopAffinity shared;

    void changed() {
      if (version.incrementAndGet() == 0) { // 0 means "never resolved" in Routes
        version.incrementAndGet();
      }
    }
  }
}
