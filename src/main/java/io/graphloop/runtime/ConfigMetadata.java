package io.graphloop.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The part of a run's configuration its checkpoints carry in their metadata, as LangGraph's
 * {@code get_checkpoint_metadata} merges a run's {@code configurable} into every checkpoint it saves: each key whose
 * value is a string, a number or a boolean, except keys starting with {@code "__"}, LangGraph's excluded keys
 * ({@code thread_id}, {@code checkpoint_id}, {@code checkpoint_ns}, {@code checkpoint_map}, the {@code langgraph_*}
 * task keys) and keys the checkpoint's own metadata already has (LangGraph's {@code source}, {@code step},
 * {@code parents}, and Graphloop's {@code runId}, {@code ran}, {@code asNode}, {@code forkOf}, {@code owner},
 * {@code checkpointNs}). A string loses its NUL characters, as LangGraph's. Values of other types (null, lists,
 * objects) are left out.
 *
 * <p>Stateless; safe from any thread.
 */
final class ConfigMetadata {

  /** Keys never taken from a config: LangGraph's {@code EXCLUDED_METADATA_KEYS} and the keys of the metadata itself. */
  private static final Set<String> EXCLUDED = Set.of("thread_id", "checkpoint_id", "checkpoint_ns", "checkpoint_map",
      "langgraph_step", "langgraph_node", "langgraph_triggers", "langgraph_path", "langgraph_checkpoint_ns",
      "source", "step", "parents", "writes", "runId", RunCheckpoints.RAN, "asNode", "forkOf",
      io.graphloop.internal.bus.Owners.METADATA_KEY, SubgraphStates.CHECKPOINT_NS);

  private ConfigMetadata() {
  }

  /** The entries of {@code config} a checkpoint's metadata carries (empty for none; a new, mutable map). */
  static Map<String, Object> of(Map<String, Object> config) {
    Map<String, Object> kept = new LinkedHashMap<>();
    if (config == null) {
      return kept;
    }
    config.forEach((key, value) -> {
      if (key.startsWith("__") || EXCLUDED.contains(key)) {
        return;
      }
      if (value instanceof String) {
        kept.put(key, ((String) value).replace("\u0000", ""));
      } else if (value instanceof Number || value instanceof Boolean) {
        kept.put(key, value);
      }
    });
    return kept;
  }

  /** Adds {@code fromConfig}'s entries to {@code metadata} where it has no such key yet. */
  static void addTo(Map<String, Object> metadata, Map<String, Object> fromConfig) {
    fromConfig.forEach(metadata::putIfAbsent);
  }
}
