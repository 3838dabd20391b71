package io.graphloop.ops;

import io.graphloop.graph.NodeOptions;
import io.graphloop.graph.RetryPolicy;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.GraphRuntimeOptions;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs traced with OpenTelemetry in one JVM (spans collected by an in-memory exporter): a span per run, a child span
 * per node execution with its step, attempt and outcome (a failed attempt is an error span), a child span per
 * checkpoint save; nothing when the sampler says no, and nothing when tracing is not installed.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class GraphloopTracingTest {

  private static final AttributeKey<String> NODE = AttributeKey.stringKey("graphloop.node");
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("graphloop.attempt");
  private static final AttributeKey<Long> STEP = AttributeKey.longKey("graphloop.step");
  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("graphloop.outcome");
  private static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("graphloop.run.id");
  private static final AttributeKey<String> THREAD_ID = AttributeKey.stringKey("graphloop.thread.id");
  private static final AttributeKey<String> KIND = AttributeKey.stringKey("graphloop.checkpoint.kind");

  /** START -> flaky (its first attempt fails; retried) -> work -> END, threads in memory. */
  private static StateGraph graph(String name, AtomicInteger calls) {
    return new StateGraph(name).addEdge(START, "flaky").addEdge("flaky", "work").addEdge("work", END)
        .addNode("flaky", (state, c) -> {
          calls.incrementAndGet();
          return c.attempt() == 1 ? Future.failedFuture(new IllegalStateException("first attempt fails"))
              : Future.succeededFuture(Map.of("flaky", c.attempt()));
        }, new NodeOptions().setRetry(RetryPolicy.builder().maxAttempts(2).initialIntervalMs(1).jitterMs(0).build()))
        .addNode("work", (state, c) -> {
          calls.incrementAndGet();
          return Future.succeededFuture(Map.of("done", true));
        });
  }

  private static OpenTelemetrySdk sdk(InMemorySpanExporter exporter, Sampler sampler) {
    return OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().setSampler(sampler)
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
  }

  private static final GraphRuntimeOptions THREADS = new GraphRuntimeOptions()
      .setCheckpointer(new JsonObject().put("type", "memory"));

  @Test
  void aRunIsASpanWithItsNodeExecutionsAndCheckpointSavesAsChildren(Vertx vertx, VertxTestContext ctx) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    GraphloopTracing.install(vertx, sdk(exporter, Sampler.alwaysOn()));
    AtomicInteger calls = new AtomicInteger();
    GraphRuntime.deploy(vertx, graph("traced", calls).compile(), THREADS)
        .compose(runtime -> runtime.client().run(Map.of(), new RunOptions().setThreadId("t-1")))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          List<SpanData> spans = exporter.getFinishedSpanItems();
          List<SpanData> runs = named(spans, "run traced");
          assertEquals(1, runs.size(), spans.toString());
          SpanData run = runs.get(0);
          assertEquals(result.runId(), run.getAttributes().get(RUN_ID));
          assertEquals("t-1", run.getAttributes().get(THREAD_ID));
          assertEquals("success", run.getAttributes().get(OUTCOME));
          assertTrue(!run.getParentSpanContext().isValid(), "a root span: nothing was current");

          List<SpanData> flaky = named(spans, "node flaky");
          flaky = flaky.stream().sorted(Comparator.comparing(s -> s.getAttributes().get(ATTEMPT))).toList();
          assertEquals(2, flaky.size(), spans.toString());
          assertEquals(1L, flaky.get(0).getAttributes().get(ATTEMPT));
          assertEquals("failure", flaky.get(0).getAttributes().get(OUTCOME));
          assertEquals(StatusCode.ERROR, flaky.get(0).getStatus().getStatusCode());
          assertTrue(flaky.get(0).getEvents().stream().anyMatch(e -> e.getName().equals("exception")),
              "the failure is recorded on the span");
          assertEquals(2L, flaky.get(1).getAttributes().get(ATTEMPT));
          assertEquals("success", flaky.get(1).getAttributes().get(OUTCOME));
          assertEquals(1L, flaky.get(1).getAttributes().get(STEP), "nodes run from step 1, as LangGraph's");
          List<SpanData> work = named(spans, "node work");
          assertEquals(1, work.size());
          assertEquals(2L, work.get(0).getAttributes().get(STEP));
          assertEquals("work", work.get(0).getAttributes().get(NODE));

          List<SpanData> saves = named(spans, "checkpoint save");
          assertTrue(saves.stream().filter(s -> "checkpoint".equals(s.getAttributes().get(KIND))).count() >= 3,
              "input, step 1 and step 2 checkpoints: " + saves);
          for (SpanData child : concat(flaky, work, saves)) {
            assertEquals(run.getTraceId(), child.getTraceId(), child.toString());
            assertEquals(run.getSpanId(), child.getParentSpanId(), "a child of the run span: " + child);
          }
          assertEquals(3, calls.get());
          ctx.completeNow();
        })));
  }

  @Test
  void aFailedRunIsAnErrorSpanWithItsOutcome(Vertx vertx, VertxTestContext ctx) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    GraphloopTracing.install(vertx, sdk(exporter, Sampler.alwaysOn()));
    StateGraph graph = new StateGraph("failing").addEdge(START, "boom").addEdge("boom", END)
        .addNode("boom", (state, c) -> Future.failedFuture(new IllegalArgumentException("no good")));
    GraphRuntime.deploy(vertx, graph.compile())
        .compose(runtime -> runtime.client().run(Map.of(), new RunOptions()))
        .onComplete(ctx.failing(failure -> ctx.verify(() -> {
          SpanData run = named(exporter.getFinishedSpanItems(), "run failing").get(0);
          assertEquals("node_failed", run.getAttributes().get(OUTCOME));
          assertEquals(StatusCode.ERROR, run.getStatus().getStatusCode());
          SpanData boom = named(exporter.getFinishedSpanItems(), "node boom").get(0);
          assertEquals(run.getSpanId(), boom.getParentSpanId());
          assertEquals("failure", boom.getAttributes().get(OUTCOME));
          ctx.completeNow();
        })));
  }

  @Test
  void anUnsampledRunOpensNoSpanAndItsNodesGetNoTraceHeaders(Vertx vertx, VertxTestContext ctx) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    GraphloopTracing.install(vertx, sdk(exporter, Sampler.alwaysOff()));
    AtomicInteger withHeaders = new AtomicInteger();
    vertx.eventBus().addInboundInterceptor(delivery -> {
      if (delivery.message().headers().names().stream().anyMatch(h -> h.startsWith("graphloop-"))) {
        withHeaders.incrementAndGet();
      }
      delivery.next();
    });
    AtomicInteger calls = new AtomicInteger();
    GraphRuntime.deploy(vertx, graph("unsampled", calls).compile(), THREADS)
        .compose(runtime -> runtime.client().run(Map.of(), new RunOptions().setThreadId("t-2")))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(3, calls.get(), "the nodes ran");
          assertEquals(List.of(), exporter.getFinishedSpanItems());
          assertEquals(0, withHeaders.get(), "no trace context carried");
          ctx.completeNow();
        })));
  }

  /**
   * A sampler decides on the run span's name, {@code run <graph>} (the attributes are set once a run is sampled, so an
   * unsampled run builds none): runs of the graph it wants are traced with their attributes, the others not at all.
   */
  @Test
  void aSamplerChoosesRunsByTheirSpanNameAndSampledRunsCarryTheirAttributes(Vertx vertx, VertxTestContext ctx) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    Sampler byName = new Sampler() {
      @Override
      public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind,
                                         Attributes attributes, List<LinkData> links) {
        return name.equals("run wanted") || name.startsWith("node ") || name.equals("checkpoint save")
            ? SamplingResult.recordAndSample() : SamplingResult.drop();
      }

      @Override
      public String getDescription() {
        return "run wanted";
      }
    };
    GraphloopTracing.install(vertx, sdk(exporter, Sampler.parentBased(byName)));
    AtomicInteger calls = new AtomicInteger();
    GraphRuntime.deploy(vertx, graph("wanted", calls).compile(), THREADS)
        .compose(wanted -> GraphRuntime.deploy(vertx, graph("other", calls).compile(), THREADS)
            .compose(other -> other.client().run(Map.of(), new RunOptions().setThreadId("t-o")))
            .compose(other -> wanted.client().run(Map.of(), new RunOptions().setThreadId("t-w"))))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          List<SpanData> spans = exporter.getFinishedSpanItems();
          assertEquals(List.of(), named(spans, "run other"), "not sampled");
          List<SpanData> runs = named(spans, "run wanted");
          assertEquals(1, runs.size(), spans.toString());
          assertEquals(result.runId(), runs.get(0).getAttributes().get(RUN_ID));
          assertEquals("t-w", runs.get(0).getAttributes().get(THREAD_ID));
          assertEquals("wanted", runs.get(0).getAttributes().get(AttributeKey.stringKey("graphloop.graph")));
          assertTrue(spans.stream().allMatch(span -> span.getTraceId().equals(runs.get(0).getTraceId())),
              "only the wanted run's trace: " + spans);
          assertEquals(6, calls.get(), "both graphs ran");
          ctx.completeNow();
        })));
  }

  @Test
  void withoutTracingInstalledNothingIsTraced(Vertx vertx, VertxTestContext ctx) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    GraphloopTracing.install(vertx, sdk(exporter, Sampler.alwaysOn()));
    GraphloopTracing.uninstall(vertx);
    AtomicInteger calls = new AtomicInteger();
    GraphRuntime.deploy(vertx, graph("untraced", calls).compile(), THREADS)
        .compose(runtime -> runtime.client().run(Map.of(), new RunOptions().setThreadId("t-3")))
        .onComplete(ctx.succeeding(result -> ctx.verify(() -> {
          assertEquals(3, calls.get());
          assertEquals(List.of(), exporter.getFinishedSpanItems());
          ctx.completeNow();
        })));
  }

  @Test
  void overHttpWithVertxTracingTheRunSpanIsInTheRequestsTrace(VertxTestContext ctx) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    OpenTelemetrySdk otel = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .setPropagators(io.opentelemetry.context.propagation.ContextPropagators.create(
            io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance())).build();
    Vertx vertx = Vertx.builder()
        .withTracer(new io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory(otel)).build();
    GraphloopTracing.install(vertx, otel);
    AtomicInteger calls = new AtomicInteger();
    io.vertx.ext.web.client.WebClient web = io.vertx.ext.web.client.WebClient.create(vertx);
    GraphRuntime.deploy(vertx, graph("over-http", calls).compile())
        .compose(runtime -> vertx.createHttpServer().requestHandler(request -> runtime.client().invoke(Map.of())
            .onComplete(done -> request.response().setStatusCode(done.succeeded() ? 200 : 500).end()))
            .listen(0, "127.0.0.1"))
        .compose(server -> web.get(server.actualPort(), "127.0.0.1", "/run").send())
        .onComplete(ctx.succeeding(response -> ctx.verify(() -> {
          assertEquals(200, response.statusCode());
          List<SpanData> spans = exporter.getFinishedSpanItems();
          SpanData run = named(spans, "run over-http").get(0);
          SpanData http = spans.stream().filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.SERVER
              && s.getName().startsWith("GET")).findFirst().orElseThrow(() -> new AssertionError(spans.toString()));
          assertEquals(http.getTraceId(), run.getTraceId(), "the run continues the HTTP request's trace: " + spans);
          assertTrue(ancestors(spans, run).contains(http.getSpanId()), "the request's span is an ancestor: " + spans);
          for (SpanData node : concat(named(spans, "node flaky"), named(spans, "node work"))) {
            assertEquals(run.getSpanId(), node.getParentSpanId());
          }
          vertx.close().onComplete(ctx.succeedingThenComplete());
        })));
  }

  /** The span ids above {@code span}, nearest first. */
  private static List<String> ancestors(List<SpanData> spans, SpanData span) {
    List<String> ids = new java.util.ArrayList<>();
    String parent = span.getParentSpanId();
    for (int hops = 0; hops < 10 && span.getParentSpanContext().isValid(); hops++) {
      ids.add(parent);
      String wanted = parent;
      SpanData next = spans.stream().filter(s -> s.getSpanId().equals(wanted)).findFirst().orElse(null);
      if (next == null) {
        break;
      }
      span = next;
      parent = span.getParentSpanId();
    }
    return ids;
  }

  private static List<SpanData> named(List<SpanData> spans, String name) {
    List<SpanData> found = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertNotNull(found);
    return found;
  }

  @SafeVarargs
  private static List<SpanData> concat(List<SpanData>... lists) {
    return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
  }
}
