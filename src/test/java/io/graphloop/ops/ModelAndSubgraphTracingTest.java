package io.graphloop.ops;

import io.graphloop.agents.FakeChatServer;
import io.graphloop.agents.FakeReply;
import io.graphloop.agents.Message;
import io.graphloop.agents.OpenAiOptions;
import io.graphloop.client.RunEventStream;
import io.graphloop.examples.AgentExample;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.runtime.Poll;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16's model-call and subgraph spans, collected by an in-memory exporter: each chat-model call of the agent
 * ({@code OpenAiChatModel} against {@link FakeChatServer}, OpenAI's wire format over HTTP on 127.0.0.1) is a child
 * span of its node's span with the model, the tokens in and out the server reported and the outcome, streamed or
 * not; a failed call is an error span; a subgraph node's child run is traced under the node's span, the child's node
 * spans under that run; a run given a W3C traceparent opens under it.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class ModelAndSubgraphTracingTest {

  private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("graphloop.outcome");
  private static final AttributeKey<Long> STEP = AttributeKey.longKey("graphloop.step");
  private static final AttributeKey<String> MODEL = AttributeKey.stringKey("gen_ai.request.model");
  private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  private static final AttributeKey<Long> INPUT = AttributeKey.longKey("gen_ai.usage.input_tokens");
  private static final AttributeKey<Long> OUTPUT = AttributeKey.longKey("gen_ai.usage.output_tokens");

  private static OpenTelemetrySdk sdk(InMemorySpanExporter exporter) {
    return OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder().setSampler(Sampler.alwaysOn())
        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build()).build();
  }

  private static List<SpanData> named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).toList();
  }

  private static SpanData byId(List<SpanData> spans, String spanId) {
    return spans.stream().filter(s -> s.getSpanId().equals(spanId)).findFirst()
        .orElseThrow(() -> new AssertionError("no span " + spanId + " in " + spans));
  }

  /**
   * The finished spans once one named {@code name} is among them: a run's span ends just after its outcome reaches
   * the caller (a bounded poll; the test's timeout bounds it).
   */
  private static Future<List<SpanData>> spansOnceEnded(Vertx vertx, InMemorySpanExporter exporter, String name) {
    AtomicReference<List<SpanData>> spans = new AtomicReference<>(List.of());
    return Poll.until(vertx, 5, 4_000, () -> {
      spans.set(exporter.getFinishedSpanItems());
      return !named(spans.get(), name).isEmpty();
    }, () -> "a span named '" + name + "' among " + spans.get()).map(v -> spans.get());
  }

  /** The agent's two model calls (the tool call at step 1, the answer at step 3), each under its node's span. */
  private static void assertModelSpans(List<SpanData> spans) {
    SpanData run = named(spans, "run agent").get(0);
    List<SpanData> chats = named(spans, "chat fake-1").stream()
        .sorted(Comparator.comparing(SpanData::getStartEpochNanos)).toList();
    assertEquals(2, chats.size(), spans.toString());
    long[] expectedOutput = {1, 4}; // one tool call; then "The answer is 42." streamed as 4 words
    for (int i = 0; i < 2; i++) {
      SpanData chat = chats.get(i);
      SpanData node = byId(spans, chat.getParentSpanId());
      assertEquals("node agent", node.getName(), "a model call is a child of its node's span");
      assertEquals(i == 0 ? 1L : 3L, node.getAttributes().get(STEP));
      assertEquals(run.getSpanId(), node.getParentSpanId());
      assertEquals(run.getTraceId(), chat.getTraceId());
      assertEquals("fake-1", chat.getAttributes().get(MODEL));
      assertEquals("chat", chat.getAttributes().get(OPERATION));
      assertEquals(10L, chat.getAttributes().get(INPUT), "FakeChatServer reports 10 prompt tokens");
      assertEquals(expectedOutput[i], chat.getAttributes().get(OUTPUT));
      assertEquals("success", chat.getAttributes().get(OUTCOME));
      assertTrue(chat.getEndEpochNanos() <= node.getEndEpochNanos(), "the call ends within its node");
    }
  }

  @Test
  void eachModelCallIsAChildSpanOfItsNodeWithModelTokensAndOutcome(Vertx vertx, VertxTestContext ctx) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    GraphloopTracing.install(vertx, sdk(exporter));
    FakeChatServer.start(vertx, 0).compose(model -> GraphRuntime.deploy(vertx, AgentExample.graph(
            new OpenAiOptions().setBaseUrl(model.baseUrl()).setModel("fake-1"))))
        .compose(runtime -> runtime.client().invoke(Map.of("messages", List.of(Message.human("What is 6 times 7?")))))
        .compose(state -> spansOnceEnded(vertx, exporter, "run agent"))
        .onComplete(ctx.succeeding(spans -> ctx.verify(() -> {
          assertModelSpans(spans);
          ctx.completeNow();
        })));
  }

  @Test
  void aStreamedModelCallIsTracedTheSame(Vertx vertx, VertxTestContext ctx) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    GraphloopTracing.install(vertx, sdk(exporter));
    FakeChatServer.start(vertx, 0).compose(model -> GraphRuntime.deploy(vertx, AgentExample.graph(
            new OpenAiOptions().setBaseUrl(model.baseUrl()).setModel("fake-1"))))
        .compose(runtime -> {
          Promise<Integer> done = Promise.promise();
          int[] chunks = {0};
          RunEventStream stream = runtime.client().stream(Map.of("messages",
              List.of(Message.human("What is 6 times 7?"))), new RunOptions(), StreamMode.MESSAGES);
          stream.handler(event -> chunks[0]++);
          stream.exceptionHandler(done::tryFail);
          stream.endHandler(v -> done.tryComplete(chunks[0]));
          return done.future();
        })
        .compose(chunks -> spansOnceEnded(vertx, exporter, "run agent").map(spans -> {
          assertTrue(chunks > 4, "the answer was streamed: " + chunks);
          return spans;
        }))
        .onComplete(ctx.succeeding(spans -> ctx.verify(() -> {
          assertModelSpans(spans);
          ctx.completeNow();
        })));
  }

  @Test
  void aFailedModelCallIsAnErrorSpan(Vertx vertx, VertxTestContext ctx) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    GraphloopTracing.install(vertx, sdk(exporter));
    FakeChatServer.start(vertx, 0).compose(model -> {
      model.enqueue(FakeReply.error(400, "bad request from the test", Map.of()));
      return GraphRuntime.deploy(vertx, AgentExample.graph(new OpenAiOptions().setBaseUrl(model.baseUrl())
          .setModel("fake-1")));
    }).compose(runtime -> runtime.client().invoke(Map.of("messages", List.of(Message.human("hello"))))
            .transform(ran -> ran.succeeded() ? Future.failedFuture("the run should fail")
                : spansOnceEnded(vertx, exporter, "run agent")))
        .onComplete(ctx.succeeding(spans -> ctx.verify(() -> {
          List<SpanData> chats = named(spans, "chat fake-1");
          assertEquals(1, chats.size(), "a 400 is not retried: " + spans);
          SpanData chat = chats.get(0);
          assertEquals("failure", chat.getAttributes().get(OUTCOME));
          assertEquals(StatusCode.ERROR, chat.getStatus().getStatusCode());
          assertTrue(chat.getEvents().stream().anyMatch(e -> e.getName().equals("exception")), chat.toString());
          SpanData node = byId(spans, chat.getParentSpanId());
          assertEquals("node agent", node.getName());
          assertEquals("failure", node.getAttributes().get(OUTCOME));
          ctx.completeNow();
        })));
  }

  @Test
  void aSubgraphsRunAndNodesAreTracedUnderTheSubgraphNodesSpan(Vertx vertx, VertxTestContext ctx) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    GraphloopTracing.install(vertx, sdk(exporter));
    StateGraph child = new StateGraph("traced-child")
        .addNode("a", state -> Future.succeededFuture(Map.of("a", 1)))
        .addNode("b", state -> Future.succeededFuture(Map.of("b", 2)))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END);
    StateGraph parent = new StateGraph("traced-parent")
        .addNode("before", state -> Future.succeededFuture(Map.of("p", 0)))
        .addSubgraph("sub", child.compile())
        .addEdge(START, "before").addEdge("before", "sub").addEdge("sub", END);
    GraphRuntime.deploy(vertx, parent.compile())
        .compose(runtime -> runtime.client().invoke(Map.of()).compose(state -> spansOnceEnded(vertx, exporter,
            "run traced-parent").map(spans -> Map.entry(state, spans))))
        .onComplete(ctx.succeeding(ran -> ctx.verify(() -> {
          assertEquals(Map.of("p", 0), ran.getKey().asMap(), "the child's keys are not the parent's");
          List<SpanData> spans = ran.getValue();
          SpanData run = named(spans, "run traced-parent").get(0);
          SpanData sub = named(spans, "node sub").get(0);
          assertEquals(run.getSpanId(), sub.getParentSpanId());
          List<SpanData> childRuns = named(spans, "run traced-child");
          assertEquals(1, childRuns.size(), spans.toString());
          SpanData childRun = childRuns.get(0);
          assertEquals(sub.getSpanId(), childRun.getParentSpanId(), "the child run is traced under the node's span");
          assertEquals("success", childRun.getAttributes().get(OUTCOME));
          for (String node : List.of("node a", "node b")) {
            SpanData span = named(spans, node).get(0);
            assertEquals(childRun.getSpanId(), span.getParentSpanId(), node + " under the child run's span");
            assertEquals(run.getTraceId(), span.getTraceId(), node + " in the parent run's trace");
            assertTrue(span.getStartEpochNanos() >= sub.getStartEpochNanos()
                && span.getEndEpochNanos() <= sub.getEndEpochNanos(), node + " within the subgraph node's span");
          }
          assertEquals(1, spans.stream().map(SpanData::getTraceId).distinct().count(), "one trace");
          ctx.completeNow();
        })));
  }

  @Test
  void aRunGivenATraceParentOpensUnderIt(Vertx vertx, VertxTestContext ctx) {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    GraphloopTracing.install(vertx, sdk(exporter));
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String spanId = "00f067aa0ba902b7";
    StateGraph graph = new StateGraph("given-parent").addNode("x", state -> Future.succeededFuture(Map.of("x", 1)))
        .addEdge(START, "x").addEdge("x", END);
    GraphRuntime.deploy(vertx, graph.compile())
        .compose(runtime -> runtime.client().invoke(Map.of(),
            new RunOptions().setTraceParent("00-" + traceId + "-" + spanId + "-01")))
        .compose(state -> spansOnceEnded(vertx, exporter, "run given-parent"))
        .onComplete(ctx.succeeding(spans -> ctx.verify(() -> {
          SpanData run = named(spans, "run given-parent").get(0);
          assertEquals(traceId, run.getTraceId());
          assertEquals(spanId, run.getParentSpanId());
          ctx.completeNow();
        })));
  }

  @Test
  void aMalformedTraceParentIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new RunOptions().setTraceParent("00-xyz"));
    assertTrue(e.getMessage().contains("traceParent must be a W3C traceparent"), e.getMessage());
    assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", new RunOptions(new RunOptions()
        .setTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").toJson()).getTraceParent(),
        "carried in the options' JSON (to a coordinator on another JVM)");
  }
}
