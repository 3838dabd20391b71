package io.graphloop.it;

import io.graphloop.cluster.ClusterOptions;
import io.graphloop.support.LoopbackPorts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The members of one integration test's cluster on 127.0.0.1: a free Hazelcast port for each, every one listed as a
 * member of all, with the arguments that start a member process on one of them ({@code graphloop member ...}) and the
 * options that join this JVM on another, all with the repository's {@code conf/cluster.xml}.
 *
 * <p>Immutable.
 */
final class LoopbackCluster {

  private final List<Integer> ports;
  private final String members;

  private LoopbackCluster(List<Integer> ports) {
    this.ports = List.copyOf(ports);
    this.members = ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  /** A cluster of {@code count} members, on ports that were free a moment ago. */
  static LoopbackCluster of(int count) throws IOException {
    return new LoopbackCluster(LoopbackPorts.free(count));
  }

  /** {@code member}/{@code run} arguments for the member on port {@code index}: {@code extra}, then the cluster's. */
  List<String> memberArgs(int index, String... extra) {
    List<String> args = new ArrayList<>(List.of(extra));
    args.addAll(List.of("--cluster-config", clusterXml(), "--host", "127.0.0.1",
        "--cluster-port", String.valueOf(ports.get(index)), "--cluster-members", members));
    return args;
  }

  /** Options that join this JVM as the member on port {@code index} (a lite member: it hosts no cluster data). */
  ClusterOptions liteMember(int index) {
    return new ClusterOptions().setClusterConfig(clusterXml()).setPort(ports.get(index))
        .setMembers(List.of(members.split(","))).setLiteMember(true);
  }

  /**
   * Starts {@code java -jar <jar> run --cluster <runArgs>} as the member on port {@code index}, its stderr in
   * {@link #log(String) log(logName)}; not waited for (the caller reads its stdout and exit code).
   */
  Process startRunCommand(int index, String logName, String... runArgs) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", DemoJarIT.jar().toString(), "run", "--cluster"));
    command.addAll(memberArgs(index, runArgs));
    Path log = log(logName);
    Files.createDirectories(log.getParent());
    return new ProcessBuilder(command).redirectError(log.toFile()).start();
  }

  /** Where the integration tests' child process {@code name} logs: {@code target/cluster-it/<name>.log}. */
  static Path log(String name) {
    return Path.of(System.getProperty("basedir", ".")).resolve("target/cluster-it").resolve(name + ".log");
  }

  private static String clusterXml() {
    return Path.of(System.getProperty("basedir", ".")).resolve("conf/cluster.xml").toString();
  }
}
