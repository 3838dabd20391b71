package io.graphloop.cli;

import io.graphloop.runtime.GraphRuntimeOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's configuration: file, then environment variables, then system properties (vertx-config). */
@Timeout(60)
class CliConfigTest {

  @Test
  void theKeysAreTheRuntimeOptionsFieldsWithTheirEnvironmentAndPropertyNames() {
    List<String> keys = CliConfig.keys();
    assertTrue(keys.contains("runtime.nodeTimeoutMs") && keys.contains("runtime.checkpointer")
        && keys.contains("runtime.recursionLimit"), keys.toString());
    assertFalse(keys.contains("runtime.coordinator") || keys.contains("runtime.nodes"), "role fields are the CLI's");
    assertEquals("GRAPHLOOP_RUNTIME_NODE_TIMEOUT_MS", CliConfig.envName("runtime.nodeTimeoutMs"));
    assertEquals("GRAPHLOOP_RUNTIME_CHECKPOINTER", CliConfig.envName("runtime.checkpointer"));
    assertEquals("graphloop.runtime.nodeTimeoutMs", CliConfig.propertyName("runtime.nodeTimeoutMs"));
  }

  @Test
  void theEnvironmentOverridesTheFileAndPropertiesOverrideBoth() {
    JsonObject file = new JsonObject().put("runtime", new JsonObject().put("nodeTimeoutMs", 1000)
        .put("recursionLimit", 50).put("maxInFlightRuns", 7));
    JsonObject merged = CliConfig.merge(Path.of("f.json"), file,
        Map.of("GRAPHLOOP_RUNTIME_NODE_TIMEOUT_MS", "2000", "GRAPHLOOP_RUNTIME_RECURSION_LIMIT", "60",
            "GRAPHLOOP_RUNTIME_CHECKPOINTER", "{\"type\":\"memory\"}", "PATH", "/bin", "GRAPHLOOP_CRASH_LOG", "x"),
        Map.of("graphloop.runtime.recursionLimit", "70", "java.home", "/jdk"));
    JsonObject runtime = merged.getJsonObject("runtime");
    assertEquals(2000, runtime.getInteger("nodeTimeoutMs"));
    assertEquals(70, runtime.getInteger("recursionLimit"));
    assertEquals(7, runtime.getInteger("maxInFlightRuns"));
    assertEquals(new JsonObject().put("type", "memory"), runtime.getJsonObject("checkpointer"));
    GraphRuntimeOptions options = new GraphRuntimeOptions(runtime);
    assertEquals(2000, options.getNodeTimeoutMs());
    assertEquals(70, options.getRecursionLimit());
  }

  @Test
  void tracingIsConfiguredByTheOpsSectionOrItsEnvironmentVariable() {
    JsonObject merged = CliConfig.merge(null, new JsonObject(), Map.of("GRAPHLOOP_OPS_TRACING",
        "{\"otlpEndpoint\":\"http://127.0.0.1:4318/v1/traces\",\"serviceName\":\"worker-1\"}"), Map.of());
    io.graphloop.ops.TracingOptions tracing = CliConfig.opsOptions(merged, null).getTracing();
    assertTrue(tracing.isEnabled());
    assertEquals("worker-1", tracing.getServiceName());
    assertFalse(CliConfig.opsOptions(CliConfig.merge(null, new JsonObject(), Map.of(), Map.of()), null).getTracing()
        .isEnabled(), "off by default");
  }

  @Test
  void anUnknownKeyUnderGraphloopsPrefixFailsNamingTheKnownOnes() {
    String message = assertThrows(IllegalArgumentException.class, () -> CliConfig.merge(null, new JsonObject(),
        Map.of("GRAPHLOOP_RUNTIME_NODE_TIMEOUT", "5"), Map.of())).getMessage();
    assertTrue(message.startsWith("Unknown environment variable GRAPHLOOP_RUNTIME_NODE_TIMEOUT; the environment "
        + "variable names are ") && message.contains("GRAPHLOOP_RUNTIME_NODE_TIMEOUT_MS"), message);
    message = assertThrows(IllegalArgumentException.class, () -> CliConfig.merge(null, new JsonObject(), Map.of(),
        Map.of("graphloop.runtime.timeout", "5"))).getMessage();
    assertTrue(message.startsWith("Unknown system property graphloop.runtime.timeout"), message);
    message = assertThrows(IllegalArgumentException.class, () -> CliConfig.merge(Path.of("g.json"),
        new JsonObject().put("runtme", new JsonObject()), Map.of(), Map.of())).getMessage();
    assertEquals("Unknown field 'runtme' in configuration file g.json; it has ops, runtime, server.", message);
  }

  @Test
  void loadReadsTheFileAndTheSystemPropertiesThroughVertxConfig(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("graphloop.json");
    Files.writeString(conf, "{\"runtime\": {\"nodeTimeoutMs\": 1500, \"recursionLimit\": 40}}");
    System.setProperty("graphloop.runtime.recursionLimit", "41");
    try {
      GraphRuntimeOptions options = CliConfig.runtimeOptions(conf);
      assertEquals(1500, options.getNodeTimeoutMs());
      assertEquals(41, options.getRecursionLimit());
      System.setProperty("graphloop.runtime.recursionLimit", "many");
      String message = assertThrows(IllegalArgumentException.class, () -> CliConfig.runtimeOptions(conf))
          .getMessage();
      assertTrue(message.startsWith("Bad runtime options (" + conf) && message.contains("recursionLimit"), message);
    } finally {
      System.clearProperty("graphloop.runtime.recursionLimit");
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CliConfig.runtimeOptions(dir.resolve("none.json")))
        .getMessage().contains("no such file"));
  }

  @Test
  void theConfigCommandShowsEnvironmentOverridesInAChildJvm(@TempDir Path dir) throws Exception {
    // environment variables cannot be set inside a JVM: a child JVM gets them, as a user's shell would give them
    Path conf = dir.resolve("graphloop.json");
    Files.writeString(conf, "{\"runtime\": {\"nodeTimeoutMs\": 1500, \"maxInFlightRuns\": 9}}");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dgraphloop.runtime.maxInFlightRuns=11",
        Main.class.getName(), "config", "--conf", conf.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("GRAPHLOOP_RUNTIME_NODE_TIMEOUT_MS", "2500");
    builder.environment().put("GRAPHLOOP_RUNTIME_MAX_IN_FLIGHT_RUNS", "10");
    Process process = builder.start();
    try {
      assertTrue(process.waitFor(50, TimeUnit.SECONDS), "config did not finish");
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, process.exitValue(), output);
      String line = output.lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow(() -> new AssertionError(
          output));
      JsonObject runtime = new JsonObject(line).getJsonObject("runtime");
      assertEquals(2500, runtime.getInteger("nodeTimeoutMs"), "the environment overrides the file");
      assertEquals(11, runtime.getInteger("maxInFlightRuns"), "a system property overrides the environment");
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void aYamlFileHoldsTheSameTreeAsJsonAndTheSameOverridesApply(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("graphloop.yaml");
    Files.writeString(conf, "# the runtime's options\nruntime:\n  nodeTimeoutMs: 1500\n  recursionLimit: 40\n"
        + "  checkpointer:\n    type: memory\n");
    System.setProperty("graphloop.runtime.recursionLimit", "41");
    try {
      GraphRuntimeOptions options = CliConfig.runtimeOptions(conf);
      assertEquals(1500, options.getNodeTimeoutMs());
      assertEquals(41, options.getRecursionLimit(), "a system property overrides the YAML file");
      assertEquals(new JsonObject().put("type", "memory"), options.getCheckpointer());
    } finally {
      System.clearProperty("graphloop.runtime.recursionLimit");
    }
    Path yml = Files.writeString(dir.resolve("other.YML"), "runtime: {maxInFlightRuns: 9}\n");
    assertEquals(9, CliConfig.runtimeOptions(yml).getMaxInFlightRuns(), "*.yml, any case, is YAML too");
  }

  @Test
  void aBadYamlFileIsRefusedNamingTheFileAndWhere(@TempDir Path dir) throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.yaml"), "runtime:\n  nodeTimeoutMs: 1500\n   recursionLimit: [\n");
    String message = assertThrows(IllegalArgumentException.class, () -> CliConfig.load(broken)).getMessage();
    assertTrue(message.startsWith("Configuration file " + broken + " is not valid YAML") && message.contains("line"),
        message);
    Path list = Files.writeString(dir.resolve("list.yaml"), "- runtime\n- server\n");
    message = assertThrows(IllegalArgumentException.class, () -> CliConfig.load(list)).getMessage();
    assertTrue(message.startsWith("Configuration file " + list + " is not valid YAML")
        && message.contains("a YAML mapping at the top"), message);
    Path unknown = Files.writeString(dir.resolve("unknown.yaml"), "runtme:\n  nodeTimeoutMs: 1\n");
    message = assertThrows(IllegalArgumentException.class, () -> CliConfig.load(unknown)).getMessage();
    assertEquals("Unknown field 'runtme' in configuration file " + unknown + "; it has ops, runtime, server.", message);
    Path scalar = Files.writeString(dir.resolve("scalar.yaml"), "runtime: 5\n");
    message = assertThrows(IllegalArgumentException.class, () -> CliConfig.load(scalar)).getMessage();
    assertTrue(message.contains("'runtime'") && message.contains("YAML mapping"), message);
    Path badJson = Files.writeString(dir.resolve("bad.json"), "{\"runtime\": {");
    message = assertThrows(IllegalArgumentException.class, () -> CliConfig.load(badJson)).getMessage();
    assertTrue(message.startsWith("Configuration file " + badJson + " is not valid JSON"), message);
  }

  @Test
  void withoutConfTheOneDefaultFileThatExistsIsReadAndTwoAreRefused(@TempDir Path dir) throws Exception {
    assertEquals(null, CliConfig.defaultFile(dir));
    Files.createDirectories(dir.resolve("conf"));
    Path yaml = Files.writeString(dir.resolve("conf/graphloop.yaml"), "runtime: {}\n");
    assertEquals(yaml, CliConfig.defaultFile(dir));
    Files.writeString(dir.resolve("conf/graphloop.json"), "{}");
    String message = assertThrows(IllegalArgumentException.class, () -> CliConfig.defaultFile(dir)).getMessage();
    assertTrue(message.contains("graphloop.json") && message.contains("graphloop.yaml")
        && message.contains("--conf"), message);
  }
}
