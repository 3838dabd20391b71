package io.graphloop.bench;

import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * The child JVM of one measurement: {@code ChildMain <system> <workload> <settings JSON>}. Builds the
 * system's graph, measures, and prints one line {@code BENCH-RESULT {json}} on stdout (everything else
 * goes to stderr, which the parent keeps as the measurement's log). Exits 0 even when the workload
 * failed or could not be expressed: the JSON says so.
 */
public final class ChildMain {

  /** The prefix of the result line. */
  static final String RESULT_PREFIX = "BENCH-RESULT ";

  private ChildMain() {
  }

  public static void main(String[] args) throws Exception {
    String systemName = args[0];
    Workload workload = Workload.byId(args[1]);
    Settings settings = Settings.fromJson(new JsonObject(args[2]));
    JsonObject result = new JsonObject().put("system", systemName).put("workload", workload.id());
    GraphShape shape = workload.shape(settings);
    try (PeakSampler peaks = new PeakSampler(); SystemAdapter system = adapter(systemName, settings, shape, workload)) {
      result.put("version", system.version()).put("driving", system.drivingNotes());
      try {
        system.prepare(shape);
        JsonObject metrics = workload.measurer().measure(system, shape, settings, peaks)
            .put("gcMs", peaks.gcMillisSinceReset());
        result.put("metrics", metrics)
            .put("peakHeapMb", peaks.peakHeapMb())
            .put("peakThreads", peaks.peakThreads())
            .put("peakRssMb", peaks.peakRssMb());
      } catch (SystemAdapter.UnsupportedShapeException e) {
        result.put("unsupported", e.getMessage());
      }
    } catch (Throwable t) {
      StringWriter trace = new StringWriter();
      t.printStackTrace(new PrintWriter(trace));
      System.err.println(trace);
      result.put("error", String.valueOf(t));
    }
    emit(result);
    System.exit(0);
  }

  private static SystemAdapter adapter(String name, Settings settings, GraphShape shape, Workload workload)
      throws Exception {
    switch (name) {
      case "graphloop":
        return shape.remote() ? new GraphloopAdapter(settings, RemoteNodes.start(shape.remoteGraph(), workload.id()))
            : new GraphloopAdapter(settings);
      case "langgraph4j":
        return new LangGraph4jAdapter(settings);
      default:
        throw new IllegalArgumentException("unknown system '" + name + "' (graphloop, langgraph4j)");
    }
  }

  private static void emit(JsonObject result) {
    System.out.println(RESULT_PREFIX + result.encode());
    System.out.flush();
  }
}
