package io.graphloop.ops;

import io.graphloop.errors.MissingDependencyException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;

import java.time.Duration;

/**
 * The OpenTelemetry SDK {@code serve} and {@code member} trace with when {@link TracingOptions#isEnabled}: spans
 * batched (at most {@code maxQueuedSpans} held) and exported over OTLP/HTTP to {@code otlpEndpoint}, runs sampled at
 * {@code sampleRatio} unless their caller's trace decided, W3C trace context on the wire.
 *
 * <p>Thread rules: static; the SDK it builds is thread-safe.
 */
final class OtlpTracing {

  private OtlpTracing() {
  }

  /**
   * Checks that the optional tracing dependencies are on the classpath.
   *
   * @throws MissingDependencyException naming the missing artifact
   */
  static void requireAvailable() {
    MissingDependencyException.require("io.opentelemetry.sdk.OpenTelemetrySdk", "io.opentelemetry:opentelemetry-sdk",
        "Tracing");
    MissingDependencyException.require("io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter",
        "io.opentelemetry:opentelemetry-exporter-otlp", "Tracing");
    MissingDependencyException.require("io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory",
        "io.vertx:vertx-opentelemetry", "Tracing");
  }

  /** A new SDK exporting to the options' endpoint; shut it down to flush. */
  static OpenTelemetrySdk sdk(TracingOptions options) {
    requireAvailable();
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(options.getOtlpEndpoint())
        .setTimeout(Duration.ofMillis(options.getExportTimeoutMs())).build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), options.getServiceName()))))
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(options.getSampleRatio())))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setMaxQueueSize(options.getMaxQueuedSpans())
            .setMaxExportBatchSize(Math.min(512, options.getMaxQueuedSpans()))
            .setExporterTimeout(Duration.ofMillis(options.getExportTimeoutMs())).build())
        .build();
    return OpenTelemetrySdk.builder().setTracerProvider(provider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
  }
}
