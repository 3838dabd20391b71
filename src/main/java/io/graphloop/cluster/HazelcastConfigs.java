package io.graphloop.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the Hazelcast configuration of {@link ClusterOptions}: the file (the shipped {@code conf/cluster.xml}, byte
 * for byte, is built in code without parsing: {@link ShippedClusterConfig}), then the overrides. Kept apart from
 * {@code ClusterOptions} so that the options class loads without Hazelcast (an optional dependency) on the classpath.
 *
 * <p>Stateless; blocking file I/O: call it from a plain thread.
 */
final class HazelcastConfigs {

  private HazelcastConfigs() {
  }

  /** See {@link ClusterOptions#hazelcastConfig()}. */
  static Config of(ClusterOptions options) {
    Path file = Path.of(options.getClusterConfig());
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Cluster configuration file " + file.toAbsolutePath() + " not found. Start "
          + "from the Graphloop directory (which holds " + ClusterOptions.DEFAULT_CLUSTER_CONFIG + ") or name a Hazelcast XML file "
          + "with --cluster-config FILE.");
    }
    Config config;
    try {
      // the shipped file, byte for byte, is built in code (no XML parsing: 0.3-0.7 s of a start's CPU)
      config = ShippedClusterConfig.matches(Files.readAllBytes(file))
          ? ShippedClusterConfig.build(new File(options.getClusterConfig()))
          : Config.loadFromFile(new File(options.getClusterConfig()));
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read cluster configuration file " + file + ": " + e.getMessage(), e);
    } catch (InvalidConfigurationException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Cluster configuration file " + file + " is not a valid Hazelcast "
          + "configuration: " + e.getMessage(), e);
    }
    NetworkConfig network = config.getNetworkConfig();
    if (options.getHost() != null) {
      network.getInterfaces().setEnabled(true).setInterfaces(List.of(options.getHost()));
    }
    if (options.getPort() != 0) {
      network.setPort(options.getPort()).setPortAutoIncrement(false);
    }
    if (options.getMembers() != null) {
      JoinConfig join = network.getJoin();
      join.getMulticastConfig().setEnabled(false);
      join.getAutoDetectionConfig().setEnabled(false);
      join.getTcpIpConfig().setEnabled(true).setMembers(new ArrayList<>(options.getMembers()));
    }
    config.setLiteMember(options.isLiteMember());
    return config;
  }
}
