package io.graphloop.bench;

import io.vertx.core.json.JsonObject;
import org.bsc.langgraph4j.CompileConfig;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.checkpoint.MemorySaver;
import org.bsc.langgraph4j.state.AgentState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.bsc.langgraph4j.StateGraph.END;
import static org.bsc.langgraph4j.StateGraph.START;
import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

/**
 * The checkpointed chain: chain 100 on a thread, a checkpoint stored at every step, one run after another (see
 * {@link CheckpointedRuns}), with one store and one or more durability modes. Warm-up: the settings' warm-up time,
 * shared by the modes; then each measured iteration runs every mode once, in turn, so drift hits them alike. Metrics
 * {@code us_per_step_<mode>} (time per run / 100) and {@code ms_per_run_<mode>}.
 *
 * <p>LangGraph4j is measured on the memory store only, with its {@code MemorySaver} (a checkpoint per step, kept in
 * memory, released after each run, untimed); {@code langgraph4j-core} has no SQLite or PostgreSQL saver and no
 * durability modes.
 */
final class CheckpointedChainWorkload implements Measurer {

  private final String store;
  private final List<String> modes;

  CheckpointedChainWorkload(String store, List<String> modes) {
    this.store = store;
    this.modes = List.copyOf(modes);
  }

  @Override
  public JsonObject measure(SystemAdapter system, GraphShape shape, Settings settings, PeakSampler peaks)
      throws Exception {
    if (system instanceof LangGraph4jAdapter) {
      if (!store.equals("memory")) {
        throw new SystemAdapter.UnsupportedShapeException("langgraph4j-core's checkpoint savers are MemorySaver and "
            + "FileSystemSaver: it has no " + store + " saver (and no durability modes)", null);
      }
      return langGraph4j(shape, settings, peaks);
    }
    try (CheckpointedRuns runs = CheckpointedRuns.open(store, shape)) {
      JsonObject metrics = new JsonObject().put("store", runs.storeDescription());
      for (String mode : modes) {
        Measurer.addFailures(metrics, runs.sequential(mode, settings.warmupMs() / modes.size()));
      }
      peaks.reset();
      Map<String, List<Double>> perStep = new LinkedHashMap<>();
      Map<String, List<Double>> perRun = new LinkedHashMap<>();
      long measured = 0;
      for (int i = 0; i < settings.iterations(); i++) {
        for (String mode : modes) {
          Batch batch = runs.sequential(mode, settings.iterationMs());
          Measurer.addFailures(metrics, batch);
          measured += batch.runs();
          perStep.computeIfAbsent(mode, m -> new ArrayList<>()).add(batch.nanosPerRun() / 1e3 / shape.size());
          perRun.computeIfAbsent(mode, m -> new ArrayList<>()).add(batch.nanosPerRun() / 1e6);
        }
      }
      for (String mode : modes) {
        metrics.put("us_per_step_" + mode, Stats.summary(perStep.get(mode)))
            .put("ms_per_run_" + mode, Stats.summary(perRun.get(mode)));
      }
      return metrics.put("measuredRuns", measured);
    }
  }

  /** LangGraph4j's chain with a MemorySaver, runs one after another on this thread, each on its own thread id. */
  private static JsonObject langGraph4j(GraphShape shape, Settings settings, PeakSampler peaks) throws Exception {
    StateGraph<AgentState> chain = new StateGraph<>(AgentState::new);
    for (int i = 0; i < shape.size(); i++) {
      chain.addNode("n" + i, node_async(state -> Map.of("count", state.<Integer>value("count").orElse(0) + 1)));
      chain.addEdge(i == 0 ? START : "n" + (i - 1), "n" + i);
    }
    chain.addEdge("n" + (shape.size() - 1), END);
    MemorySaver saver = new MemorySaver();
    CompiledGraph<AgentState> graph = chain.compile(CompileConfig.builder().checkpointSaver(saver)
        .recursionLimit(2 * shape.size() + 10).build());
    JsonObject metrics = new JsonObject().put("store", "MemorySaver");
    long[] thread = {0};
    Measurer.addFailures(metrics, lg4jBatch(graph, saver, shape, settings.warmupMs(), thread));
    peaks.reset();
    List<Double> perStep = new ArrayList<>();
    List<Double> perRun = new ArrayList<>();
    long measured = 0;
    for (int i = 0; i < settings.iterations(); i++) {
      Batch batch = lg4jBatch(graph, saver, shape, settings.iterationMs(), thread);
      Measurer.addFailures(metrics, batch);
      measured += batch.runs();
      perStep.add(batch.nanosPerRun() / 1e3 / shape.size());
      perRun.add(batch.nanosPerRun() / 1e6);
    }
    return metrics.put("us_per_step_sync", Stats.summary(perStep)).put("ms_per_run_sync", Stats.summary(perRun))
        .put("measuredRuns", measured);
  }

  private static Batch lg4jBatch(CompiledGraph<AgentState> graph, MemorySaver saver, GraphShape shape,
                                 long durationMs, long[] thread) throws Exception {
    long deadline = System.nanoTime() + durationMs * 1_000_000;
    long runs = 0;
    long failures = 0;
    long timed = 0;
    String firstError = null;
    do {
      RunnableConfig config = RunnableConfig.builder().threadId("bench-" + thread[0]++).build();
      long started = System.nanoTime();
      String problem;
      try {
        Optional<AgentState> result = graph.invoke(Map.of("count", 0), config);
        problem = result.isPresent() && Integer.valueOf(shape.size()).equals(result.get().value("count").orElse(null))
            ? null : "wrong final state " + result.map(AgentState::data).orElse(null);
      } catch (RuntimeException e) {
        problem = String.valueOf(e);
      }
      timed += System.nanoTime() - started;
      runs++;
      if (problem != null) {
        failures++;
        firstError = firstError == null ? problem : firstError;
      }
      saver.release(config);
    } while (System.nanoTime() < deadline);
    return new Batch(runs, failures, timed, firstError);
  }
}
