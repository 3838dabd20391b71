package io.graphloop.checkpoint;

import io.graphloop.cache.CacheKey;
import io.graphloop.cache.NodeCache;
import io.graphloop.cache.NodeCacheOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static io.graphloop.runtime.Await.result;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What every {@link NodeCache} must do (the memory cache and the SQL stores' caches pass the same tests): entries
 * round-trip their JSON values, expire at their ttl by the cache's clock, are bounded by {@code maxEntries} (the
 * least recently stored go first), and are removed by namespace or all at once.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 60, timeUnit = TimeUnit.SECONDS)
abstract class NodeCacheContract {

  /** A clock moved by hand. */
  static final class ManualClock extends Clock {
    final AtomicLong millis = new AtomicLong(5_000_000);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  private final List<Runnable> closers = new ArrayList<>();

  /** A cache with {@code options} and {@code clock}, empty at first (a fresh store). */
  protected abstract Future<NodeCache> openCache(Vertx vertx, NodeCacheOptions options, Clock clock);

  protected void onClose(Runnable closer) {
    closers.add(closer);
  }

  @AfterEach
  void closeAll() {
    closers.forEach(Runnable::run);
    closers.clear();
  }

  private static String ns() {
    return CacheKey.writesNamespace("g-" + UUID.randomUUID(), "node");
  }

  @Test
  void anEntryReadsBackAsStoredAndAMissIsNull(Vertx vertx) {
    NodeCache cache = result(openCache(vertx, new NodeCacheOptions(), new ManualClock()));
    CacheKey key = new CacheKey(ns(), "k1");
    assertNull(result(cache.get(key)));
    Map<String, Object> writes = Map.of("query", "q: x", "docs", List.of("a", "b"), "n", 3, "nested",
        Map.of("ok", true, "none", Arrays.asList(1, null)), "__goto__", List.of("b"));
    result(cache.set(key, writes, null));
    assertEquals(writes, result(cache.get(key)));
    assertNull(result(cache.get(new CacheKey(key.namespace(), "other"))));
    assertNull(result(cache.get(new CacheKey(ns(), "k1"))));
    result(cache.set(key, Map.of("query", "replaced"), null));
    assertEquals(Map.of("query", "replaced"), result(cache.get(key)));
    assertEquals(1L, result(cache.size()));
  }

  @Test
  void anEntryExpiresAtItsTtl(Vertx vertx) {
    ManualClock clock = new ManualClock();
    NodeCache cache = result(openCache(vertx, new NodeCacheOptions(), clock));
    CacheKey key = new CacheKey(ns(), "ttl");
    CacheKey forever = new CacheKey(key.namespace(), "forever");
    result(cache.set(key, Map.of("v", 1), Duration.ofSeconds(10)));
    result(cache.set(forever, Map.of("v", 2), null));
    clock.millis.addAndGet(9_999);
    assertEquals(Map.of("v", 1), result(cache.get(key)));
    clock.millis.addAndGet(1);
    assertNull(result(cache.get(key)));
    clock.millis.addAndGet(Duration.ofDays(3650).toMillis());
    assertEquals(Map.of("v", 2), result(cache.get(forever)));
    assertEquals(1L, result(cache.size()), "the expired entry was removed when read");
  }

  @Test
  void theCacheKeepsAtMostMaxEntriesDroppingTheOldest(Vertx vertx) {
    NodeCache cache = result(openCache(vertx, new NodeCacheOptions().setMaxEntries(3), new ManualClock()));
    String ns = ns();
    for (int i = 1; i <= 5; i++) {
      result(cache.set(new CacheKey(ns, "k" + i), Map.of("i", i), null));
    }
    assertEquals(3L, result(cache.size()));
    assertNull(result(cache.get(new CacheKey(ns, "k1"))));
    assertNull(result(cache.get(new CacheKey(ns, "k2"))));
    for (int i = 3; i <= 5; i++) {
      assertEquals(Map.of("i", i), result(cache.get(new CacheKey(ns, "k" + i))));
    }
  }

  @Test
  void clearRemovesTheNamespacesGivenOrEverything(Vertx vertx) {
    NodeCache cache = result(openCache(vertx, new NodeCacheOptions(), new ManualClock()));
    String a = ns();
    String b = ns();
    result(cache.set(new CacheKey(a, "1"), Map.of("v", "a"), null));
    result(cache.set(new CacheKey(b, "1"), Map.of("v", "b"), null));
    result(cache.clear(List.of(a)));
    assertNull(result(cache.get(new CacheKey(a, "1"))));
    assertNotNull(result(cache.get(new CacheKey(b, "1"))));
    result(cache.clear(null));
    assertNull(result(cache.get(new CacheKey(b, "1"))));
    assertEquals(0L, result(cache.size()));
  }

  @Test
  void badOptionsAreRefusedWithTheRule() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NodeCacheOptions().setMaxEntries(0));
    assertEquals("maxEntries of a node cache must be greater than or equal to 1, was 0", e.getMessage());
  }
}
