package io.graphloop.ops;

import io.graphloop.internal.tracing.RunTracers;
import io.opentelemetry.api.OpenTelemetry;
import io.vertx.core.Vertx;

/**
 * Traces Graphloop's runs with OpenTelemetry: a span per run ({@code run <graph>}) on its coordinator, a child span
 * per node execution ({@code node <name>}, with its step, attempt and outcome) wherever the node runs, a child span
 * per checkpoint save ({@code checkpoint save}, kind {@code checkpoint} or {@code writes}), and under a node's span
 * the spans its code opens ({@code NodeContext.startSpan}): one per chat-model call of {@code OpenAiChatModel}
 * ({@code chat <model>}, OpenTelemetry's GenAI attributes: model, input and output tokens, and the outcome). A
 * subgraph node's child run is traced under the node's span ({@code RunOptions.setTraceParent}), so the subgraph's
 * run span and its nodes' spans sit inside the node that ran it. The run span's
 * context travels to the nodes in the event-bus headers of their requests ({@code graphloop-traceparent}, W3C trace
 * context), so a run's trace continues on the worker JVMs of a cluster when they trace too. The run span's parent is
 * the context current where the coordinator receives the run: with Vert.x's own tracing
 * ({@code OpenTelemetryTracingFactory} of vertx-opentelemetry) that is the event-bus message's, under the HTTP
 * request that sent the run.
 *
 * <pre>{@code
 * OpenTelemetrySdk otel = ...;                       // your SDK: exporter, sampler, resource
 * Vertx vertx = Vertx.builder().withTracer(new OpenTelemetryTracingFactory(otel)).build(); // HTTP + bus spans
 * GraphloopTracing.install(vertx, otel);             // before deploying graphs on this Vert.x
 * GraphRuntime.deploy(vertx, graph);
 * }</pre>
 *
 * <p>Without it nothing is traced and no OpenTelemetry class is loaded by the runtime. Unsampled runs (the sampler
 * said no) carry no headers and open no node spans. {@code serve} and {@code member} install it from the
 * {@code tracing} field of the {@code ops} configuration ({@link TracingOptions}).
 *
 * <p>Thread rules: {@link #install} and {@link #uninstall} may be called from any thread; spans are ended from the
 * thread that ends what they time.
 */
public final class GraphloopTracing {

  /** The instrumentation scope's name. */
  public static final String SCOPE = "io.graphloop";

  private GraphloopTracing() {
  }

  /** Traces the graphs deployed on {@code vertx} from now on with {@code openTelemetry}. */
  public static void install(Vertx vertx, OpenTelemetry openTelemetry) {
    RunTracers.install(vertx, new OtelRunTracer(openTelemetry));
  }

  /** Stops tracing the graphs deployed on {@code vertx} from now on (deployed ones keep their tracer). */
  public static void uninstall(Vertx vertx) {
    RunTracers.install(vertx, null);
  }
}
