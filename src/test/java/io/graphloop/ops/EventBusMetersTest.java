package io.graphloop.ops;

import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.support.PrometheusText;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EventBusMeters} through {@link PrometheusMetrics#vertxBuilder}: the same {@code vertx_eventbus_*} families and
 * counts as Vert.x's own event-bus metrics (vertx-micrometer-metrics) for the same traffic, which series exist (every
 * one from the start, by side or failure kind, never by address) and which do not, that runs of a graph add no
 * series, and that two Vert.x instances on one registry add up.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
class EventBusMetersTest {

  private static final Pattern TYPE = Pattern.compile("^# TYPE (vertx_eventbus_\\w+) (\\w+)$", Pattern.MULTILINE);

  /** Every event-bus series EventBusMeters registers, as name{labels}: there before any message, and no other. */
  private static final Set<String> SERIES = Set.of(
      "vertx_eventbus_handlers{}",
      "vertx_eventbus_pending{side=local}", "vertx_eventbus_pending{side=remote}",
      "vertx_eventbus_published_total{side=local}", "vertx_eventbus_published_total{side=remote}",
      "vertx_eventbus_sent_total{side=local}", "vertx_eventbus_sent_total{side=remote}",
      "vertx_eventbus_received_total{side=local}", "vertx_eventbus_received_total{side=remote}",
      "vertx_eventbus_delivered_total{side=local}", "vertx_eventbus_delivered_total{side=remote}",
      "vertx_eventbus_processed_total{side=local}", "vertx_eventbus_processed_total{side=remote}",
      "vertx_eventbus_discarded_total{side=local}", "vertx_eventbus_discarded_total{side=remote}",
      "vertx_eventbus_reply_failures_total{failure=TIMEOUT}",
      "vertx_eventbus_reply_failures_total{failure=NO_HANDLERS}",
      "vertx_eventbus_reply_failures_total{failure=RECIPIENT_FAILURE}",
      "vertx_eventbus_reply_failures_total{failure=ERROR}",
      "vertx_eventbus_bytes_written_count{}", "vertx_eventbus_bytes_written_sum{}",
      "vertx_eventbus_bytes_written_max{}",
      "vertx_eventbus_bytes_read_count{}", "vertx_eventbus_bytes_read_sum{}", "vertx_eventbus_bytes_read_max{}");

  @Test
  void theSameFamiliesAndCountsAsVertxOwnEventBusMetrics(VertxTestContext ctx) {
    PrometheusMeterRegistry vertxOwn = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Vertx plain = Vertx.builder().with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true))).withMetrics(new MicrometerMetricsFactory(vertxOwn)).build();
    PrometheusMeterRegistry ours = PrometheusMetrics.registry();
    Vertx metered = PrometheusMetrics.vertxBuilder(new VertxOptions(), ours).build();
    assertEquals(SERIES, series(new PrometheusText(ours.scrape())), "every series from the start, at zero");
    traffic(plain).compose(v -> traffic(metered)).onComplete(ctx.succeeding(v -> ctx.verify(() -> {
      PrometheusText theirs = new PrometheusText(vertxOwn.scrape());
      PrometheusText mine = new PrometheusText(ours.scrape());
      Map<String, String> theirFamilies = families(vertxOwn.scrape());
      Map<String, String> myFamilies = families(ours.scrape());
      assertTrue(theirFamilies.size() >= 8, "Vert.x's own families: " + theirFamilies);
      for (Map.Entry<String, String> family : theirFamilies.entrySet()) {
        assertEquals(family.getValue(), myFamilies.get(family.getKey()), "family " + family.getKey());
      }
      for (String name : List.of("vertx_eventbus_sent_total", "vertx_eventbus_published_total",
          "vertx_eventbus_received_total", "vertx_eventbus_delivered_total", "vertx_eventbus_processed_total",
          "vertx_eventbus_pending")) {
        assertEquals(theirs.value(name, Map.of("side", "local")), mine.value(name, Map.of("side", "local")), name);
      }
      assertEquals(theirs.value("vertx_eventbus_handlers", Map.of()), mine.value("vertx_eventbus_handlers",
          Map.of()), "handlers");
      assertEquals(3, mine.value("vertx_eventbus_handlers", Map.of()), "three registered, one of four unregistered");
      assertEquals(theirs.value("vertx_eventbus_reply_failures_total", Map.of()),
          mine.find("vertx_eventbus_reply_failures_total", Map.of()).stream()
              .mapToDouble(PrometheusText.Sample::value).sum(), "reply failures");
      assertEquals(1, mine.value("vertx_eventbus_reply_failures_total", Map.of("failure", "NO_HANDLERS")));
      assertEquals(1, mine.value("vertx_eventbus_reply_failures_total", Map.of("failure", "RECIPIENT_FAILURE")));
      assertEquals(1, mine.value("vertx_eventbus_published_total", Map.of("side", "local")), "one publish");
      assertEquals(4, mine.value("vertx_eventbus_sent_total", Map.of("side", "local")),
          "a send and three requests (the replies go to Vert.x's own __vertx. addresses, not counted)");
      assertEquals(SERIES, series(mine), "no series added by traffic, none by address");
      plain.close().compose(c -> metered.close()).onComplete(ctx.succeedingThenComplete());
    })));
  }

  /**
   * One publish to two handlers, a send, a request answered, a request failed by its recipient, a request to no
   * handler; then one of the handlers unregistered. Completes when every message has been handled.
   */
  private static Future<Void> traffic(Vertx vertx) {
    EventBus bus = vertx.eventBus();
    Promise<Void> published = Promise.promise();
    Promise<Void> sent = Promise.promise();
    int[] deliveries = {0};
    List<MessageConsumer<?>> consumers = new ArrayList<>();
    consumers.add(bus.consumer("demo.b", m -> {
      if (++deliveries[0] == 2) {
        published.complete();
      }
    }));
    consumers.add(bus.consumer("demo.b", m -> {
      if (++deliveries[0] == 2) {
        published.complete();
      }
    }));
    consumers.add(bus.consumer("demo.a", m -> {
      if (m.replyAddress() == null) {
        sent.complete();
      } else {
        m.reply("ok");
      }
    }));
    consumers.add(bus.consumer("demo.fail", m -> m.fail(7, "refused")));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).compose(ready -> {
      bus.publish("demo.b", "hello");
      bus.send("demo.a", "hello");
      Future<?> answered = bus.request("demo.a", "question");
      Future<?> refused = bus.request("demo.fail", "question").recover(failure -> Future.succeededFuture());
      Future<?> nobody = bus.request("demo.nobody", "question").recover(failure -> Future.succeededFuture());
      return Future.all(published.future(), sent.future(), answered, refused, nobody);
    }).compose(done -> consumers.get(0).unregister())
        .compose(done -> vertx.timer(10)).mapEmpty(); // Vert.x counts a reply failure after failing its request
  }

  @Test
  void runsOfAGraphAddNoSeriesAndNoAddressLabel(VertxTestContext ctx) {
    PrometheusMeterRegistry registry = PrometheusMetrics.registry();
    Vertx vertx = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();
    StateGraph chain = new StateGraph("bus-chain")
        .addNode("a", state -> Future.succeededFuture(Map.of("a", 1)))
        .addNode("b", state -> Future.succeededFuture(Map.of("b", 2)))
        .addEdge(START, "a").addEdge("a", "b").addEdge("b", END);
    double[] sentBefore = new double[1];
    GraphRuntime.deploy(vertx, chain.compile()).compose(runtime -> {
      GraphloopMeters.bind(registry, runtime);
      sentBefore[0] = new PrometheusText(registry.scrape()).value("vertx_eventbus_sent_total", Map.of("side",
          "local"));
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        runs.add(runtime.client().invoke(Map.of("i", i)));
      }
      List<Future<?>> streamed = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        streamed.add(runtime.client().stream(Map.of("i", i), new RunOptions(), StreamMode.UPDATES)
            .collect(Collectors.toList()));
      }
      return Future.all(runs).compose(done -> Future.all(streamed));
    }).onComplete(ctx.succeeding(done -> ctx.verify(() -> {
      PrometheusText scrape = new PrometheusText(registry.scrape());
      assertEquals(SERIES, series(scrape), "the same series after 25 runs, 5 of them streamed (per-run addresses)");
      assertTrue(scrape.value("vertx_eventbus_sent_total", Map.of("side", "local")) >= sentBefore[0] + 20,
          "the runs' messages are counted");
      assertEquals(20, scrape.value("graphloop_runs_ended_total", Map.of("graph", "bus-chain", "outcome",
          "success")) - 5);
      vertx.close().onComplete(ctx.succeedingThenComplete());
    })));
  }

  @Test
  void twoVertxOnOneRegistryAddUp(VertxTestContext ctx) {
    PrometheusMeterRegistry registry = PrometheusMetrics.registry();
    Vertx first = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();
    Vertx second = PrometheusMetrics.vertxBuilder(new VertxOptions(), registry).build();
    double before = new PrometheusText(registry.scrape()).value("vertx_eventbus_handlers", Map.of());
    Future.all(first.eventBus().consumer("x", m -> { }).completion(),
            second.eventBus().consumer("x", m -> { }).completion(),
            second.eventBus().consumer("y", m -> { }).completion())
        .onComplete(ctx.succeeding(done -> ctx.verify(() -> {
          PrometheusText scrape = new PrometheusText(registry.scrape());
          assertEquals(before + 3, scrape.value("vertx_eventbus_handlers", Map.of()));
          assertEquals(SERIES, series(scrape));
          first.close().compose(c -> second.close()).onComplete(ctx.succeedingThenComplete());
        })));
  }

  /** The {@code vertx_eventbus_} families of a scrape and their types. */
  private static Map<String, String> families(String text) {
    Map<String, String> families = new TreeMap<>();
    Matcher type = TYPE.matcher(text);
    while (type.find()) {
      families.put(type.group(1), type.group(2));
    }
    return families;
  }

  /** The {@code vertx_eventbus_} series of a scrape, as {@code name{label=value,...}}. */
  private static Set<String> series(PrometheusText scrape) {
    return scrape.samples().stream().filter(s -> s.name().startsWith("vertx_eventbus_"))
        .map(s -> s.name() + new TreeMap<>(s.labels()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(",", "{", "}")))
        .collect(Collectors.toSet());
  }
}
