package io.graphloop.cli;

import io.graphloop.cluster.ClusterOptions;
import picocli.CommandLine.Option;

/**
 * The options that say how a command joins the cluster, shared by {@code member} and {@code run --cluster} (a
 * picocli mixin): {@code --cluster-config FILE} (default {@code conf/cluster.xml}), {@code --host IP},
 * {@code --cluster-port N} and {@code --cluster-members A,B}; they become {@link ClusterOptions}.
 *
 * <p>Filled by picocli on the CLI's main thread; not thread-safe.
 */
final class ClusterArgs {

  @Option(names = "--cluster-config", paramLabel = "FILE",
      description = "the Hazelcast XML file of the cluster (default: conf/cluster.xml)")
  String config;

  @Option(names = "--host", paramLabel = "IP", description = "the address this member binds and announces")
  String host;

  @Option(names = "--cluster-port", paramLabel = "N", description = "the exact Hazelcast port to bind (1-65535)")
  Long port;

  @Option(names = "--cluster-members", paramLabel = "A,B",
      description = "join these members (host:port) by TCP instead of the file's join settings")
  String members;

  /** The cluster options the command line names; the rest keep their defaults. */
  ClusterOptions options() {
    ClusterOptions options = new ClusterOptions();
    if (config != null) {
      options.setClusterConfig(config);
    }
    options.setHost(host);
    options.setPort(port == null ? 0 : (int) Cli.inRange("--cluster-port", port, 1, 65535));
    options.setMembers(Cli.list("--cluster-members", members));
    return options;
  }

  /** Whether any cluster option was given. */
  boolean any() {
    return config != null || host != null || port != null || members != null;
  }
}
