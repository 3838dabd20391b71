package io.graphloop.cluster;

import com.hazelcast.config.Config;
import io.graphloop.errors.MissingDependencyException;
import io.graphloop.state.JsonFields;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a JVM joins a Graphloop cluster: a Hazelcast XML configuration file (by default {@code conf/cluster.xml},
 * which works on one machine as shipped) plus a few overrides for scripts and tests, so that the file itself never
 * needs editing for them:
 *
 * <ul>
 *   <li>{@code clusterConfig}: the Hazelcast XML file ({@value #DEFAULT_CLUSTER_CONFIG}, relative to the working
 *       directory).</li>
 *   <li>{@code host}: the IP address this member binds and announces, for Hazelcast (its only interface) and for the
 *       Vert.x event bus; {@code null} keeps the file's interface, and the event bus follows Hazelcast's address
 *       (127.0.0.1 with the shipped file).</li>
 *   <li>{@code port}: bind exactly this Hazelcast port (no auto-increment); 0 keeps the file's port range.</li>
 *   <li>{@code members}: replaces the file's TCP-IP member list ({@code host} or {@code host:port});
 *       {@code null} keeps it.</li>
 *   <li>{@code liteMember}: join as a Hazelcast lite member, which holds no cluster data, so that a short-lived
 *       client (the {@code run} command) leaves without moving data around, and a worker that hangs holds up no
 *       other member's cluster operations ({@code member --lite-member}); the cluster needs at least one member that
 *       is not lite.</li>
 *   <li>{@code eventBusTls}: TLS with client certificates between the members' event buses ({@link EventBusTls});
 *       {@code null} (the default) leaves the event bus in plain TCP, as Vert.x does.</li>
 * </ul>
 *
 * <p>A data object ({@code DEFAULT_*}, copy constructor, JSON constructor, {@link #toJson()}). Mutable while being
 * built; not thread-safe. {@link #hazelcastConfig()} reads a file: call it from a plain thread, never an event loop.
 */
public final class ClusterOptions {

  public static final String DEFAULT_CLUSTER_CONFIG = "conf/cluster.xml";
  public static final int DEFAULT_PORT = 0;
  public static final boolean DEFAULT_LITE_MEMBER = false;

  private String clusterConfig = DEFAULT_CLUSTER_CONFIG;
  private String host;
  private int port = DEFAULT_PORT;
  private List<String> members;
  private boolean liteMember = DEFAULT_LITE_MEMBER;
  private EventBusTls eventBusTls;

  public ClusterOptions() {
  }

  public ClusterOptions(ClusterOptions other) {
    this.clusterConfig = other.clusterConfig;
    this.host = other.host;
    this.port = other.port;
    this.members = other.members;
    this.liteMember = other.liteMember;
    this.eventBusTls = other.eventBusTls == null ? null : new EventBusTls(other.eventBusTls);
  }

  /**
   * Reads options from JSON; absent fields keep their defaults.
   *
   * @throws IllegalArgumentException naming the field whose value is wrong
   */
  public ClusterOptions(JsonObject json) {
    String file = JsonFields.optionalString(json, "clusterConfig", "cluster options");
    if (file != null) {
      setClusterConfig(file);
    }
    setHost(JsonFields.optionalString(json, "host", "cluster options"));
    setPort(JsonFields.optionalInt(json, "port", DEFAULT_PORT, "cluster options"));
    JsonArray list = JsonFields.optionalArray(json, "members", "cluster options");
    if (list != null) {
      List<String> names = new ArrayList<>();
      list.forEach(member -> names.add(text(member, "members")));
      setMembers(names);
    }
    Object lite = json.getValue("liteMember");
    if (lite != null && !(lite instanceof Boolean)) {
      throw new IllegalArgumentException("Field 'liteMember' of cluster options must be true or false, was " + lite);
    }
    setLiteMember(lite != null && (Boolean) lite);
    JsonObject tls = JsonFields.optionalObject(json, "eventBusTls", "cluster options");
    setEventBusTls(tls == null ? null : new EventBusTls(tls));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("clusterConfig", clusterConfig).put("port", port)
        .put("liteMember", liteMember);
    if (host != null) {
      json.put("host", host);
    }
    if (members != null) {
      json.put("members", new JsonArray(new ArrayList<>(members)));
    }
    if (eventBusTls != null) {
      json.put("eventBusTls", eventBusTls.toJson());
    }
    return json;
  }

  public String getClusterConfig() {
    return clusterConfig;
  }

  /** The Hazelcast XML (or YAML) configuration file. */
  public ClusterOptions setClusterConfig(String clusterConfig) {
    this.clusterConfig = notBlank("clusterConfig", clusterConfig);
    return this;
  }

  public String getHost() {
    return host;
  }

  /** The IP address to bind and announce (Hazelcast and event bus); {@code null} keeps the file's interface. */
  public ClusterOptions setHost(String host) {
    this.host = host == null ? null : notBlank("host", host);
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The Hazelcast port to bind, exactly; 0 keeps the file's port (range). */
  public ClusterOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 (the file's) and 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  public List<String> getMembers() {
    return members;
  }

  /** The TCP-IP member list ({@code host} or {@code host:port} each), replacing the file's; {@code null} keeps it. */
  public ClusterOptions setMembers(List<String> members) {
    if (members != null) {
      if (members.isEmpty()) {
        throw new IllegalArgumentException("members must name at least one member (host or host:port), or be null "
            + "to keep the configuration file's member list");
      }
      members.forEach(member -> notBlank("members", member));
    }
    this.members = members == null ? null : List.copyOf(members);
    return this;
  }

  public boolean isLiteMember() {
    return liteMember;
  }

  /**
   * Join as a Hazelcast lite member (holds no cluster data); for short-lived clients, and for workers that may hang
   * (a hung lite member owns no partition that other members' address lookups wait for).
   */
  public ClusterOptions setLiteMember(boolean liteMember) {
    this.liteMember = liteMember;
    return this;
  }

  public EventBusTls getEventBusTls() {
    return eventBusTls;
  }

  /** TLS with client certificates between the members' event buses; {@code null} for plain TCP (the default). */
  public ClusterOptions setEventBusTls(EventBusTls eventBusTls) {
    this.eventBusTls = eventBusTls;
    return this;
  }

  /**
   * The Hazelcast configuration: the file, then the overrides. Blocking file I/O.
   *
   * @throws IllegalArgumentException when the file is missing or is not a valid Hazelcast configuration, saying which
   *     file and what to do
   */
  public Config hazelcastConfig() {
    MissingDependencyException.require("com.hazelcast.config.Config", MissingDependencyException.HAZELCAST,
        "Clustering (ClusterOptions.hazelcastConfig)");
    return HazelcastConfigs.of(this);
  }

  /**
   * The Vert.x options of a member: the event bus binds {@code host} (when given) on a free port, with TLS when
   * {@code eventBusTls} is set (whose files are checked here: blocking file I/O).
   *
   * @throws IllegalArgumentException when the TLS options are incomplete or name a missing file
   */
  public VertxOptions vertxOptions() {
    EventBusOptions bus = new EventBusOptions().setPort(0);
    if (host != null) {
      bus.setHost(host);
    }
    if (eventBusTls != null) {
      eventBusTls.applyTo(bus);
    }
    return new VertxOptions().setEventBusOptions(bus);
  }

  private static String notBlank(String field, String value) {
    if (Objects.requireNonNull(value, field).isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    return value.trim();
  }

  private static String text(Object value, String field) {
    if (!(value instanceof String)) {
      throw new IllegalArgumentException("Field '" + field + "' of cluster options must be a string, was " + value);
    }
    return (String) value;
  }
}
