package io.graphloop.server;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * A thread search or count as LangGraph Server takes it ({@code POST /threads/search}, {@code /threads/count}):
 * filters on ids, metadata and values (JSON containment, as the reference server's {@code isJsonbContained}) and
 * status; an order; a page. Only threads {@code user} may see match (their owner is {@code user}, or none).
 *
 * <p>Immutable; thread-safe.
 *
 * @param user      the caller ({@code null} with auth off)
 * @param ids       the thread ids to keep, or {@code null}/empty for any
 * @param metadata  what the thread's metadata must contain, or {@code null}
 * @param values    what the thread's values must contain, or {@code null}
 * @param status    idle, busy, interrupted or error; {@code null} for any
 * @param sortBy    thread_id, status, created_at or updated_at
 * @param ascending whether the order is ascending (LangGraph's default is descending)
 * @param limit     at most this many
 * @param offset    skip this many first
 * @param entrypoints the graphs whose threads' values are shown in LangGraph's entrypoint form
 *                  ({@link EntrypointValues}): the values filter applies to the value their entrypoint returned
 */
record ThreadQuery(String user, List<String> ids, JsonObject metadata, JsonObject values, String status,
                   String sortBy, boolean ascending, int limit, int offset, java.util.Set<String> entrypoints) {

  ThreadQuery {
    entrypoints = entrypoints == null ? java.util.Set.of() : java.util.Set.copyOf(entrypoints);
  }

  /** Whether {@code thread} passes the filters (not the owner, which the caller checks). */
  boolean matches(ThreadRecord thread) {
    return (ids == null || ids.isEmpty() || ids.contains(thread.threadId))
        && (status == null || status.equals(thread.status))
        && contained(thread.metadata, metadata) && valuesMatch(thread);
  }

  /** The values filter against the values the API shows for {@code thread} (an entrypoint's: its returned value). */
  private boolean valuesMatch(ThreadRecord thread) {
    if (values == null || thread.graphId == null || !entrypoints.contains(thread.graphId)) {
      return contained(thread.values, values);
    }
    Object shown = EntrypointValues.values(thread.values);
    return shown instanceof JsonObject ? contained((JsonObject) shown, values) : values.isEmpty();
  }

  /** Whether the JSON filters (metadata, values) are set: SQL backends then filter rows in Java. */
  boolean filtersJson() {
    return metadata != null && !metadata.isEmpty() || values != null && !values.isEmpty();
  }

  /**
   * Whether {@code superset} holds every entry of {@code subset}, objects compared entry by entry (LangGraph's
   * {@code isJsonbContained}: a missing or null entry never matches).
   */
  static boolean contained(JsonObject superset, JsonObject subset) {
    if (superset == null || subset == null) {
      return true;
    }
    for (String key : subset.fieldNames()) {
      Object have = superset.getValue(key);
      Object want = subset.getValue(key);
      if (have == null) {
        return false;
      }
      if (want instanceof JsonObject && have instanceof JsonObject) {
        if (!contained((JsonObject) have, (JsonObject) want)) {
          return false;
        }
      } else if (!same(have, want)) {
        return false;
      }
    }
    return true;
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof Number && b instanceof Number) {
      return ((Number) a).doubleValue() == ((Number) b).doubleValue();
    }
    return a.equals(b);
  }
}
