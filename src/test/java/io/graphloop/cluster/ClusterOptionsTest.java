package io.graphloop.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped {@code conf/cluster.xml} and the command-line overrides on top of it. */
class ClusterOptionsTest {

  private static String shipped() {
    return Path.of(System.getProperty("basedir", ".")).resolve("conf/cluster.xml").toString();
  }

  @Test
  void theShippedFileJoinsOnLoopbackOnlyByTcpIp() {
    Config config = new ClusterOptions().setClusterConfig(shipped()).hazelcastConfig();
    NetworkConfig network = config.getNetworkConfig();
    JoinConfig join = network.getJoin();
    assertEquals("graphloop", config.getClusterName());
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("127.0.0.1"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertFalse(join.getAutoDetectionConfig().isEnabled());
    assertTrue(network.getInterfaces().isEnabled());
    assertEquals(List.of("127.0.0.1"), List.copyOf(network.getInterfaces().getInterfaces()));
    assertEquals(5701, network.getPort());
    assertTrue(network.isPortAutoIncrement());
    assertEquals("0", config.getProperty("hazelcast.wait.seconds.before.join"));
    assertEquals("false", config.getProperty("hazelcast.socket.bind.any"));
    assertEquals("false", config.getProperty("hazelcast.phone.home.enabled"));
    assertFalse(config.isLiteMember());
    assertNull(new ClusterOptions().vertxOptions().getEventBusOptions().getHost(),
        "without a host the event bus binds Hazelcast's address, 127.0.0.1 with this file");
  }

  @Test
  void overridesReplaceInterfacePortAndMembers() {
    ClusterOptions options = new ClusterOptions().setClusterConfig(shipped()).setHost("127.0.0.1").setPort(5799)
        .setMembers(List.of("127.0.0.1:5701", "127.0.0.1:5799")).setLiteMember(true);
    Config config = options.hazelcastConfig();
    assertEquals(5799, config.getNetworkConfig().getPort());
    assertFalse(config.getNetworkConfig().isPortAutoIncrement());
    assertEquals(List.of("127.0.0.1:5701", "127.0.0.1:5799"),
        config.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
    assertTrue(config.isLiteMember());
    assertEquals("127.0.0.1", options.vertxOptions().getEventBusOptions().getHost());
    assertEquals(0, options.vertxOptions().getEventBusOptions().getPort());
  }

  @Test
  void aMissingFileSaysWhatToDo() {
    String message = assertThrows(IllegalArgumentException.class,
        () -> new ClusterOptions().setClusterConfig("no/such/cluster.xml").hazelcastConfig()).getMessage();
    assertTrue(message.contains("cluster.xml not found") && message.contains("--cluster-config FILE"), message);
  }

  @Test
  void optionsRoundTripThroughJson() {
    ClusterOptions options = new ClusterOptions().setClusterConfig("c.xml").setHost("10.0.0.5").setPort(5702)
        .setMembers(List.of("10.0.0.4")).setLiteMember(true);
    JsonObject json = options.toJson();
    assertEquals(json, new ClusterOptions(json).toJson());
    assertEquals(json, new ClusterOptions(options).toJson());
    assertEquals(new ClusterOptions().toJson(), new ClusterOptions(new JsonObject()).toJson());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClusterOptions().setPort(70000)).getMessage()
        .contains("65535"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new ClusterOptions().setMembers(List.of()))
        .getMessage().contains("at least one member"));
  }
}
