package io.graphloop.ops;

import io.graphloop.support.PrometheusText;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every scrape of Graphloop's metrics must hold (issue 16's families, README "Operations"), for the tests that
 * scrape a real {@code serve} and an embedding app: each family with its Prometheus type, for a graph that has run;
 * and label sets that are bounded.
 */
public final class ScrapeChecks {

  /** Family (as its {@code # TYPE} line names it) and type, for every deployed graph. */
  public static final Map<String, String> GRAPH_FAMILIES = Map.ofEntries(
      Map.entry("graphloop_runs_started", "counter"),
      Map.entry("graphloop_runs_ended", "counter"),
      Map.entry("graphloop_run_duration_seconds", "histogram"),
      Map.entry("graphloop_runs_in_flight", "gauge"),
      Map.entry("graphloop_node_executions", "counter"),
      Map.entry("graphloop_node_duration_seconds", "histogram"),
      Map.entry("graphloop_node_failures", "counter"),
      Map.entry("graphloop_node_timeouts", "counter"),
      Map.entry("graphloop_node_retries", "counter"),
      Map.entry("graphloop_node_refusals", "counter"),
      Map.entry("graphloop_node_blocked_loop_reports", "counter"),
      Map.entry("graphloop_node_bulkhead_queued", "gauge"),
      Map.entry("graphloop_results_dropped", "counter"),
      Map.entry("graphloop_controls_refused", "counter"),
      Map.entry("graphloop_stream_buffered", "gauge"),
      Map.entry("graphloop_thread_runs_queued", "gauge"));

  /** The labels Graphloop's meters may carry (each from a bounded set); {@code le} is a histogram's bucket. */
  public static final Set<String> LABELS = Set.of("graph", "node", "outcome", "store", "kind", "reason", "le");

  /** A UUID: the form of run ids, of the server's thread ids and of the per-stream event-bus addresses. */
  private static final Pattern GENERATED_ID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
      + "[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private ScrapeChecks() {
  }

  /**
   * Every family of {@link #GRAPH_FAMILIES} has its type and samples for {@code graph}; with {@code store}, the
   * checkpoint save histogram too, labelled with that store type; Vert.x's event-bus and HTTP server metrics are
   * there.
   */
  public static void assertFamilies(PrometheusText scrape, String graph, String store) {
    for (Map.Entry<String, String> family : GRAPH_FAMILIES.entrySet()) {
      assertEquals(family.getValue(), scrape.type(family.getKey()), "type of " + family.getKey());
      String sample = family.getKey() + switch (family.getValue()) {
        case "counter" -> "_total";
        case "histogram" -> "_count";
        default -> "";
      };
      assertFalse(scrape.find(sample, Map.of("graph", graph)).isEmpty(), sample + " of graph " + graph);
    }
    if (store != null) {
      assertEquals("histogram", scrape.type("graphloop_checkpoint_save_duration_seconds"));
      assertFalse(scrape.find("graphloop_checkpoint_save_duration_seconds_count", Map.of("graph", graph,
          "store", store)).isEmpty(), "checkpoint saves of graph " + graph + " in store " + store);
    }
    assertTrue(scrape.hasPrefix("vertx_eventbus_"), "Vert.x's event-bus metrics alongside");
    assertTrue(scrape.hasPrefix("vertx_http_server_"), "Vert.x's HTTP server metrics alongside");
  }

  /**
   * Graphloop's samples carry only {@link #LABELS}, and no sample of any family has a label value that is one of
   * {@code ids} (run and thread ids seen by the test) or holds a UUID (a per-run or per-stream value).
   */
  public static void assertBoundedLabels(PrometheusText scrape, Collection<String> ids) {
    List<PrometheusText.Sample> samples = scrape.samples();
    assertFalse(samples.isEmpty());
    for (PrometheusText.Sample sample : samples) {
      if (sample.name().startsWith("graphloop_")) {
        assertTrue(LABELS.containsAll(sample.labels().keySet()), "bounded label names: " + sample);
      }
      for (String value : sample.labels().values()) {
        assertFalse(GENERATED_ID.matcher(value).find() || ids.stream().anyMatch(value::contains),
            "no run, thread or other generated id as a label value: " + sample);
      }
    }
  }
}
