package io.graphloop.runtime;

import com.hazelcast.config.Config;
import io.graphloop.cluster.ClusterOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.shareddata.Lock;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ThreadLock} on a clustered Vert.x: two Hazelcast members in this JVM (their own cluster name, on free ports
 * of 127.0.0.1). A held thread lock is refused to every other acquisition, in its own JVM too, whichever worker thread
 * tries (Hazelcast's map locks alone are re-entrant per thread); a waiting member gets it on release; the locks of a
 * member whose Hazelcast stops abruptly (as when its JVM is killed) are freed once the cluster drops it (a JVM
 * killed for real: {@code CoordinatorFailoverIT}). Waits on the JUnit thread only, always bounded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ThreadLockTest {

  /**
   * The wait of an acquisition expected to succeed. From this (non-Vert.x) thread a 1 ms wait may time out before a
   * free local lock is granted (Vert.x's timer runs on an event loop meanwhile); coordinators acquire on their event
   * loop, where it cannot. 1 ms is used where a refusal is expected.
   */
  private static final long FREE_MS = 5_000;
  /** Held: JDK loggers are weakly referenced, and a collected one would forget its level. */
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  private static Vertx first;
  private static Vertx second;

  @BeforeAll
  static void startTwoMembers() throws Exception {
    HAZELCAST_LOG.setLevel(Level.SEVERE);
    int firstPort = freePort();
    int secondPort = freePort();
    List<String> members = List.of("127.0.0.1:" + firstPort, "127.0.0.1:" + secondPort);
    first = await(member(firstPort, members), 60_000);
    second = await(member(secondPort, members), 60_000);
  }

  @AfterAll
  static void stop() throws Exception {
    for (Vertx vertx : new Vertx[] {second, first}) {
      if (vertx != null) {
        try {
          vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
          // the member whose Hazelcast was terminated cannot leave the cluster cleanly
        }
      }
    }
  }

  @Test
  @Order(1)
  void aHeldLockIsRefusedInItsOwnJvmWhicheverWorkerThreadTries() throws Exception {
    Lock held = await(ThreadLock.acquire(first, "t1", FREE_MS), 10_000);
    int taken = 0;
    for (int i = 0; i < 200; i++) { // Vert.x's 20 worker threads each try several times
      try {
        await(ThreadLock.acquire(first, "t1", 1), 10_000).release();
        taken++;
      } catch (ExecutionException busy) {
        // refused, as it must be
      }
    }
    assertEquals(0, taken, "a held thread lock must never be taken again, even by the thread that took it");
    assertFalse(succeeds(ThreadLock.acquire(second, "t1", 1)), "nor by another member");
    held.release();
    held.release(); // idempotent
    await(ThreadLock.acquire(first, "t1", 5_000), 10_000).release();
  }

  @Test
  @Order(2)
  void aWaitingMemberTakesTheLockWhenItIsReleased() throws Exception {
    Lock held = await(ThreadLock.acquire(first, "t2", FREE_MS), 10_000);
    Future<Lock> waiting = ThreadLock.acquire(second, "t2", 20_000);
    Thread.sleep(300);
    assertFalse(waiting.isComplete(), "the other member waits while the lock is held");
    held.release();
    await(waiting, 20_000).release();
  }

  /**
   * Issue 11: an enqueued run waiting for a thread another member holds used to hold a worker thread (Hazelcast's
   * timed {@code tryLock}) for its whole wait; 20 such waits took Vert.x's 20 workers, and blocking work waited for
   * them. Now 25 waits are pending while blocking work still runs, and each wait gets its lock once it is released.
   */
  @Test
  @Order(2)
  void waitingForLocksHeldElsewhereHoldsNoWorkerThread() throws Exception {
    int waits = 25;
    List<Lock> held = new java.util.ArrayList<>();
    for (int i = 0; i < waits; i++) {
      held.add(await(ThreadLock.acquire(first, "w" + i, FREE_MS), 10_000));
    }
    List<Future<Lock>> waiting = new java.util.ArrayList<>();
    for (int i = 0; i < waits; i++) {
      waiting.add(ThreadLock.acquire(second, "w" + i, 30_000));
    }
    Thread.sleep(300); // every wait has made its first try by now
    String ran = await(second.executeBlocking(() -> "ran", false), 10_000);
    assertEquals("ran", ran, "blocking work runs while the waits are pending");
    assertEquals(0, waiting.stream().filter(Future::isComplete).count(), "no wait ended: the locks are held");
    held.forEach(Lock::release);
    for (Future<Lock> wait : waiting) {
      await(wait, 20_000).release();
    }
  }

  @Test
  @Order(3)
  void locksOfAMemberThatDiesAreFreedWhenTheClusterDropsIt() throws Exception {
    await(ThreadLock.acquire(first, "t3", FREE_MS), 10_000); // never released by the member itself
    assertFalse(succeeds(ThreadLock.acquire(second, "t3", 1)));
    // as if its JVM were killed: Hazelcast stops at once, without leaving the cluster
    ((HazelcastClusterManager) ((VertxInternal) first).clusterManager()).getHazelcastInstance().getLifecycleService()
        .terminate();
    long started = System.nanoTime();
    await(ThreadLock.acquire(second, "t3", 20_000), 30_000).release();
    System.out.printf("ThreadLockTest: the lock of a terminated member was free again after %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  @Test
  @Order(4)
  void withoutAClusterItIsVertxsLocalLock() throws Exception {
    Vertx local = Vertx.vertx();
    try {
      Lock held = await(ThreadLock.acquire(local, "t4", FREE_MS), 10_000);
      assertFalse(held instanceof ThreadLock);
      assertThrows(ExecutionException.class, () -> await(ThreadLock.acquire(local, "t4", 1), 10_000));
      held.release();
      await(ThreadLock.acquire(local, "t4", FREE_MS), 10_000).release();
    } finally {
      local.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  private static boolean succeeds(Future<Lock> attempt) throws Exception {
    try {
      await(attempt, 10_000).release();
      return true;
    } catch (ExecutionException busy) {
      assertTrue(String.valueOf(busy.getCause().getMessage()).contains("Timed out waiting to get lock"),
          String.valueOf(busy.getCause()));
      return false;
    }
  }

  private static Future<Vertx> member(int port, List<String> members) {
    ClusterOptions options = new ClusterOptions().setClusterConfig(Path.of(System.getProperty("basedir", "."))
        .resolve("conf/cluster.xml").toString()).setPort(port).setMembers(members);
    // a cluster of its own: named after the first member's port
    Config config = options.hazelcastConfig().setClusterName("graphloop-thread-lock-test-"
        + members.get(0).substring(members.get(0).indexOf(':') + 1));
    return Vertx.builder().with(options.vertxOptions()).withClusterManager(new HazelcastClusterManager(config))
        .buildClustered();
  }

  private static <T> T await(Future<T> future, long timeoutMs) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
