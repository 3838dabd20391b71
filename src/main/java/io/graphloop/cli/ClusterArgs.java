package io.graphloop.cli;

import io.graphloop.cluster.ClusterOptions;
import io.graphloop.cluster.EventBusTls;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The options that say how a command joins the cluster, shared by {@code member} and {@code run --cluster} (a
 * picocli mixin): {@code --cluster-config FILE} (default {@code conf/cluster.xml}), {@code --host IP},
 * {@code --cluster-port N}, {@code --cluster-members A,B} and {@code --bus-tls FILE} (event-bus TLS, {@link EventBusTls});
 * they become {@link ClusterOptions}.
 *
 * <p>Filled by picocli on the CLI's main thread; not thread-safe.
 */
final class ClusterArgs {

  /** The event-bus TLS options a member reads when {@code --bus-tls} is not given and this file exists. */
  static final String DEFAULT_BUS_TLS = "conf/bus-tls.json";

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

  @Option(names = "--bus-tls", paramLabel = "FILE",
      description = "TLS with client certificates between the members' event buses: a JSON file of EventBusTls "
          + "options (default: " + DEFAULT_BUS_TLS + " when it exists)")
  Path busTls;

  /** The cluster options the command line names; the rest keep their defaults. */
  ClusterOptions options() {
    ClusterOptions options = new ClusterOptions();
    if (config != null) {
      options.setClusterConfig(config);
    }
    options.setHost(host);
    options.setPort(port == null ? 0 : (int) Cli.inRange("--cluster-port", port, 1, 65535));
    options.setMembers(Cli.list("--cluster-members", members));
    options.setEventBusTls(busTls(busTls));
    return options;
  }

  /**
   * The event-bus TLS options of {@code file} ({@code --bus-tls}), or of {@value #DEFAULT_BUS_TLS} when no file is
   * named and that one exists; {@code null} (plain TCP) otherwise. Blocking file I/O: the CLI's main thread.
   *
   * @throws IllegalArgumentException when the file is missing or not valid TLS options, saying which and why
   */
  static EventBusTls busTls(Path file) {
    Path path = file == null ? Path.of(DEFAULT_BUS_TLS) : file;
    if (!Files.isRegularFile(path)) {
      if (file == null) {
        return null;
      }
      throw new IllegalArgumentException("--bus-tls names " + file.toAbsolutePath() + ", which is not a file.");
    }
    try {
      return new EventBusTls(new JsonObject(Files.readString(path)));
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read event-bus TLS file " + path + ": " + e.getMessage(), e);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("Event-bus TLS file " + path + " is not a JSON object: " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Event-bus TLS file " + path + ": " + e.getMessage(), e);
    }
  }

  /** Whether any cluster option was given. */
  boolean any() {
    return config != null || host != null || port != null || members != null || busTls != null;
  }
}
