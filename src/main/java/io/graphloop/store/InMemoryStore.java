package io.graphloop.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Store} in this JVM's memory, for tests and single-process apps (LangGraph's {@code InMemoryStore}); lost
 * when the JVM stops. Bounded by what is put in it: the TTL sweep removes expired items.
 *
 * <p>Thread-safe: every operation runs under the store's lock and completes at once.
 */
public final class InMemoryStore extends AbstractStore {

  private record Key(List<String> namespace, String key) {
  }

  private final Map<Key, StoreItem> items = new HashMap<>();

  /** A store with default options and no background sweep (expired items are still never returned). */
  public InMemoryStore() {
    this(null, new StoreOptions());
  }

  /** A store whose expired items are swept every {@code options.sweepIntervalMs} on {@code vertx}. */
  public InMemoryStore(Vertx vertx, StoreOptions options) {
    this(vertx, options, Clock.systemUTC());
  }

  InMemoryStore(Vertx vertx, StoreOptions options, Clock clock) {
    super(vertx, options, clock);
  }

  @Override
  String describe() {
    return "In-memory store";
  }

  @Override
  synchronized Future<Void> upsert(StoreItem item, String json) {
    Key key = new Key(item.namespace(), item.key());
    StoreItem old = items.get(key);
    items.put(key, old == null || old.expiredAt(item.updatedAt()) ? item : new StoreItem(item.namespace(), item.key(),
        item.value(), old.createdAt(), item.updatedAt(), item.expiresAt(), item.ttlMinutes()));
    return Future.succeededFuture();
  }

  @Override
  synchronized Future<StoreItem> read(List<String> namespace, String key) {
    return Future.succeededFuture(items.get(new Key(namespace, key)));
  }

  @Override
  synchronized Future<Void> remove(List<String> namespace, String key) {
    items.remove(new Key(namespace, key));
    return Future.succeededFuture();
  }

  @Override
  synchronized Future<List<StoreItem>> page(List<String> prefix, Instant now, int limit, int offset) {
    List<StoreItem> live = new ArrayList<>();
    for (StoreItem item : items.values()) {
      if (!item.expiredAt(now) && StoreRules.startsWith(item.namespace(), prefix)) {
        live.add(item);
      }
    }
    live.sort(StoreRules.SEARCH_ORDER);
    return Future.succeededFuture(live.stream().skip(offset).limit(limit).toList());
  }

  @Override
  synchronized Future<Void> touch(List<StoreItem> touched) {
    for (StoreItem item : touched) {
      items.computeIfPresent(new Key(item.namespace(), item.key()), (k, old) -> new StoreItem(old.namespace(),
          old.key(), old.value(), old.createdAt(), old.updatedAt(), item.expiresAt(), old.ttlMinutes()));
    }
    return Future.succeededFuture();
  }

  @Override
  synchronized Future<List<List<String>>> namespaces(Instant now) {
    java.util.Set<List<String>> live = new java.util.HashSet<>();
    for (StoreItem item : items.values()) {
      if (!item.expiredAt(now)) {
        live.add(item.namespace());
      }
    }
    return Future.succeededFuture(new ArrayList<>(live));
  }

  @Override
  synchronized Future<Integer> removeExpired(Instant now) {
    int before = items.size();
    items.values().removeIf(item -> item.expiredAt(now));
    return Future.succeededFuture(before - items.size());
  }

  @Override
  Future<Void> release() {
    return Future.succeededFuture();
  }
}
