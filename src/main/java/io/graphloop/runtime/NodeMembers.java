package io.graphloop.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.RegistrationInfo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which cluster members host each node, so that a coordinator can pick the member of each request itself and send a
 * retry after a transport failure to another member than the one that failed (Vert.x picks the member of a send to
 * the node's public address anew each time, blind to what failed before).
 *
 * <p>A node's members are the members with a clustered registration of its public address, one per member
 * ({@link NodeRoute}), read with the cluster manager's {@code getRegistrations} (Hazelcast: a read of its
 * subscription map on a worker thread) and kept as an immutable {@link Members} snapshot. A snapshot is read again
 * when it is older than the refresh interval, when it is empty, and after a request to one of its members failed in
 * transport ({@link #suspect}); readers keep using the old one meanwhile, and at most one read per node is in flight.
 * So a member that joins gets requests within about the refresh interval; one that left answers a send to its
 * address with {@code NO_HANDLERS} (or a connection failure) at once, or times out when it hangs, and either way the
 * retry goes elsewhere.
 *
 * <p>With {@code memberQuarantineMs} set (off by default), a member that left no answer in time or refused the
 * connection is also <em>quarantined</em> ({@link #quarantine}):
 * every task of every node avoids it while another member is not quarantined, for the quarantine time or until a
 * request sent to it is answered (its late answers do not count: they are dropped before they get here). So a hung
 * member, which the cluster keeps listing until its heartbeats are missed, costs one deadline per task that was
 * already sent to it, not one per task for as long as it is listed; when the quarantine ends it gets one task (a
 * probe) while the others keep avoiding it, and the probe's answer lifts the quarantine (a member that was only
 * paused, e.g. by a long GC, comes back) or its failure renews it.
 *
 * <p>Shared by every coordinator of one clustered Vert.x (kept in a local shared map). Thread-safe: snapshots are
 * immutable and published through volatile fields; {@link #whenLoaded} callbacks run on a worker or event-loop
 * thread of Vert.x's choosing (callers hop to their own context).
 */
final class NodeMembers implements Shareable {

  private static final System.Logger LOG = System.getLogger("io.graphloop.runtime.NodeMembers");
  private static final String SHARED = "graphloop.node-members";
  private static final String KEY = "directory";

  private final ClusterManager manager;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
  /** Quarantined members and until when. Bounded by the cluster's members. */
  private final ConcurrentHashMap<String, Quarantine> quarantined = new ConcurrentHashMap<>();

  /** Visible for tests: a directory over {@code manager} (null in tests that read no members). */
  NodeMembers(ClusterManager manager) {
    this.manager = manager;
  }

  /** The directory of {@code vertx}, or {@code null} when it is not clustered. */
  static NodeMembers of(Vertx vertx) {
    if (!vertx.isClustered() || !(vertx instanceof VertxInternal)) {
      return null;
    }
    ClusterManager manager = ((VertxInternal) vertx).clusterManager();
    if (manager == null) {
      return null;
    }
    LocalMap<String, NodeMembers> shared = vertx.sharedData().getLocalMap(SHARED);
    NodeMembers existing = shared.get(KEY);
    if (existing == null) {
      NodeMembers created = new NodeMembers(manager);
      existing = shared.putIfAbsent(KEY, created);
      if (existing == null) {
        existing = created;
      }
    }
    return existing;
  }

  /** This member's cluster node id. */
  String self() {
    return manager.getNodeId();
  }

  /**
   * The members hosting the node at {@code address} as last read, or {@code null} before the first read has
   * completed; starts a read when the snapshot is missing, empty, suspected or older than {@code refreshMs}.
   */
  Members current(String address, long refreshMs) {
    Entry entry = entries.computeIfAbsent(address, Entry::new);
    Members members = entry.members;
    if (members == null || members.ids.length == 0 || entry.suspected
        || System.nanoTime() - entry.readAt > refreshMs * 1_000_000L) {
      read(entry);
    }
    return members;
  }

  /** Runs {@code then} once the node at {@code address} has a snapshot (at once if it has one). */
  void whenLoaded(String address, Runnable then) {
    Entry entry = entries.computeIfAbsent(address, Entry::new);
    synchronized (entry) {
      if (entry.members == null) {
        entry.waiting.add(then);
        then = null;
      }
    }
    if (then != null) {
      then.run();
    } else {
      read(entry);
    }
  }

  /** A request to a member of the node at {@code address} failed in transport: read its members again soon. */
  void suspect(String address) {
    Entry entry = entries.get(address);
    if (entry != null) {
      entry.suspected = true;
    }
  }

  /**
   * {@code member} left a request unanswered until its deadline, or refused its connection: every node's tasks avoid
   * it for {@code quarantineMs} (0: not at all) or until a request sent to it is {@link #answered}.
   */
  void quarantine(String member, long quarantineMs) {
    if (quarantineMs > 0) {
      long nanos = quarantineMs * 1_000_000L;
      quarantined.put(member, new Quarantine(System.nanoTime() + nanos, nanos));
    }
  }

  /** {@code member} answered a request in time (with a result or a node's failure): it is not quarantined. */
  void answered(String member) {
    if (!quarantined.isEmpty()) {
      quarantined.remove(member);
    }
  }

  /**
   * Whether {@code member} is quarantined for the caller now. When its time has passed, exactly one caller is told
   * it is not (that caller's request probes it) while the quarantine is renewed for the others; the probe's answer
   * lifts it ({@link #answered}), its failure renews it ({@link #quarantine}).
   */
  boolean isQuarantined(String member) {
    if (quarantined.isEmpty()) {
      return false;
    }
    Quarantine current = quarantined.get(member);
    if (current == null) {
      return false;
    }
    long now = System.nanoTime();
    if (now - current.until < 0) {
      return true;
    }
    return !quarantined.replace(member, current, new Quarantine(now + current.nanos, current.nanos));
  }

  /** A member's quarantine: until when ({@link System#nanoTime()}) and for how long each time. */
  private record Quarantine(long until, long nanos) {
  }

  private void read(Entry entry) {
    if (!entry.reading.compareAndSet(false, true)) {
      return;
    }
    entry.suspected = false;
    manager.getRegistrations(entry.address, (registrations, failure) -> {
      Members read;
      if (failure != null) {
        LOG.log(System.Logger.Level.WARNING, "Could not read the members hosting " + entry.address + " (using the last list): " + failure);
        read = entry.members == null ? Members.NONE : entry.members;
      } else {
        read = Members.of(registrations, manager.getNodes());
      }
      List<Runnable> waiting;
      synchronized (entry) {
        entry.members = read;
        entry.readAt = System.nanoTime();
        waiting = entry.waiting.isEmpty() ? List.of() : new ArrayList<>(entry.waiting);
        entry.waiting.clear();
      }
      entry.reading.set(false);
      for (Runnable then : waiting) {
        then.run();
      }
    });
  }

  /** One node address's snapshot and its reading state. */
  private static final class Entry {
    final String address;
    final AtomicBoolean reading = new AtomicBoolean();
    final List<Runnable> waiting = new ArrayList<>(); // guarded by this
    volatile Members members;
    volatile long readAt;
    volatile boolean suspected;

    Entry(String address) {
      this.address = address;
    }
  }

  /** The members hosting one node: their cluster node ids, in a fixed (sorted) order. Immutable. */
  static final class Members {
    static final Members NONE = new Members(new String[0]);

    final String[] ids;

    private Members(String[] ids) {
      this.ids = ids;
    }

    /**
     * The distinct members with a clustered registration in {@code registrations}, leaving out those no longer in
     * the cluster's member list {@code alive} (when it is known).
     */
    static Members of(List<RegistrationInfo> registrations, List<String> alive) {
      Set<String> living = alive == null || alive.isEmpty() ? null : new HashSet<>(alive);
      TreeSet<String> ids = new TreeSet<>();
      for (RegistrationInfo registration : registrations == null ? List.<RegistrationInfo>of() : registrations) {
        if (!registration.localOnly() && (living == null || living.contains(registration.nodeId()))) {
          ids.add(registration.nodeId());
        }
      }
      return new Members(ids.toArray(new String[0]));
    }

    /** Visible for tests: a snapshot of these member ids. */
    static Members ofIds(String... ids) {
      return new Members(new TreeSet<>(List.of(ids)).toArray(new String[0]));
    }

    /**
     * The index of the member to send to, taking turns from {@code turn}: the first in turn not in {@code avoided}
     * (the members that failed this task in transport); when every member failed it, the one in turn (they are all
     * tried again, one by one); -1 when no member hosts the node.
     */
    int pick(int turn, String[] avoided, int avoidedCount) {
      return pick(turn, avoided, avoidedCount, null);
    }

    /**
     * Like {@link #pick(int, String[], int)}, also avoiding the members {@code health} has quarantined: the first in
     * turn neither avoided by the task nor quarantined; else the first not quarantined (a live member that failed
     * the task before, e.g. by being slow, rather than one that fails every task); else the first not avoided by
     * the task; else the one in turn.
     */
    int pick(int turn, String[] avoided, int avoidedCount, NodeMembers health) {
      int n = ids.length;
      if (n == 0) {
        return -1;
      }
      int start = Math.floorMod(turn, n);
      int notAvoided = -1;
      int notQuarantined = -1;
      for (int k = 0; k < n; k++) {
        int candidate = (start + k) % n;
        boolean avoid = contains(avoided, avoidedCount, ids[candidate]);
        boolean sick = health != null && health.isQuarantined(ids[candidate]);
        if (!avoid && !sick) {
          return candidate;
        }
        if (!avoid && notAvoided < 0) {
          notAvoided = candidate;
        }
        if (!sick && notQuarantined < 0) {
          notQuarantined = candidate;
        }
      }
      return notQuarantined >= 0 ? notQuarantined : notAvoided >= 0 ? notAvoided : start;
    }

    private static boolean contains(String[] values, int count, String value) {
      for (int i = 0; i < count; i++) {
        if (values[i].equals(value)) {
          return true;
        }
      }
      return false;
    }
  }
}
