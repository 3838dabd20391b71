package io.graphloop.cluster;

import io.graphloop.errors.MissingDependencyException;
import com.hazelcast.config.Config;
import com.hazelcast.config.ListenerConfig;
import io.graphloop.protocol.Codecs;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Starts a Vert.x instance on the clustered event bus, with the Hazelcast cluster manager configured by
 * {@link ClusterOptions}, and registers Graphloop's message codecs on it (JSON between JVMs, never Java
 * serialization). Any JVM that joins this way can run graphs with {@code GraphClient} by name, host node verticles
 * ({@code GraphRuntimeOptions.setCoordinator(false)}) or drive runs (coordinators), whichever it deploys.
 *
 * <pre>{@code
 * Vertx vertx = ClusteredVertx.start(new ClusterOptions()).toCompletionStage().toCompletableFuture().join();
 * State state = GraphClient.create(vertx, "seed").invokeAndWait(Map.of("query", "hi"));
 * }</pre>
 *
 * <p>Each successful start logs (INFO, logger {@code io.graphloop.cluster.ClusteredVertx}) where its time went:
 * reading the configuration, Vert.x and Hazelcast's instance, Hazelcast's start and join, Vert.x's cluster set-up.
 *
 * <p>Thread rules: {@link #start} reads the configuration file on the calling thread (blocking file I/O), so call it
 * from a plain thread ({@code main}, a test), never from an event loop; the rest is asynchronous. Stateless.
 */
public final class ClusteredVertx {

  private static final System.Logger LOG = System.getLogger("io.graphloop.cluster.ClusteredVertx");

  private ClusteredVertx() {
  }

  /**
   * Joins the cluster; the future completes once this member is part of it (Hazelcast joined, event bus listening).
   * Close the returned {@link Vertx} to leave the cluster.
   *
   * @throws IllegalArgumentException at once when the configuration file is missing or invalid
   * @throws MissingDependencyException at once when io.vertx:vertx-hazelcast is not on the classpath
   */
  public static Future<Vertx> start(ClusterOptions options) {
    return start(options, vertxOptions -> Vertx.builder().with(vertxOptions));
  }

  /**
   * Like {@link #start(ClusterOptions)}, with the Vert.x built by {@code builder} from the cluster's Vert.x options (for
   * example with metrics: {@code io.graphloop.ops.Operations#vertxBuilder}); the cluster manager is added to it.
   */
  public static Future<Vertx> start(ClusterOptions options,
                                    java.util.function.Function<io.vertx.core.VertxOptions, io.vertx.core.VertxBuilder> builder) {
    MissingDependencyException.require("io.vertx.spi.cluster.hazelcast.HazelcastClusterManager",
        MissingDependencyException.HAZELCAST, "Clustering (ClusteredVertx)");
    JoinTimes times = new JoinTimes().begin();
    Config config = options.hazelcastConfig();
    times.configured();
    config.addListenerConfig(new ListenerConfig(times)); // Hazelcast's STARTING and STARTED, for the log line
    return builder.apply(options.vertxOptions())
        .withClusterManager(new HazelcastClusterManager(config))
        .buildClustered()
        .onSuccess(Codecs::register)
        .onSuccess(vertx -> LOG.log(System.Logger.Level.INFO, times.describe(options.getClusterConfig())));
  }
}
