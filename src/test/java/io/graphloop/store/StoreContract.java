package io.graphloop.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every long-term {@link Store} backend passes (issue 18): put/get/delete, LangGraph's namespace rules,
 * search by prefix with filters and paging, namespace listing, TTL with refresh and sweep, the bounds. Expected
 * search and listing answers were produced by LangGraph 1.2.12's {@code InMemoryStore} on the same items
 * ({@code src/test/resources/langgraph/store_search.py}). Each test uses its own root label, so a shared database
 * needs no cleaning. Nothing blocks an event loop: futures composed, finished through {@link VertxTestContext}.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 120, timeUnit = TimeUnit.SECONDS)
abstract class StoreContract {

  protected final MutableClock clock = new MutableClock();
  protected Store store;
  private String root;

  /** Opens the backend under test with {@code options} and this test's clock. */
  protected abstract Future<? extends Store> open(Vertx vertx, StoreOptions options, MutableClock clock);

  private Future<Store> opened(Vertx vertx, StoreOptions options) {
    return open(vertx, options, clock).map(opened -> (Store) opened);
  }

  protected StoreOptions options() {
    return new StoreOptions().setSweepIntervalMs(0);
  }

  @BeforeEach
  void openStore(Vertx vertx, VertxTestContext ctx) {
    root = "r" + UUID.randomUUID().toString().replace("-", "");
    open(vertx, options(), clock).onComplete(ctx.succeeding(opened -> {
      store = opened;
      ctx.completeNow();
    }));
  }

  @AfterEach
  void closeStore(VertxTestContext ctx) {
    (store == null ? Future.<Void>succeededFuture() : store.close()).onComplete(ctx.succeedingThenComplete());
  }

  private List<String> ns(String... labels) {
    List<String> namespace = new ArrayList<>();
    namespace.add(root);
    namespace.addAll(Arrays.asList(labels));
    return namespace;
  }

  private static List<String> keys(List<StoreItem> items) {
    return items.stream().map(StoreItem::key).sorted().toList();
  }

  @Test
  void aPutItemIsReadBackWithItsTimesAndLangGraphsJsonShape(VertxTestContext ctx) {
    Map<String, Object> value = Map.of("text", "likes tea", "score", 0.5, "tags", List.of("a", "b"),
        "nested", Map.of("ok", true));
    store.put(ns("memories"), "m1", value)
        .compose(v -> store.get(ns("memories"), "m1"))
        .onComplete(ctx.succeeding(item -> ctx.verify(() -> {
          assertEquals(ns("memories"), item.namespace());
          assertEquals("m1", item.key());
          assertEquals(value, item.value());
          assertEquals(clock.instant(), item.createdAt());
          assertEquals(item.createdAt(), item.updatedAt());
          assertNull(item.expiresAt(), "no TTL unless asked");
          JsonObject json = item.toJson();
          assertEquals(List.of("namespace", "key", "value", "created_at", "updated_at"), List.copyOf(json.fieldNames()));
          assertEquals(new JsonObject(value), json.getJsonObject("value"));
          assertEquals("2026-01-01T00:00:00Z", json.getString("created_at"));
          ctx.completeNow();
        })));
  }

  @Test
  void aSecondPutReplacesTheValueKeepsCreationAndANullValueDeletes(VertxTestContext ctx) {
    store.put(ns("a"), "k", Map.of("v", 1))
        .compose(v -> {
          clock.advance(Duration.ofSeconds(5));
          return store.put(ns("a"), "k", Map.of("v", 2));
        })
        .compose(v -> store.get(ns("a"), "k"))
        .compose(item -> {
          ctx.verify(() -> {
            assertEquals(Map.of("v", 2), item.value());
            assertEquals(item.createdAt().plusSeconds(5), item.updatedAt());
          });
          return store.put(ns("a"), "k", null);
        })
        .compose(v -> store.get(ns("a"), "k"))
        .compose(gone -> {
          ctx.verify(() -> assertNull(gone, "put(None) deletes, as LangGraph"));
          return store.put(ns("a"), "k2", Map.of("v", 3)).compose(v -> store.delete(ns("a"), "k2"))
              .compose(v -> store.delete(ns("a"), "never there")).compose(v -> store.get(ns("a"), "k2"));
        })
        .onComplete(ctx.succeeding(gone -> ctx.verify(() -> {
          assertNull(gone);
          ctx.completeNow();
        })));
  }

  @Test
  void badNamespacesKeysAndValuesAreRefusedSayingWhatWouldBeRight(VertxTestContext ctx) {
    Map<String, Object> ok = Map.of("v", 1);
    List<Future<?>> refused = List.of(
        store.put(List.of(), "k", ok),
        store.put(List.of("a.b"), "k", ok),
        store.put(List.of(root, ""), "k", ok),
        store.put(List.of("langgraph", "x"), "k", ok),
        store.put(ns("a"), "", ok),
        store.put(ns("a"), "k", Map.of("big", "x".repeat(2_000_000))),
        store.get(List.of("a.b"), "k"),
        store.search(SearchRequest.under(ns()).page(5_000, 0)));
    Future.join(refused).onComplete(done -> ctx.verify(() -> {
      List<String> messages = new ArrayList<>();
      for (Future<?> each : refused) {
        assertTrue(each.failed(), "refused");
        assertInstanceOf(IllegalArgumentException.class, each.cause());
        messages.add(each.cause().getMessage());
      }
      assertTrue(messages.get(0).contains("at least one label"), messages.get(0));
      assertTrue(messages.get(1).contains("cannot contain '.'"), messages.get(1));
      assertTrue(messages.get(2).contains("cannot be empty"), messages.get(2));
      assertTrue(messages.get(3).contains("\"langgraph\""), messages.get(3));
      assertTrue(messages.get(4).contains("non-empty"), messages.get(4));
      assertTrue(messages.get(5).contains("maxValueBytes"), messages.get(5));
      assertTrue(messages.get(7).contains("maxLimit"), messages.get(7));
      ctx.completeNow();
    }));
  }

  /** The items of LangGraph's scenario (store_search.py), under this test's root and a sibling root. */
  private Future<Void> putScenario(String other) {
    return Future.all(List.of(
        store.put(ns("a"), "k1", Map.of("n", 1, "tag", "x", "nested", Map.of("deep", true), "list", List.of(1, 2))),
        store.put(ns("a", "b"), "k2", Map.of("n", 2.0, "tag", "y")),
        store.put(ns("ab"), "k3", Map.of("n", 3, "tag", "x")),
        store.put(ns("c", "b"), "k4", Map.of("tag", "z")),
        store.put(List.of(other, "a"), "k5", Map.of("n", 5)))).mapEmpty();
  }

  private Future<List<String>> search(List<String> prefix, Map<String, Object> filter) {
    return store.search(SearchRequest.under(prefix).withFilter(filter)).map(StoreContract::keys);
  }

  @Test
  void searchByPrefixAndFilterGivesLangGraphsAnswers(VertxTestContext ctx) {
    String other = root + "z";
    putScenario(other)
        .compose(v -> Future.all(List.of(
            search(ns("a"), null), search(ns(), null),
            search(ns(), Map.of("tag", "x")), search(ns(), Map.of("n", 1.0)),
            search(ns("a"), Map.of("n", Map.of("$gt", 1))), search(ns("ab"), Map.of("n", Map.of("$gt", 1))),
            search(ns("a"), Map.of("n", Map.of("$lte", 2))), search(ns(), Map.of("tag", Map.of("$ne", "x"))),
            search(ns(), Map.of("nested", Map.of("deep", true))), search(ns(), Map.of("list", List.of(1, 2))),
            search(ns(), Map.of("tag", "x", "n", 3)))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<List<String>> got = all.list();
          assertEquals(List.of("k1", "k2"), got.get(0), "prefix root.a (not root.ab)");
          assertEquals(List.of("k1", "k2", "k3", "k4"), got.get(1), "prefix root");
          assertEquals(List.of("k1", "k3"), got.get(2), "tag = x");
          assertEquals(List.of("k1"), got.get(3), "n = 1.0 matches 1");
          assertEquals(List.of("k2", "k3"), concat(got.get(4), got.get(5)), "n > 1");
          assertEquals(List.of("k1", "k2"), got.get(6), "n <= 2");
          assertEquals(List.of("k2", "k4"), got.get(7), "tag != x");
          assertEquals(List.of("k1"), got.get(8), "nested object");
          assertEquals(List.of("k1"), got.get(9), "list");
          assertEquals(List.of("k3"), got.get(10), "two conditions");
          ctx.completeNow();
        })));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.stream().sorted().toList();
  }

  @Test
  void searchPagesNewestFirstAndRefusesAnUnknownOperator(VertxTestContext ctx) {
    Future<Void> puts = Future.succeededFuture();
    for (int i = 0; i < 7; i++) {
      int n = i;
      puts = puts.compose(v -> {
        clock.advance(Duration.ofSeconds(1));
        return store.put(ns("page"), "k" + n, Map.of("n", n, "even", n % 2 == 0));
      });
    }
    puts.compose(v -> Future.all(
            store.search(SearchRequest.under(ns()).page(3, 0)),
            store.search(SearchRequest.under(ns()).page(3, 3)),
            store.search(SearchRequest.under(ns()).page(3, 6)),
            store.search(SearchRequest.under(ns()).withFilter(Map.of("even", true)).page(2, 1))))
        .compose(pages -> {
          ctx.verify(() -> {
            assertEquals(List.of("k6", "k5", "k4"), keysInOrder(pages.resultAt(0)), "newest update first");
            assertEquals(List.of("k3", "k2", "k1"), keysInOrder(pages.resultAt(1)));
            assertEquals(List.of("k0"), keysInOrder(pages.resultAt(2)));
            assertEquals(List.of("k4", "k2"), keysInOrder(pages.resultAt(3)), "offset counts matches, not rows");
          });
          return store.search(SearchRequest.under(ns()).withFilter(Map.of("n", Map.of("$near", 1))));
        })
        .onComplete(ctx.failing(refused -> ctx.verify(() -> {
          assertInstanceOf(IllegalArgumentException.class, refused);
          assertTrue(refused.getMessage().contains("'$near'") && refused.getMessage().contains("$gte"),
              refused.getMessage());
          ctx.completeNow();
        })));
  }

  private static List<String> keysInOrder(List<StoreItem> items) {
    return items.stream().map(StoreItem::key).toList();
  }

  @Test
  void namespacesAreListedAsLangGraphListsThem(VertxTestContext ctx) {
    putScenario(root + "z")
        .compose(v -> Future.all(List.of(
            store.listNamespaces(new NamespaceQuery(ns(), null, null, 100, 0)),
            store.listNamespaces(new NamespaceQuery(ns(), List.of("b"), null, 100, 0)),
            store.listNamespaces(new NamespaceQuery(ns("*"), null, null, 100, 0)),
            store.listNamespaces(new NamespaceQuery(ns(), null, 2, 100, 0)),
            store.listNamespaces(new NamespaceQuery(ns(), null, 1, 100, 0)),
            store.listNamespaces(new NamespaceQuery(ns(), null, null, 2, 1)))))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          List<List<List<String>>> got = all.list();
          assertEquals(List.of(ns("a"), ns("a", "b"), ns("ab"), ns("c", "b")), got.get(0), "prefix root, sorted");
          assertEquals(List.of(ns("a", "b"), ns("c", "b")), got.get(1), "suffix b");
          assertEquals(got.get(0), got.get(2), "a wildcard label");
          assertEquals(List.of(ns("a"), ns("ab"), ns("c")), got.get(3), "max depth 2, de-duplicated");
          assertEquals(List.of(ns()), got.get(4), "max depth 1");
          assertEquals(List.of(ns("a", "b"), ns("ab")), got.get(5), "limit 2 offset 1");
          ctx.completeNow();
        })));
  }

  @Test
  void itemsExpireAfterTheirTtlReadsRefreshItAndTheSweepDeletesThem(VertxTestContext ctx) {
    store.put(ns("ttl"), "refreshed", Map.of("v", 1), 1.0)
        .compose(v -> store.put(ns("ttl"), "kept", Map.of("v", 2), 1.0))
        .compose(v -> store.put(ns("ttl"), "forever", Map.of("v", 3)))
        .compose(v -> {
          clock.advance(Duration.ofSeconds(40));
          return store.get(ns("ttl"), "refreshed"); // refreshes: expires 60 s from now
        })
        .compose(v -> store.get(ns("ttl"), "kept", false)) // does not refresh
        .compose(v -> {
          clock.advance(Duration.ofSeconds(40)); // 80 s after the puts
          return Future.all(store.get(ns("ttl"), "refreshed", false), store.get(ns("ttl"), "kept", false),
              store.search(SearchRequest.under(ns("ttl"))));
        })
        .compose(reads -> {
          ctx.verify(() -> {
            assertEquals(Map.of("v", 1), ((StoreItem) reads.resultAt(0)).value(), "a read refreshed its TTL");
            assertNull(reads.resultAt(1), "expired: never returned");
            assertEquals(List.of("forever", "refreshed"), keys(reads.resultAt(2)), "search skips expired items");
          });
          clock.advance(Duration.ofSeconds(61));
          return store.sweep();
        })
        .compose(swept -> {
          ctx.verify(() -> assertTrue(swept >= 2, "the sweep deleted both expired items: " + swept));
          return store.listNamespaces(new NamespaceQuery(ns(), null, null, 10, 0))
              .compose(namespaces -> store.search(SearchRequest.under(ns("ttl"))).map(items -> Map.of("ns",
                  namespaces, "items", keys(items))));
        })
        .onComplete(ctx.succeeding(after -> ctx.verify(() -> {
          assertEquals(List.of("forever"), after.get("items"));
          assertEquals(List.of(ns("ttl")), after.get("ns"));
          ctx.completeNow();
        })));
  }

  @Test
  void aFilteredSearchStopsAtMaxScanWithAClearError(Vertx vertx, VertxTestContext ctx) {
    opened(vertx, options().setMaxScan(300)).compose(bounded -> {
      List<Future<Void>> puts = new ArrayList<>();
      for (int i = 0; i < 600; i++) {
        puts.add(bounded.put(ns("scan"), "k" + i, Map.of("match", false)));
      }
      return Future.all(puts)
          .compose(v -> bounded.search(SearchRequest.under(ns("scan")).withFilter(Map.of("match", true))))
          .eventually(() -> bounded.close());
    }).onComplete(ctx.failing(refused -> ctx.verify(() -> {
      assertTrue(refused.getMessage().contains("maxScan 300"), refused.getMessage());
      assertTrue(refused.getMessage().contains("narrower namespace prefix"), refused.getMessage());
      ctx.completeNow();
    })));
  }

  @Test
  void aDefaultTtlAppliesToPutsWithoutOne(Vertx vertx, VertxTestContext ctx) {
    opened(vertx, options().setDefaultTtlMinutes(2.0)).compose(withTtl ->
        withTtl.put(ns("d"), "k", Map.of("v", 1))
            .compose(v -> withTtl.get(ns("d"), "k", false))
            .eventually(() -> withTtl.close()))
        .onComplete(ctx.succeeding(item -> ctx.verify(() -> {
          assertEquals(2.0, item.ttlMinutes());
          assertEquals(item.updatedAt().plus(Duration.ofMinutes(2)), item.expiresAt());
          ctx.completeNow();
        })));
  }

  static String describe(List<List<String>> namespaces) {
    return namespaces.stream().map(n -> String.join(".", n)).collect(Collectors.joining(", "));
  }
}
