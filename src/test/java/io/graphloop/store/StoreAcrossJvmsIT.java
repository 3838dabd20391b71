package io.graphloop.store;

import io.graphloop.cluster.ClusterOptions;
import io.graphloop.cluster.ClusteredVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.DeliveryOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The whole long-term store contract across two JVMs (issue 18): every {@link StoreContract} test talks through an
 * {@link EventBusStore} in this JVM, over the clustered event bus (Hazelcast, 127.0.0.1, {@code conf/cluster.xml}),
 * to a {@link StoreVerticle} in a second JVM ({@link StoreHost}, started with this test's classpath) that holds the
 * store. Values, errors (as {@link IllegalArgumentException}s with the backend's message) and LangGraph's answers
 * cross the JVM boundary as JSON.
 *
 * <p>The contract moves its clock by hand; the store's clock is in the other JVM, so each {@code advance} is sent
 * there (request-reply), and the store here waits for the advances sent before an operation before sending it. Only
 * that ordering is this test's; every store operation is the real EventBusStore-StoreVerticle exchange.
 */
class StoreAcrossJvmsIT extends StoreContract {

  private static Process host;
  private static Vertx vertx;
  private static final String CLOCK = UUID.randomUUID().toString();

  @BeforeAll
  static void startTheOtherJvm() throws Exception {
    int hostPort = freePort();
    int ourPort = freePort();
    String members = "127.0.0.1:" + hostPort + ",127.0.0.1:" + ourPort;
    String clusterXml = Path.of(System.getProperty("basedir", ".")).resolve("conf/cluster.xml").toString();
    Path log = Path.of(System.getProperty("basedir", ".")).resolve("target/cluster-it/store-host.log");
    Files.createDirectories(log.getParent());
    host = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
        System.getProperty("java.class.path"), StoreHost.class.getName(), clusterXml, String.valueOf(hostPort),
        members).redirectError(log.toFile()).start();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(host.getInputStream(),
          StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (line.equals("STORE HOST READY")) {
            ready.complete(null);
          }
        }
        ready.completeExceptionally(new IllegalStateException("the store host ended before it was ready; see " + log));
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
    }, "store-host-stdout");
    reader.setDaemon(true);
    reader.start();
    ready.get(3, TimeUnit.MINUTES);
    vertx = ClusteredVertx.start(new ClusterOptions().setClusterConfig(clusterXml).setHost("127.0.0.1")
            .setPort(ourPort).setMembers(List.of(members.split(","))).setLiteMember(true))
        .toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
  }

  @AfterAll
  static void stopTheOtherJvm() throws Exception {
    try {
      if (vertx != null) {
        vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
      }
    } finally {
      if (host != null) {
        host.destroy();
        if (!host.waitFor(30, TimeUnit.SECONDS)) {
          host.destroyForcibly();
        }
      }
    }
  }

  /** Opens a store in the other JVM; the test's own (unclustered) Vert.x is not used for it. */
  @Override
  protected Future<? extends Store> open(Vertx testVertx, StoreOptions options, MutableClock clock) {
    RemoteClock remote = RemoteClock.follow(clock);
    String clockId = remote.id;
    JsonObject wire = new JsonObject().put("refreshOnRead", options.isRefreshOnRead())
        .put("sweepIntervalMs", options.getSweepIntervalMs()).put("maxValueBytes", options.getMaxValueBytes())
        .put("maxLimit", options.getMaxLimit()).put("maxScan", options.getMaxScan());
    if (options.getDefaultTtlMinutes() != null) {
      wire.put("defaultTtlMinutes", options.getDefaultTtlMinutes());
    }
    return vertx.eventBus().<String>request(StoreHost.OPEN, new JsonObject().put("options", wire)
            .put("clock", clockId), new DeliveryOptions().setSendTimeout(60_000))
        .map(reply -> new Ordered(new EventBusStore(vertx, reply.body(), 30_000), reply.body(), remote));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  /** Sends a test clock's advances to its twin in the other JVM; {@link #moved()} completes once all arrived. */
  private static final class RemoteClock {
    private static final Map<MutableClock, RemoteClock> ALL = new java.util.IdentityHashMap<>(); // guarded by itself
    private final String id;
    private Future<Void> moved = Future.succeededFuture(); // guarded by this

    private RemoteClock(String id) {
      this.id = id;
    }

    /** The twin of {@code clock} (one per test, as each test has its own clock). */
    static RemoteClock follow(MutableClock clock) {
      synchronized (ALL) {
        return ALL.computeIfAbsent(clock, key -> {
          RemoteClock remote = new RemoteClock(CLOCK + "-" + UUID.randomUUID());
          clock.onAdvance(remote::advance);
          return remote;
        });
      }
    }

    private synchronized void advance(java.time.Duration by) {
      Future<Void> before = moved;
      moved = before.compose(v -> vertx.eventBus().request(StoreHost.ADVANCE, new JsonObject().put("clock", id)
          .put("ms", by.toMillis())).mapEmpty());
    }

    synchronized Future<Void> moved() {
      return moved;
    }
  }

  /** The EventBusStore, each call sent once the clock advances asked before it reached the other JVM. */
  private static final class Ordered implements Store {
    private final EventBusStore store;
    private final String address;
    private final RemoteClock clock;

    Ordered(EventBusStore store, String address, RemoteClock clock) {
      this.store = store;
      this.address = address;
      this.clock = clock;
    }

    @Override
    public Future<Void> put(List<String> namespace, String key, Map<String, ?> value, Double ttlMinutes) {
      return clock.moved().compose(v -> store.put(namespace, key, value, ttlMinutes));
    }

    @Override
    public Future<StoreItem> get(List<String> namespace, String key, Boolean refreshTtl) {
      return clock.moved().compose(v -> store.get(namespace, key, refreshTtl));
    }

    @Override
    public Future<Void> delete(List<String> namespace, String key) {
      return clock.moved().compose(v -> store.delete(namespace, key));
    }

    @Override
    public Future<List<StoreItem>> search(SearchRequest request) {
      return clock.moved().compose(v -> store.search(request));
    }

    @Override
    public Future<List<List<String>>> listNamespaces(NamespaceQuery query) {
      return clock.moved().compose(v -> store.listNamespaces(query));
    }

    @Override
    public Future<Integer> sweep() {
      return clock.moved().compose(v -> store.sweep());
    }

    /** Closes and undeploys the store in the other JVM. */
    @Override
    public Future<Void> close() {
      return vertx.eventBus().request(StoreHost.CLOSE, new JsonObject().put("address", address)).mapEmpty();
    }
  }
}
