package io.graphloop.cli;

import io.graphloop.cluster.ClusterOptions;

import java.util.Set;

/**
 * The options that say how a command joins the cluster, shared by {@code member} and {@code run --cluster}:
 * {@code --cluster-config FILE} (default {@code conf/cluster.xml}), {@code --host IP}, {@code --cluster-port N} and
 * {@code --cluster-members A,B}; they become {@link ClusterOptions}.
 *
 * <p>Stateless.
 */
final class ClusterArgs {

  static final String CONFIG = "--cluster-config";
  static final String HOST = "--host";
  static final String PORT = "--cluster-port";
  static final String MEMBERS = "--cluster-members";
  static final Set<String> OPTIONS = Set.of(CONFIG, HOST, PORT, MEMBERS);
  static final String USAGE = "[--cluster-config FILE] [--host IP] [--cluster-port N] [--cluster-members A,B]";

  private ClusterArgs() {
  }

  /** The cluster options the command line names; the rest keep their defaults. */
  static ClusterOptions from(CommandLine line) {
    ClusterOptions options = new ClusterOptions();
    if (line.value(CONFIG) != null) {
      options.setClusterConfig(line.value(CONFIG));
    }
    options.setHost(line.value(HOST));
    options.setPort((int) line.number(PORT, 0, 1, 65535));
    options.setMembers(line.list(MEMBERS));
    return options;
  }

  /** Whether any cluster option was given. */
  static boolean any(CommandLine line) {
    return OPTIONS.stream().anyMatch(line::has);
  }
}
