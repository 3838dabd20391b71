package io.graphloop.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;

import java.io.File;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The shipped {@code conf/cluster.xml}, built in code: a cluster configuration file whose bytes are exactly the
 * shipped file's (by SHA-256) gives this {@link Config} instead of being parsed. Parsing and validating Hazelcast's
 * XML loads about 1,000 more classes (the JDK's XML parser, its schema validator, Hazelcast's DOM processors) and
 * cost 0.3-0.7 s of process CPU per start (a member's start took 4.4-4.9 s); the built-in config costs 0.05 s. A file that
 * differs in any byte (edited for real hosts, another line ending) is parsed and validated as before, so an edit always
 * takes effect. {@code ShippedClusterConfigTest} checks that the digest is the repository's file's and that this
 * config is the one Hazelcast reads from that file, element by element (by Hazelcast's own XML generator).
 *
 * <p>Stateless; {@link #matches} reads a file (blocking I/O): call it from a plain thread.
 */
final class ShippedClusterConfig {

  /** SHA-256 of the shipped {@code conf/cluster.xml}; {@code ShippedClusterConfigTest} keeps it true. */
  static final String SHA256 = "b57368572891f6714e3e91c1b1c4f3f10322a2dc0471b383d7ae0babcf6c8bc4";

  private ShippedClusterConfig() {
  }

  /** Whether {@code bytes} are the shipped file's, byte for byte. */
  static boolean matches(byte[] bytes) {
    return SHA256.equals(sha256(bytes));
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e); // every JDK has it
    }
  }

  /**
   * The configuration Hazelcast reads from the shipped file, with {@code file} recorded as its source (as
   * {@code Config.loadFromFile} does). A new, mutable instance each time.
   */
  static Config build(File file) {
    Config config = new Config();
    config.setConfigurationFile(file);
    config.setClusterName("graphloop");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.tcp.join.port.try.count", "10");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
    config.setProperty("hazelcast.logging.type", "jdk");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(5701).setPortAutoIncrement(true).setPortCount(10);
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(5)
        .setMembers(new ArrayList<>(List.of("127.0.0.1")));
    network.getInterfaces().setEnabled(true).setInterfaces(new ArrayList<>(List.of("127.0.0.1")));
    config.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    config.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    config.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return config;
  }
}
