package io.graphloop.server;

import io.graphloop.cluster.GraphCatalog;
import io.graphloop.examples.ExampleGraphs;
import org.junit.jupiter.api.Test;

import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code serve}'s command line: its options reach {@link ServerOptions}, and serving on a host other than loopback
 * without authentication is refused at start with a message that says how to allow it.
 */
class ServeCommandTest {

  private static final GraphCatalog CATALOG = GraphCatalog.load(List.of(new ExampleGraphs()));

  @Test
  void httpInstancesComeFromTheFlagOrTheConfigurationAndAreBounded(@TempDir Path dir) throws Exception {
    assertEquals(0, ServeCommand.plan(new String[] {"--port", "0"}, CATALOG).server().getHttpInstances(),
        "one per event loop unless told");
    assertEquals(3, ServeCommand.plan(new String[] {"--http-instances", "3"}, CATALOG).server().getHttpInstances());
    Path conf = dir.resolve("server.json");
    java.nio.file.Files.writeString(conf, "{\"server\": {\"httpInstances\": 2}}");
    assertEquals(2, ServeCommand.plan(new String[] {"--conf", conf.toString()}, CATALOG).server().getHttpInstances());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> ServeCommand.plan(new String[] {"--http-instances", "-1"}, CATALOG));
    assertTrue(negative.getMessage().contains("httpInstances must be from 0"), negative.getMessage());
    IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
        () -> ServeCommand.plan(new String[] {"--http-instances", "many"}, CATALOG));
    assertTrue(word.getMessage().contains("Invalid value for option '--http-instances': 'many' is not an int"),
        word.getMessage());
  }

  @Test
  void http2MaxStreamsComeFromTheFlagOrTheConfigurationAndAreBounded(@TempDir Path dir) throws Exception {
    assertEquals(100, ServeCommand.plan(new String[] {"--port", "0"}, CATALOG).server().getHttp2MaxStreams(),
        "Vert.x's 100 unless told");
    assertEquals(1000, ServeCommand.plan(new String[] {"--http2-max-streams", "1000"}, CATALOG).server()
        .getHttp2MaxStreams());
    Path conf = dir.resolve("server.json");
    Files.writeString(conf, "{\"server\": {\"http2MaxStreams\": 250}}");
    assertEquals(250, ServeCommand.plan(new String[] {"--conf", conf.toString()}, CATALOG).server()
        .getHttp2MaxStreams());
    for (String bad : List.of("0", "100001")) {
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> ServeCommand.plan(new String[] {"--http2-max-streams", bad}, CATALOG));
      assertTrue(refused.getMessage().contains("http2MaxStreams must be from 1 to 100000, was " + bad),
          refused.getMessage());
    }
    IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
        () -> ServeCommand.plan(new String[] {"--http2-max-streams", "many"}, CATALOG));
    assertTrue(word.getMessage().contains("Invalid value for option '--http2-max-streams': 'many' is not an int"),
        word.getMessage());
  }

  @Test
  void allowUnauthenticatedIsAFlag() {
    assertFalse(ServeCommand.plan(new String[] {"--port", "0"}, CATALOG).server().isAllowUnauthenticated());
    ServeCommand.Plan plan = ServeCommand.plan(new String[] {"--allow-unauthenticated", "--host", "0.0.0.0"},
        CATALOG);
    assertTrue(plan.server().isAllowUnauthenticated());
    assertEquals("0.0.0.0", plan.server().getHost());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> ServeCommand.plan(new String[] {"--allow-anyone"}, CATALOG));
    assertTrue(unknown.getMessage().contains("--allow-unauthenticated"), unknown.getMessage());
  }

  @Test
  void theKeepAliveTimeoutComesFromTheFlagOrTheConfiguration(@TempDir Path dir) throws Exception {
    assertEquals(ServerOptions.DEFAULT_KEEP_ALIVE_TIMEOUT_MS, ServeCommand.plan(new String[] {"--port", "0"}, CATALOG)
        .server().getKeepAliveTimeoutMs());
    assertEquals(1500, ServeCommand.plan(new String[] {"--keep-alive-timeout-ms", "1500"}, CATALOG).server()
        .getKeepAliveTimeoutMs());
    assertEquals(0, ServeCommand.plan(new String[] {"--keep-alive-timeout-ms", "0"}, CATALOG).server()
        .getKeepAliveTimeoutMs(), "0: never closed by the server");
    Path conf = Files.writeString(dir.resolve("server.json"), "{\"server\": {\"keepAliveTimeoutMs\": 800}}");
    assertEquals(800, ServeCommand.plan(new String[] {"--conf", conf.toString()}, CATALOG).server()
        .getKeepAliveTimeoutMs());
    assertEquals(900, ServeCommand.plan(new String[] {"--conf", conf.toString(), "--keep-alive-timeout-ms", "900"},
        CATALOG).server().getKeepAliveTimeoutMs(), "the command line wins over the file");
  }

  @Test
  void everyOptionsBadValueIsRefusedNamingTheOptionAndTheValue() {
    // a value of the wrong type: picocli's conversion names the option and the value
    for (String option : List.of("--port", "--max-body-bytes", "--max-streams", "--accept-backlog", "--http-instances",
        "--http2-max-streams")) {
      assertRefused(new String[] {option, "lots"}, "Invalid value for option '" + option + "': 'lots' is not an int");
    }
    for (String option : List.of("--keep-alive-timeout-ms", "--drain-timeout")) {
      assertRefused(new String[] {option, "soon"}, "Invalid value for option '" + option + "': 'soon' is not a long");
    }
    // a value out of its range: the options' own rule, with the option and the value
    assertRefused(new String[] {"--port", "70000"}, "Bad value 70000 for --port: port must be");
    assertRefused(new String[] {"--max-body-bytes", "0"}, "Bad value 0 for --max-body-bytes: maxBodyBytes must be");
    assertRefused(new String[] {"--max-streams", "0"}, "Bad value 0 for --max-streams: maxStreams must be at least 1");
    assertRefused(new String[] {"--accept-backlog", "0"},
        "Bad value 0 for --accept-backlog: acceptBacklog must be from 1 to 65535, or -1");
    assertRefused(new String[] {"--http-instances", "-1"}, "Bad value -1 for --http-instances: httpInstances must be");
    assertRefused(new String[] {"--http2-max-streams", "0"},
        "Bad value 0 for --http2-max-streams: http2MaxStreams must be from 1 to 100000, was 0");
    assertRefused(new String[] {"--keep-alive-timeout-ms", "-1"},
        "Bad value -1 for --keep-alive-timeout-ms: keepAliveTimeoutMs must be at least 0 (0: never), was -1");
    assertRefused(new String[] {"--drain-timeout", "-1"}, "Bad value -1 for --drain-timeout: ");
    // a missing value, an unknown option (the message lists the options serve takes), an unknown graph
    assertRefused(new String[] {"--port"}, "Missing required parameter for option '--port'");
    assertRefused(new String[] {"--keep-alive"}, "--keep-alive-timeout-ms");
    assertRefused(new String[] {"--graphs", "nosuchgraph"}, "nosuchgraph");
  }

  private static void assertRefused(String[] args, String said) {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ServeCommand.plan(args, CATALOG), String.join(" ", args));
    assertTrue(refused.getMessage().contains(said), String.join(" ", args) + ": " + refused.getMessage());
  }

  @Test
  void badArgumentsExitWith2AndTheUsage() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ServeCommand.run(new String[] {"--keep-alive-timeout-ms", "soon"}, CATALOG,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status, said);
    assertTrue(said.contains("'soon' is not a long") && said.contains("Usage:"), said);
    for (String option : List.of("--graphs", "--port", "--host", "--conf", "--allow-unauthenticated",
        "--max-body-bytes", "--max-streams", "--accept-backlog", "--http-instances", "--http2-max-streams",
        "--keep-alive-timeout-ms", "--drain-timeout")) {
      assertTrue(said.contains(option), option + " in the usage: " + said);
    }
  }

  @Test
  void aNonLoopbackHostWithoutAuthIsRefusedAtStart() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    // 192.0.2.1 (TEST-NET-1) is nobody's address: nothing is bound even if the refusal were missing
    int status = ServeCommand.run(new String[] {"--graphs", "seed", "--host", "192.0.2.1", "--port", "0"}, CATALOG,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(1, status, said);
    assertTrue(said.contains("with no authentication"), said);
    assertTrue(said.contains("--allow-unauthenticated"), said);
    assertFalse(out.toString(StandardCharsets.UTF_8).contains("server ready"));
  }

  @Test
  void aYamlConfigurationFileIsReadLikeItsJsonForm(@TempDir Path dir) throws Exception {
    Path yaml = Files.writeString(dir.resolve("graphloop.yaml"), String.join("\n",
        "# serve --conf graphloop.yaml: the same tree as conf/graphloop.json",
        "runtime:",
        "  nodeTimeoutMs: 4321",
        "  recursionLimit: 77",
        "server:",
        "  maxStreams: 13",
        "  corsOrigins: [\"http://127.0.0.1:3000\"]",
        "ops:",
        "  drainTimeoutMs: 2500",
        ""));
    ServeCommand.Plan plan = ServeCommand.plan(new String[] {"--graphs", "seed", "--conf", yaml.toString()}, CATALOG);
    assertEquals(4321, plan.runtime().getNodeTimeoutMs());
    assertEquals(77, plan.runtime().getRecursionLimit());
    assertEquals(13, plan.server().getMaxStreams());
    assertEquals(List.of("http://127.0.0.1:3000"), plan.server().getCorsOrigins());
    assertEquals(2500, plan.ops().getDrainTimeoutMs());
    ServeCommand.Plan flag = ServeCommand.plan(new String[] {"--conf", yaml.toString(), "--max-streams", "5"}, CATALOG);
    assertEquals(5, flag.server().getMaxStreams(), "the command line wins over the file");
  }

  @Test
  void aBadYamlConfigurationFileIsRefusedWithExitStatus2NamingTheFileAndLine(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.yml"), "server:\n  maxStreams: 3\n   port: [\n");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = ServeCommand.run(new String[] {"--conf", broken.toString(), "--port", "0"}, CATALOG,
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String said = err.toString(StandardCharsets.UTF_8);
    assertEquals(2, status, said);
    assertTrue(said.contains("Configuration file " + broken + " is not valid YAML") && said.contains("line"), said);
    Path scalar = Files.writeString(dir.resolve("scalar.yaml"), "server: 5\n");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> ServeCommand.plan(new String[] {"--conf", scalar.toString()}, CATALOG));
    assertTrue(bad.getMessage().contains("'server'") && bad.getMessage().contains(scalar.toString()),
        bad.getMessage());
  }
}
