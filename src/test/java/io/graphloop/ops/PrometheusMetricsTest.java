package io.graphloop.ops;

import io.graphloop.support.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link PrometheusMetrics#vertxBuilder}: two Vert.x instances in one JVM, each on its own registry, each send their
 * own metrics to their own registry (vertx-micrometer-metrics keeps one backend per registry name, JVM-wide: under
 * its default name the second instance's metrics went to the first one's registry).
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class PrometheusMetricsTest {

  @Test
  void twoVertxOnTwoRegistriesEachMeterIntoItsOwn(VertxTestContext ctx) {
    PrometheusMeterRegistry firstRegistry = PrometheusMetrics.registry();
    PrometheusMeterRegistry secondRegistry = PrometheusMetrics.registry();
    Vertx first = PrometheusMetrics.vertxBuilder(new VertxOptions(), firstRegistry).build();
    Vertx second = PrometheusMetrics.vertxBuilder(new VertxOptions(), secondRegistry).build();
    WorkerExecutor firstPool = first.createSharedWorkerExecutor("pool-of-the-first", 1);
    WorkerExecutor secondPool = second.createSharedWorkerExecutor("pool-of-the-second", 1);
    Future.all(firstPool.executeBlocking(() -> 1), secondPool.executeBlocking(() -> 2))
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          assertEquals(List.of("pool-of-the-first"), workerPools(firstRegistry));
          assertEquals(List.of("pool-of-the-second"), workerPools(secondRegistry));
          first.close().compose(c -> second.close()).onComplete(ctx.succeedingThenComplete()); // and their pools
        })));
  }

  /** The named worker pools (not Vert.x's default ones) a registry has metrics of. */
  private static List<String> workerPools(PrometheusMeterRegistry registry) {
    return new PrometheusText(registry.scrape()).labelValues("vertx_pool_completed_total", "pool_name").stream()
        .filter(name -> name.startsWith("pool-of-")).toList();
  }
}
