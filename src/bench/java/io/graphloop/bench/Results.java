package io.graphloop.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The children's results, by workload and system; a measurement repeated in several child JVMs
 * (concurrency) is merged: the median of the repetitions' values, their min and max.
 *
 * <p>Not thread-safe; filled and read by the parent's main thread.
 */
final class Results {

  private final Map<String, List<JsonObject>> byKey = new LinkedHashMap<>();
  private final Map<String, String> skipped = new LinkedHashMap<>();

  private static String key(Workload workload, String system) {
    return workload.id() + "/" + system;
  }

  void add(Workload workload, String system, JsonObject result) {
    byKey.computeIfAbsent(key(workload, system), k -> new ArrayList<>()).add(result);
  }

  /** Records that a measurement was deliberately not run, and why. */
  void skip(Workload workload, String system, String reason) {
    skipped.put(key(workload, system), reason);
  }

  /** The measurement's results (one per repetition), without the attempts a rerun superseded. */
  List<JsonObject> of(Workload workload, String system) {
    return byKey.getOrDefault(key(workload, system), List.of()).stream()
        .filter(result -> !result.getBoolean("superseded", false)).toList();
  }

  /** Every attempt of the measurement, superseded ones included (the report's details). */
  List<JsonObject> attempts(Workload workload, String system) {
    return byKey.getOrDefault(key(workload, system), List.of());
  }

  /** Whether the workload was measured (or deliberately skipped for a reason other than --only) for any system. */
  boolean ran(Workload workload) {
    String prefix = workload.id() + "/";
    return byKey.keySet().stream().anyMatch(key -> key.startsWith(prefix))
        || skipped.entrySet().stream().anyMatch(e -> e.getKey().startsWith(prefix) && !NOT_SELECTED.equals(e.getValue()));
  }

  /** Whether the measurement was deliberately not run because it was not selected. */
  boolean notSelected(Workload workload, String system) {
    return Results.NOT_SELECTED.equals(skipped.get(key(workload, system)));
  }

  /** The reason {@link #skip} records for a workload left out by {@code --only}. */
  static final String NOT_SELECTED = "not selected (--only)";

  /** The result's metrics object, or an empty one. */
  static JsonObject metrics(JsonObject result) {
    return result.getJsonObject("metrics", new JsonObject());
  }

  /** Why there is no number for this measurement (not run, error, unsupported, failed runs), or null. */
  String problem(Workload workload, String system) {
    if (!workload.available()) {
      return "not yet available";
    }
    String skip = skipped.get(key(workload, system));
    if (skip != null) {
      return "not run: " + skip;
    }
    List<JsonObject> results = of(workload, system);
    if (results.isEmpty()) {
      return "not run";
    }
    for (JsonObject result : results) {
      if (result.containsKey("unsupported")) {
        String why = result.getString("unsupported");
        return why.startsWith("not available") ? why : "cannot express: " + why;
      }
      if (result.containsKey("error")) {
        return "error: " + result.getString("error");
      }
      JsonObject metrics = result.getJsonObject("metrics", new JsonObject());
      if (metrics.getLong("failures", 0L) > 0) {
        return metrics.getLong("failures") + " failed runs, first: " + metrics.getString("firstError");
      }
    }
    return null;
  }

  /** The merged summary ({@code value}, {@code min}, {@code max}, {@code samples}) of a metric, or null. */
  JsonObject summary(Workload workload, String system, String metric) {
    if (problem(workload, system) != null) {
      return null;
    }
    List<JsonObject> results = of(workload, system);
    if (results.size() == 1) {
      return results.get(0).getJsonObject("metrics").getJsonObject(metric);
    }
    List<Double> values = new ArrayList<>();
    for (JsonObject result : results) {
      JsonObject summary = result.getJsonObject("metrics").getJsonObject(metric);
      if (summary == null) {
        return null;
      }
      values.add(summary.getDouble("value"));
    }
    return Stats.summary(values);
  }

  /** Every raw result, for the JSON file next to the report. */
  JsonArray toJson() {
    JsonArray all = new JsonArray();
    byKey.values().forEach(list -> list.forEach(all::add));
    skipped.forEach((key, reason) -> all.add(new JsonObject().put("measurement", key).put("skipped", reason)));
    return all;
  }

  /** A result's first field among {@code fields} that is a string, from any repetition (e.g. the version). */
  String firstString(String system, String field) {
    for (Map.Entry<String, List<JsonObject>> entry : byKey.entrySet()) {
      if (entry.getKey().endsWith("/" + system)) {
        for (JsonObject result : entry.getValue()) {
          if (result.getString(field) != null) {
            return result.getString(field);
          }
        }
      }
    }
    return null;
  }
}
