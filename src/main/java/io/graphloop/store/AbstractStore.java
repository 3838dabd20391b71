package io.graphloop.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the {@link Store} backends share: argument checks ({@link StoreRules}), TTLs, filtered search over pages of
 * the backend's ordered scan (bounded by {@link StoreOptions#getMaxScan()}), the background sweep. A backend supplies
 * the primitives: upsert, read, remove, an ordered page of live items under a prefix, TTL refresh, live namespaces,
 * removal of expired items.
 *
 * <p>Thread rules: public methods from any thread; checks run on the caller's thread; the backend's futures complete
 * where the backend completes them. The sweep timer runs on the Vert.x instance given, set and cancelled on its own
 * context (the creating thread's, or a new one) whatever thread opens or closes the store: Vert.x 5.0's
 * {@code setPeriodic} called off that context's event loop stores the timer's future only after handing the task to
 * the loop, so a tick, or a cancel from another thread, could come before it.
 */
abstract class AbstractStore implements Store {

  /** Rows read per page while filtering a search. */
  static final int SCAN_PAGE = 256;

  final StoreOptions options;
  final Clock clock;
  private final Vertx vertx;
  /** Where the sweep timer is set and cancelled; {@code null} without one. */
  private final io.vertx.core.Context timerContext;
  /** The sweep timer's id once set (-1 before, or without one); read and written on {@link #timerContext} only. */
  private long sweepTimer = -1;
  private volatile boolean closed;

  AbstractStore(Vertx vertx, StoreOptions options, Clock clock) {
    this.vertx = vertx;
    this.options = options;
    this.clock = clock;
    this.timerContext = vertx != null && options.getSweepIntervalMs() > 0 ? vertx.getOrCreateContext() : null;
    if (timerContext != null) {
      long interval = options.getSweepIntervalMs();
      timerContext.runOnContext(v -> {
        if (!closed) {
          sweepTimer = vertx.setPeriodic(interval, id -> sweep());
        }
      });
    }
  }

  /** Now, to the millisecond (what every backend stores). */
  final Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  @Override
  public final Future<Void> put(List<String> namespace, String key, Map<String, ?> value, Double ttlMinutes) {
    try {
      checkOpen();
      List<String> ns = StoreRules.namespace(namespace);
      StoreRules.key(key);
      if (value == null) {
        return remove(ns, key);
      }
      String json = StoreRules.encode(value, options.getMaxValueBytes(), ns, key);
      Double ttl = StoreRules.ttl(ttlMinutes, options);
      Instant now = now();
      return upsert(new StoreItem(ns, key, StoreRules.decode(json), now, now, StoreRules.expiry(now, ttl), ttl), json);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public final Future<StoreItem> get(List<String> namespace, String key, Boolean refreshTtl) {
    try {
      checkOpen();
      List<String> ns = StoreRules.namespace(namespace);
      StoreRules.key(key);
      Instant now = now();
      return read(ns, key).compose(item -> {
        if (item == null || item.expiredAt(now)) {
          return Future.succeededFuture();
        }
        return refresh(List.of(item), refreshTtl, now).map(refreshed -> refreshed.get(0));
      });
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public final Future<Void> delete(List<String> namespace, String key) {
    try {
      checkOpen();
      return remove(StoreRules.namespace(namespace), StoreRules.key(key));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public final Future<List<StoreItem>> search(SearchRequest request) {
    try {
      checkOpen();
      StoreRules.prefix(request.namespacePrefix());
      StoreRules.checkLimit(request.limit(), options);
      Instant now = now();
      Future<List<StoreItem>> found = request.filter().isEmpty()
          ? page(request.namespacePrefix(), now, request.limit(), request.offset())
          : filtered(request, now, 0, new ArrayList<>(), 0);
      return found.compose(items -> refresh(items, request.refreshTtl(), now));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  /** Reads pages in order, keeping matches, until offset + limit matched, the items end, or maxScan is passed. */
  private Future<List<StoreItem>> filtered(SearchRequest request, Instant now, int from, List<StoreItem> matched,
                                           int skipped) {
    return page(request.namespacePrefix(), now, SCAN_PAGE, from).compose(page -> {
      int skip = skipped;
      for (StoreItem item : page) {
        if (StoreRules.matches(item.value(), request.filter())) {
          if (skip < request.offset()) {
            skip++;
          } else {
            matched.add(item);
            if (matched.size() == request.limit()) {
              return Future.succeededFuture(matched);
            }
          }
        }
      }
      int scanned = from + page.size();
      if (page.size() < SCAN_PAGE) {
        return Future.succeededFuture(matched);
      }
      if (scanned >= options.getMaxScan()) {
        return Future.failedFuture(new IllegalArgumentException("The filtered search under " + request.namespacePrefix()
            + " read " + scanned + " items without filling its page (StoreOptions.maxScan " + options.getMaxScan()
            + "); search a narrower namespace prefix, or raise maxScan"));
      }
      return filtered(request, now, scanned, matched, skip);
    });
  }

  private Future<List<StoreItem>> refresh(List<StoreItem> items, Boolean asked, Instant now) {
    boolean refresh = asked != null ? asked : options.isRefreshOnRead();
    if (!refresh || items.stream().noneMatch(item -> item.ttlMinutes() != null)) {
      return Future.succeededFuture(items);
    }
    List<StoreItem> refreshed = new ArrayList<>(items.size());
    List<StoreItem> touched = new ArrayList<>();
    for (StoreItem item : items) {
      if (item.ttlMinutes() == null) {
        refreshed.add(item);
      } else {
        StoreItem renewed = new StoreItem(item.namespace(), item.key(), item.value(), item.createdAt(),
            item.updatedAt(), StoreRules.expiry(now, item.ttlMinutes()), item.ttlMinutes());
        refreshed.add(renewed);
        touched.add(renewed);
      }
    }
    return touch(touched).map(refreshed);
  }

  @Override
  public final Future<List<List<String>>> listNamespaces(NamespaceQuery query) {
    try {
      checkOpen();
      StoreRules.checkLimit(query.limit(), options);
      return namespaces(now()).map(all -> StoreRules.listNamespaces(all, query));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public final Future<Integer> sweep() {
    if (closed) {
      return Future.succeededFuture(0);
    }
    return removeExpired(now());
  }

  @Override
  public final Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    if (timerContext != null) {
      // on the timer's context: after the task that sets it (which, seeing closed, sets none) or after it was set
      timerContext.runOnContext(v -> {
        if (sweepTimer >= 0) {
          vertx.cancelTimer(sweepTimer);
        }
      });
    }
    return release();
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException(describe() + " is closed");
    }
  }

  /** What the store is, for messages (never a password). */
  abstract String describe();

  /** Stores the item (its JSON is {@code json}), keeping the creation time of an item already there. */
  abstract Future<Void> upsert(StoreItem item, String json);

  /** The item as stored (perhaps expired), or {@code null}. */
  abstract Future<StoreItem> read(List<String> namespace, String key);

  abstract Future<Void> remove(List<String> namespace, String key);

  /** Live items (not expired at {@code now}) under {@code prefix}, in {@link StoreRules#SEARCH_ORDER}, paged. */
  abstract Future<List<StoreItem>> page(List<String> prefix, Instant now, int limit, int offset);

  /** Stores the items' new expiry times. */
  abstract Future<Void> touch(List<StoreItem> items);

  /** The namespaces holding live items; fails past {@link StoreOptions#getMaxScan()} of them. */
  abstract Future<List<List<String>>> namespaces(Instant now);

  abstract Future<Integer> removeExpired(Instant now);

  abstract Future<Void> release();
}
