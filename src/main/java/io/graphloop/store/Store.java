package io.graphloop.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Map;

/**
 * A long-term memory store, LangGraph's {@code BaseStore}: JSON object values by namespace (a path of labels) and
 * key, kept across threads and runs. Nodes reach the deployment's store through {@code NodeContext.store()}; the
 * HTTP server serves it on {@code /store/*}. Backends: {@link InMemoryStore}, {@link SqliteStore},
 * {@link PostgresStore}, with the same behaviour (one contract test suite).
 *
 * <p>Namespaces follow LangGraph's rules: at least one label, labels non-empty strings without {@code '.'}, the root
 * label not {@code "langgraph"}. Keys are non-empty. Values are JSON objects of at most
 * {@link StoreOptions#getMaxValueBytes()} bytes. Bad arguments fail the future with an
 * {@link IllegalArgumentException} that says what was wrong and what would be right.
 *
 * <p>Time to live: a put may give a TTL in minutes (else the store's default, if any); an expired item is never
 * returned and is deleted by a background sweep. Reads refresh the TTL when asked (or by the store's default).
 *
 * <p>Thread rules: every method may be called from any thread and never blocks the caller; futures complete on the
 * caller's context when it has one.
 */
public interface Store {

  /** Puts {@code value} under {@code namespace}/{@code key} with the store's default TTL; a {@code null} value deletes. */
  default Future<Void> put(List<String> namespace, String key, Map<String, ?> value) {
    return put(namespace, key, value, null);
  }

  /**
   * Puts {@code value} under {@code namespace}/{@code key} (replacing an item there, keeping its creation time);
   * a {@code null} value deletes, as LangGraph's {@code put(..., None)}.
   *
   * @param ttlMinutes the item's time to live in minutes, or {@code null} for the store's default
   */
  Future<Void> put(List<String> namespace, String key, Map<String, ?> value, Double ttlMinutes);

  /** The item, or {@code null} when there is none (or it expired); refreshes its TTL when the store does by default. */
  default Future<StoreItem> get(List<String> namespace, String key) {
    return get(namespace, key, null);
  }

  /**
   * The item, or {@code null}.
   *
   * @param refreshTtl whether reading refreshes its TTL; {@code null} for the store's default
   */
  Future<StoreItem> get(List<String> namespace, String key, Boolean refreshTtl);

  /** Deletes the item; nothing happens when there is none. */
  Future<Void> delete(List<String> namespace, String key);

  /** Items matching {@code request}, newest update first (then namespace and key). */
  Future<List<StoreItem>> search(SearchRequest request);

  /** Namespaces that hold items, as {@code query} asks. */
  Future<List<List<String>>> listNamespaces(NamespaceQuery query);

  /** Deletes the expired items now; the number deleted. Also done in the background every sweep interval. */
  Future<Integer> sweep();

  /** Stops the background sweep and releases the backend's resources. */
  Future<Void> close();
}
