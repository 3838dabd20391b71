package io.graphloop.runtime;

import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.run.RunOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The production options are data objects: defaults as constants, JSON in and out, wrong values named. */
class OptionsJsonTest {

  @Test
  void wronglyTypedFieldsAreRejectedNamingTheFieldNotWithAClassCastException() {
    IllegalArgumentException node = assertThrows(IllegalArgumentException.class,
        () -> new NodeOptions(new JsonObject().put("timeoutMs", "soon")));
    assertTrue(node.getMessage().contains("'timeoutMs'") && node.getMessage().contains("node options"),
        node.getMessage());
    IllegalArgumentException runtime = assertThrows(IllegalArgumentException.class,
        () -> new GraphRuntimeOptions(new JsonObject().put("maxInFlightRuns", List.of(1))));
    assertTrue(runtime.getMessage().contains("'maxInFlightRuns'") && runtime.getMessage().contains("an integer"),
        runtime.getMessage());
    IllegalArgumentException retry = assertThrows(IllegalArgumentException.class,
        () -> RetryPolicy.fromJson(new JsonObject().put("backoffFactor", "double")));
    assertTrue(retry.getMessage().contains("'backoffFactor'") && retry.getMessage().contains("a number"),
        retry.getMessage());
    IllegalArgumentException perNode = assertThrows(IllegalArgumentException.class,
        () -> new GraphRuntimeOptions(new JsonObject().put("instancesPerNode", new JsonObject().put("llm", "two"))));
    assertTrue(perNode.getMessage().contains("'llm'"), perNode.getMessage());
  }

  @Test
  void nodeOptionsDefaults() {
    NodeOptions options = new NodeOptions();
    assertEquals(NodeOptions.DEFAULT_TIMEOUT_MS, options.getTimeoutMs());
    assertEquals(NodeOptions.DEFAULT_WORKER_POOL, options.getWorkerPool());
    assertEquals(NodeOptions.DEFAULT_WORKER_POOL_SIZE, options.getWorkerPoolSize());
    assertEquals(NodeOptions.DEFAULT_MAX_CONCURRENCY, options.getMaxConcurrency());
    assertEquals(NodeOptions.DEFAULT_MAX_QUEUED, options.getMaxQueued());
    assertEquals(RetryPolicy.none(), options.getRetry());
    assertEquals(options, new NodeOptions(new JsonObject()), "absent fields keep their defaults");
  }

  @Test
  void nodeOptionsRoundTrip() {
    NodeOptions options = new NodeOptions().setTimeoutMs(1_500).setWorkerPool("db").setWorkerPoolSize(4)
        .setMaxConcurrency(8).setMaxQueued(50).setDestinations(List.of("a", "__end__"))
        .setRetry(RetryPolicy.builder().maxAttempts(4).initialIntervalMs(10).backoffFactor(3).maxIntervalMs(200)
            .jitterMs(5).retryOn(IOException.class).build());
    JsonObject json = options.toJson();
    NodeOptions back = new NodeOptions(new JsonObject(json.encode()));
    assertEquals(options, back);
    assertEquals(options.hashCode(), back.hashCode());
    assertEquals(json, back.toJson());
    assertEquals(1_500, back.getTimeoutMs());
    assertEquals("db", back.getWorkerPool());
    assertEquals(4, back.getWorkerPoolSize());
    assertEquals(8, back.getMaxConcurrency());
    assertEquals(50, back.getMaxQueued());
    assertEquals(4, back.getRetry().maxAttempts());
    assertEquals(options, new NodeOptions(options), "the copy constructor copies every field");
    assertNotEquals(options, new NodeOptions(options).setMaxQueued(51));
    assertNotEquals(options, new NodeOptions(options).setRetry(RetryPolicy.none()));
  }

  @Test
  void nodeOptionsRejectWrongValuesWithTheRule() {
    assertRule("timeoutMs must be greater than or equal to 0", () -> new NodeOptions().setTimeoutMs(-1));
    assertRule("workerPoolSize must be greater than or equal to 1, was 0",
        () -> new NodeOptions().setWorkerPoolSize(0));
    assertRule("maxConcurrency must be greater than or equal to 0", () -> new NodeOptions().setMaxConcurrency(-2));
    assertRule("maxQueued must be greater than or equal to 0, was -1", () -> new NodeOptions().setMaxQueued(-1));
    assertRule("maxQueued must be greater than or equal to 0, was -1",
        () -> new NodeOptions(new JsonObject().put("maxQueued", -1)));
    assertRule("workerPoolSize must be greater than or equal to 1, was 0",
        () -> new NodeOptions(new JsonObject().put("workerPoolSize", 0)));
    assertRule("maxAttempts must be greater than or equal to 1, was 0",
        () -> new NodeOptions(new JsonObject().put("retry", new JsonObject().put("maxAttempts", 0))));
  }

  @Test
  void runtimeOptionsDefaults() {
    GraphRuntimeOptions options = new GraphRuntimeOptions();
    assertEquals(GraphRuntimeOptions.DEFAULT_NODE_TIMEOUT_MS, options.getNodeTimeoutMs());
    assertEquals(GraphRuntimeOptions.DEFAULT_MAX_IN_FLIGHT_RUNS, options.getMaxInFlightRuns());
    assertEquals(GraphRuntimeOptions.DEFAULT_RUN_TIMEOUT_MS, options.getRunTimeoutMs());
    assertEquals(GraphRuntimeOptions.DEFAULT_REPLY_GRACE_MS, options.getReplyGraceMs());
    assertEquals(GraphRuntimeOptions.DEFAULT_MEMBER_REFRESH_MS, options.getMemberRefreshMs());
    assertEquals(GraphRuntimeOptions.DEFAULT_BLOCKED_NODE_THRESHOLD_MS, options.getBlockedNodeThresholdMs());
    assertEquals(GraphRuntimeOptions.DEFAULT_RECURSION_LIMIT, options.getRecursionLimit());
    assertEquals(new JsonObject(), options.getHttpClients());
    assertEquals(options.toJson(), new GraphRuntimeOptions(new JsonObject()).toJson());
  }

  @Test
  void runtimeOptionsRoundTrip() {
    GraphRuntimeOptions options = new GraphRuntimeOptions().setCoordinatorInstances(2).setNodeInstances(3)
        .setNodeInstances("llm", 5).setNodeTimeoutMs(7_000).setMaxInFlightRuns(42).setRecursionLimit(99)
        .setRunTimeoutMs(60_000).setReplyGraceMs(250).setMemberRefreshMs(2_500).setMemberQuarantineMs(4_000).setBlockedNodeThresholdMs(50)
        .addHttpClient("openai", new JsonObject().put("defaultHost", "api.example.com").put("maxPoolSize", 16));
    JsonObject json = options.toJson();
    GraphRuntimeOptions back = new GraphRuntimeOptions(new JsonObject(json.encode()));
    assertEquals(json, back.toJson());
    assertEquals(2, back.getCoordinatorInstances());
    assertEquals(3, back.getNodeInstances());
    assertEquals(5, back.nodeInstances("llm"));
    assertEquals(3, back.nodeInstances("other"));
    assertEquals(7_000, back.getNodeTimeoutMs());
    assertEquals(42, back.getMaxInFlightRuns());
    assertEquals(99, back.getRecursionLimit());
    assertEquals(60_000, back.getRunTimeoutMs());
    assertEquals(250, back.getReplyGraceMs());
    assertEquals(2_500, back.getMemberRefreshMs());
    assertEquals(4_000, back.getMemberQuarantineMs());
    assertEquals(50, back.getBlockedNodeThresholdMs());
    assertEquals(16, back.getHttpClients().getJsonObject("openai").getInteger("maxPoolSize"));
    assertEquals(json, new GraphRuntimeOptions(options).toJson(), "the copy constructor copies every field");
  }

  @Test
  void runtimeOptionsRejectWrongValuesWithTheRule() {
    assertRule("maxInFlightRuns must be greater than or equal to 1, was 0",
        () -> new GraphRuntimeOptions().setMaxInFlightRuns(0));
    assertRule("runTimeoutMs must be greater than or equal to 1, was 0",
        () -> new GraphRuntimeOptions().setRunTimeoutMs(0));
    assertRule("replyGraceMs must be greater than or equal to 0, was -1",
        () -> new GraphRuntimeOptions().setReplyGraceMs(-1));
    assertRule("memberRefreshMs must be between 10 and 600000, was 5",
        () -> new GraphRuntimeOptions().setMemberRefreshMs(5));
    assertRule("memberRefreshMs must be between 10 and 600000, was 600001",
        () -> new GraphRuntimeOptions(new JsonObject().put("memberRefreshMs", 600_001)));
    assertRule("memberQuarantineMs must be between 0 and 600000, was -1",
        () -> new GraphRuntimeOptions().setMemberQuarantineMs(-1));
    assertRule("memberQuarantineMs must be between 0 and 600000, was 600001",
        () -> new GraphRuntimeOptions(new JsonObject().put("memberQuarantineMs", 600_001)));
    assertRule("blockedNodeThresholdMs must be greater than or equal to 1, was 0",
        () -> new GraphRuntimeOptions().setBlockedNodeThresholdMs(0));
    assertRule("nodeTimeoutMs must be greater than or equal to 1, was 0",
        () -> new GraphRuntimeOptions().setNodeTimeoutMs(0));
    assertRule("instancesPerNode.llm must be greater than or equal to 1, was 0",
        () -> new GraphRuntimeOptions().setNodeInstances("llm", 0));
    assertRule("maxInFlightRuns must be greater than or equal to 1, was -5",
        () -> new GraphRuntimeOptions(new JsonObject().put("maxInFlightRuns", -5)));
    assertRule("httpClients.openai must be a JSON object of WebClientOptions",
        () -> new GraphRuntimeOptions(new JsonObject().put("httpClients", new JsonObject().put("openai", 3))));
  }

  @Test
  void runOptionsDefaults() {
    RunOptions options = new RunOptions();
    assertNull(options.getRunId());
    assertEquals(RunOptions.DEFAULT_RECURSION_LIMIT, options.getRecursionLimit());
    assertEquals(RunOptions.DEFAULT_TIMEOUT_MS, options.getTimeoutMs());
    assertEquals(RunOptions.DEFAULT_MAX_CONCURRENCY, options.getMaxConcurrency());
    assertEquals(new JsonObject(), options.getConfig());
    assertEquals(options.toJson(), new RunOptions(new JsonObject()).toJson());
  }

  @Test
  void runOptionsRoundTrip() {
    RunOptions options = new RunOptions().setRunId("run-1").setRecursionLimit(25).setTimeoutMs(3_000)
        .setMaxConcurrency(3).setConfig(new JsonObject().put("model", "small").put("temperature", 0.2));
    JsonObject json = options.toJson();
    RunOptions back = new RunOptions(new JsonObject(json.encode()));
    assertEquals(json, back.toJson());
    assertEquals("run-1", back.getRunId());
    assertEquals(25, back.getRecursionLimit());
    assertEquals(3_000, back.getTimeoutMs());
    assertEquals(3, back.getMaxConcurrency());
    assertEquals("small", back.getConfig().getString("model"));
    assertEquals(json, new RunOptions(options).toJson(), "the copy constructor copies every field");
  }

  @Test
  void runOptionsRejectWrongValuesAndUnknownFields() {
    assertRule("maxConcurrency must be greater than or equal to 0", () -> new RunOptions().setMaxConcurrency(-1));
    assertRule("timeoutMs must be greater than or equal to 0", () -> new RunOptions().setTimeoutMs(-1));
    assertRule("recursionLimit must be greater than or equal to 1", () -> new RunOptions().setRecursionLimit(-1));
    assertRule("runId must not be blank", () -> new RunOptions().setRunId(" "));
    assertRule("maxConcurrency must be greater than or equal to 0",
        () -> new RunOptions(new JsonObject().put("maxConcurrency", -4)));
    assertRule("Field 'timeoutMs' of options must be an integer, was the string \"soon\"",
        () -> new RunOptions(new JsonObject().put("timeoutMs", "soon")));
    assertRule("Field 'config' of options must be a JSON object",
        () -> new RunOptions(new JsonObject().put("config", "x")));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RunOptions(new JsonObject().put("maxConcurency", 3)));
    assertTrue(e.getMessage().contains("Field 'maxConcurency' of options is unknown"), e.getMessage());
    assertTrue(e.getMessage().contains("maxConcurrency"), "the message lists the known fields: " + e.getMessage());
  }

  private static void assertRule(String expectedStart, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
  }
}
