package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.cluster.ClusteredVertx;
import io.graphloop.examples.FailoverGraph;
import io.graphloop.ops.GraphloopTracing;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's trace continues on another JVM: this JVM coordinates {@code failover} (its spans in an in-memory exporter),
 * a worker member started from the fat jar runs the nodes and exports its spans over OTLP/HTTP ({@code ops.tracing}
 * of its {@code --conf}) to a receiver on 127.0.0.1 ({@link OtlpReceiver}). The worker's node spans have the run's
 * trace id and the run span as their parent, and the worker's service name.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class TracingClusterIT {

  private static final long READY_MS = 120_000;
  private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

  @Test
  void nodeSpansOnAWorkerJvmAreChildrenOfTheRunSpanOnTheCoordinator() throws Exception {
    HAZELCAST_LOG.setLevel(Level.WARNING);
    Path dir = Path.of(System.getProperty("basedir", ".")).resolve("target/cluster-it/tracing-" + UUID.randomUUID());
    Files.createDirectories(dir);
    LoopbackCluster cluster = LoopbackCluster.of(2);
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
    Vertx vertx = null;
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      Path conf = dir.resolve("worker.json");
      Files.writeString(conf, new JsonObject().put("ops", new JsonObject().put("tracing", new JsonObject()
          .put("otlpEndpoint", receiver.endpoint()).put("serviceName", "graphloop-worker"))).encode());
      MemberProcess worker = MemberProcess.start("tracing-worker", cluster.memberArgs(0, "--role", "worker",
          "--graphs", "failover", "--conf", conf.toString()));
      try {
        worker.awaitLine("member ready", READY_MS);
        vertx = get(ClusteredVertx.start(cluster.liteMember(1)), READY_MS);
        GraphloopTracing.install(vertx, sdk);
        get(GraphRuntime.deploy(vertx, FailoverGraph.build("failover"), new GraphRuntimeOptions()
            .setCoordinator(true).setNodes(List.of())), 60_000);
        GraphClient client = GraphClient.create(vertx, "failover", 30_000);
        RunResult result = get(client.run(Map.of("x", 4, "delayMs", 0), new RunOptions()), 60_000);
        assertEquals(FailoverGraph.expectedResult(4), result.values().getLong("result"));

        SpanData run = exporter.getFinishedSpanItems().stream().filter(s -> s.getName().equals("run failover"))
            .findFirst().orElseThrow(() -> new AssertionError(exporter.getFinishedSpanItems().toString()));
        worker.terminate(); // SIGTERM: the member drains and flushes its spans before it exits
        assertEquals(0, worker.awaitExit(60_000), worker.tail());
        List<OtlpReceiver.Span> nodes = receiver.spans().stream().filter(s -> s.name().startsWith("node ")).toList();
        // On a loaded machine a node's attempt can outlast the graph's node timeout and be retried: each attempt is
        // a span of its own (the late one still succeeded on the worker), numbered 1, 2, ... for its node.
        assertEquals(List.of("node double", "node increment"), nodes.stream().map(OtlpReceiver.Span::name).distinct()
            .sorted().toList(), receiver.spans().toString());
        for (String name : List.of("node double", "node increment")) {
          List<Long> attempts = nodes.stream().filter(s -> s.name().equals(name))
              .map(s -> (Long) s.attributes().get("graphloop.attempt")).sorted().toList();
          assertEquals(LongStream.rangeClosed(1, attempts.size()).boxed().toList(), attempts,
              name + ": one span per attempt, numbered from 1: " + nodes);
        }
        for (OtlpReceiver.Span node : nodes) {
          assertEquals(run.getTraceId(), node.traceId(), "the run's trace: " + node);
          assertEquals(run.getSpanId(), node.parentSpanId(), "a child of the run span: " + node);
          assertEquals("graphloop-worker", node.service());
          assertEquals(result.runId(), node.attributes().get("graphloop.run.id"));
          assertEquals("success", node.attributes().get("graphloop.outcome"));
        }
        assertTrue(nodes.stream().anyMatch(s -> Long.valueOf(2).equals(s.attributes().get("graphloop.step"))));
      } finally {
        worker.kill();
      }
    } finally {
      if (vertx != null) {
        get(vertx.close(), 30_000);
      }
      sdk.close();
    }
  }

  private static <T> T get(Future<T> future, long ms) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(ms, TimeUnit.MILLISECONDS);
  }
}
