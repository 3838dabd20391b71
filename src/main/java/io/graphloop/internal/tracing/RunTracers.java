package io.graphloop.internal.tracing;

import io.vertx.core.Vertx;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@link RunTracer} installed on each Vert.x instance ({@code GraphloopTracing.install}); graph deployments read
 * it when they start. Weakly keyed: a closed, unreachable Vert.x drops its tracer.
 *
 * <p>Thread rules: thread-safe.
 */
public final class RunTracers {

  private static final Map<Vertx, RunTracer> INSTALLED = Collections.synchronizedMap(new WeakHashMap<>());

  private RunTracers() {
  }

  /** Installs {@code tracer} for the graphs deployed on {@code vertx} from now on ({@code null}: none). */
  public static void install(Vertx vertx, RunTracer tracer) {
    if (tracer == null) {
      INSTALLED.remove(vertx);
    } else {
      INSTALLED.put(vertx, tracer);
    }
  }

  /** The tracer installed on {@code vertx}, or {@link RunTracer#NONE}. */
  public static RunTracer of(Vertx vertx) {
    RunTracer tracer = INSTALLED.get(vertx);
    return tracer == null ? RunTracer.NONE : tracer;
  }
}
