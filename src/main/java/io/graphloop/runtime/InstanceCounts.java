package io.graphloop.runtime;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.graphloop.runtime.OptionBounds.atLeast;

/**
 * The option group of {@link GraphRuntimeOptions} that says how many verticles a deployment runs:
 * {@code coordinatorInstances} and {@code nodeInstances} (0: one per event loop), and {@code instancesPerNode}
 * (a node's own count, at least 1). Same JSON names, ranges and errors as before the group was split out.
 *
 * <p>Thread rules: immutable (the per-node map is copied); any thread.
 */
record InstanceCounts(int coordinatorInstances, int nodeInstances, Map<String, Integer> perNode) {

  static final InstanceCounts DEFAULTS = new InstanceCounts(GraphRuntimeOptions.DEFAULT_COORDINATOR_INSTANCES,
      GraphRuntimeOptions.DEFAULT_NODE_INSTANCES, Map.of());

  InstanceCounts {
    atLeast("coordinatorInstances", coordinatorInstances, 0);
    atLeast("nodeInstances", nodeInstances, 0);
    perNode.forEach((node, instances) -> atLeast("instancesPerNode." + node, instances, 1));
    perNode = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perNode)); // declaration order kept
  }

  /** Reads {@code coordinatorInstances}, {@code nodeInstances} and {@code instancesPerNode} of runtime options' JSON. */
  static InstanceCounts fromJson(JsonObject json) {
    int coordinators = JsonFields.optionalInt(json, "coordinatorInstances",
        GraphRuntimeOptions.DEFAULT_COORDINATOR_INSTANCES, "runtime options");
    int nodes = JsonFields.optionalInt(json, "nodeInstances", GraphRuntimeOptions.DEFAULT_NODE_INSTANCES,
        "runtime options");
    JsonObject perNodeJson = JsonFields.optionalObject(json, "instancesPerNode", "runtime options");
    InstanceCounts counts = new InstanceCounts(coordinators, nodes, Map.of());
    if (perNodeJson != null) {
      for (String node : perNodeJson.fieldNames()) {
        counts = counts.withNode(node, JsonFields.optionalInt(perNodeJson, node, 0,
            "runtime options instancesPerNode"));
      }
    }
    return counts;
  }

  /** Puts the three fields into {@code json}. */
  void writeTo(JsonObject json) {
    JsonObject perNodeJson = new JsonObject();
    perNode.forEach(perNodeJson::put);
    json.put("coordinatorInstances", coordinatorInstances).put("nodeInstances", nodeInstances)
        .put("instancesPerNode", perNodeJson);
  }

  InstanceCounts withCoordinators(int instances) {
    return new InstanceCounts(instances, nodeInstances, perNode);
  }

  InstanceCounts withNodes(int instances) {
    return new InstanceCounts(coordinatorInstances, instances, perNode);
  }

  /** These counts with {@code node}'s own count (at least 1). */
  InstanceCounts withNode(String node, int instances) {
    Map<String, Integer> counts = new LinkedHashMap<>(perNode);
    counts.put(node, atLeast("instancesPerNode." + node, instances, 1));
    return new InstanceCounts(coordinatorInstances, nodeInstances, counts);
  }

  /** The verticles to deploy for {@code node}; 0 means one per event loop. */
  int of(String node) {
    return perNode.getOrDefault(node, nodeInstances);
  }
}
