package io.graphloop.ops;

import io.graphloop.internal.tracing.NodeTrace;
import io.graphloop.internal.tracing.RunTrace;
import io.graphloop.internal.tracing.RunTracer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link GraphloopTracing}'s {@link RunTracer}: OpenTelemetry spans for runs, node executions, checkpoint saves and the
 * spans node code opens, with the run's context carried to the nodes in event-bus headers. Package-private: the
 * runtime reaches it through the internal {@link RunTracer} interface, users through {@link GraphloopTracing}.
 *
 * <p>Thread rules: thread-safe; spans are ended from the thread that ends what they time.
 */
final class OtelRunTracer implements RunTracer {

  /** The event-bus header prefix of the run's trace context ({@code graphloop-traceparent}, ...). */
  static final String HEADER_PREFIX = "graphloop-";

  static final AttributeKey<String> GRAPH = AttributeKey.stringKey("graphloop.graph");
  static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("graphloop.run.id");
  static final AttributeKey<String> THREAD_ID = AttributeKey.stringKey("graphloop.thread.id");
  static final AttributeKey<String> NODE = AttributeKey.stringKey("graphloop.node");
  static final AttributeKey<Long> STEP = AttributeKey.longKey("graphloop.step");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("graphloop.attempt");
  static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("graphloop.outcome");
  static final AttributeKey<String> KIND = AttributeKey.stringKey("graphloop.checkpoint.kind");

  private static final W3CTraceContextPropagator PROPAGATOR = W3CTraceContextPropagator.getInstance();

  private static final TextMapSetter<MultiMap> SETTER = (headers, key, value) -> headers.set(HEADER_PREFIX + key,
      value);

  private static final TextMapGetter<MultiMap> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(MultiMap headers) {
      List<String> keys = new ArrayList<>();
      for (String name : headers.names()) {
        if (name.startsWith(HEADER_PREFIX)) {
          keys.add(name.substring(HEADER_PREFIX.length()));
        }
      }
      return keys;
    }

    @Override
    public String get(MultiMap headers, String key) {
      return headers == null ? null : headers.get(HEADER_PREFIX + key);
    }
  };

  private static final TextMapGetter<java.util.Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(java.util.Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(java.util.Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  /** How many graphs' run span names are kept ({@link #runSpanName}); past it each run builds its own. */
  static final int MAX_SPAN_NAMES = 1024;

  private final Tracer tracer;
  /** {@code "run <graph>"} per graph, so a run does not build its span's name. */
  private final java.util.Map<String, String> runSpanNames = new java.util.concurrent.ConcurrentHashMap<>();

  /** Traces with {@code openTelemetry}'s tracer provider (its sampler decides which runs are traced). */
  OtelRunTracer(OpenTelemetry openTelemetry) {
    this.tracer = openTelemetry.getTracer(GraphloopTracing.SCOPE);
  }

  @Override
  public RunTrace startRun(String graph, String runId, String threadId, String traceParent) {
    Context parent = Context.current();
    if (traceParent != null) {
      Context given = PROPAGATOR.extract(Context.root(), java.util.Map.of("traceparent", traceParent), MAP_GETTER);
      if (Span.fromContext(given).getSpanContext().isValid()) {
        parent = given;
      }
    }
    // the attributes are set once the sampler said yes: an unsampled run (the usual case with a ratio below 1) then
    // builds no attribute map and no span name (a sampler sees the name, "run <graph>", and the parent)
    Span span = tracer.spanBuilder(runSpanName(graph)).setSpanKind(SpanKind.INTERNAL).setParent(parent).startSpan();
    if (!span.getSpanContext().isSampled()) {
      span.end(); // not recorded: nothing is exported, nothing is carried to the nodes
      return RunTrace.NONE;
    }
    span.setAttribute(GRAPH, graph).setAttribute(RUN_ID, runId);
    if (threadId != null) {
      span.setAttribute(THREAD_ID, threadId);
    }
    return new Run(span, graph);
  }

  /** {@code "run <graph>"}, kept for up to {@link #MAX_SPAN_NAMES} graphs. */
  private String runSpanName(String graph) {
    String name = runSpanNames.get(graph);
    if (name == null) {
      name = "run " + graph;
      if (runSpanNames.size() < MAX_SPAN_NAMES) {
        runSpanNames.putIfAbsent(graph, name);
      }
    }
    return name;
  }

  @Override
  public NodeTrace startNode(MultiMap headers, String graph, String node, String runId, int step, int attempt) {
    if (headers == null || headers.get(HEADER_PREFIX + "traceparent") == null) {
      return NodeTrace.NONE;
    }
    Context parent = PROPAGATOR.extract(Context.root(), headers, GETTER);
    if (!Span.fromContext(parent).getSpanContext().isValid()) {
      return NodeTrace.NONE; // a malformed header: no span rather than a new trace
    }
    Span span = tracer.spanBuilder("node " + node).setSpanKind(SpanKind.INTERNAL).setParent(parent)
        .setAttribute(GRAPH, graph).setAttribute(NODE, node).setAttribute(RUN_ID, runId)
        .setAttribute(STEP, (long) step).setAttribute(ATTEMPT, (long) attempt).startSpan();
    return new NodeSpan(span);
  }

  /** A traced node execution: its span, its children (model calls, ...), its context for a subgraph's run. */
  private final class NodeSpan implements NodeTrace {
    private final Span span;

    NodeSpan(Span span) {
      this.span = span;
    }

    @Override
    public void end(String outcome, Throwable failure) {
      OtelRunTracer.end(span, outcome, failure);
    }

    @Override
    public io.graphloop.graph.TraceSpan child(String name) {
      return new ChildSpan(tracer.spanBuilder(name).setSpanKind(SpanKind.CLIENT)
          .setParent(Context.root().with(span)).startSpan());
    }

    @Override
    public String traceParent() {
      java.util.Map<String, String> carrier = new java.util.HashMap<>(2);
      PROPAGATOR.inject(Context.root().with(span), carrier, (map, key, value) -> map.put(key, value));
      return carrier.get("traceparent");
    }
  }

  /** A span a node opened under its own ({@code NodeContext.startSpan}). */
  private static final class ChildSpan implements io.graphloop.graph.TraceSpan {
    private final Span span;

    ChildSpan(Span span) {
      this.span = span;
    }

    @Override
    public io.graphloop.graph.TraceSpan setAttribute(String key, String value) {
      if (value != null) {
        span.setAttribute(key, value);
      }
      return this;
    }

    @Override
    public io.graphloop.graph.TraceSpan setAttribute(String key, long value) {
      span.setAttribute(key, value);
      return this;
    }

    @Override
    public void end(Throwable failure) {
      if (failure != null) {
        span.recordException(failure);
        span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
      }
      span.end();
    }
  }

  private static void end(Span span, String outcome, Throwable failure) {
    span.setAttribute(OUTCOME, outcome);
    if (failure != null) {
      span.recordException(failure);
      span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
    }
    span.end();
  }

  /** A traced run: its span, and the headers that carry it to the nodes. */
  private final class Run implements RunTrace {
    private final Span span;
    private final Context context;
    private final MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    private final String graph;

    Run(Span span, String graph) {
      this.span = span;
      this.graph = graph;
      this.context = Context.root().with(span);
      PROPAGATOR.inject(context, headers, SETTER);
    }

    @Override
    public MultiMap nodeHeaders() {
      return headers;
    }

    @Override
    public SpanEnd save(String kind) {
      Span save = tracer.spanBuilder("checkpoint save").setSpanKind(SpanKind.INTERNAL).setParent(context)
          .setAttribute(GRAPH, graph).setAttribute(KIND, kind).startSpan();
      return failure -> {
        if (failure != null) {
          save.recordException(failure);
          save.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }
        save.end();
      };
    }

    @Override
    public void end(String outcome, Throwable failure) {
      OtelRunTracer.end(span, outcome, "interrupted".equals(outcome) ? null : failure);
    }
  }
}
