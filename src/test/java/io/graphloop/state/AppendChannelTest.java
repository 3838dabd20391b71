package io.graphloop.state;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AppendChannelTest {

  private final Channel channel = Channels.append();

  private List<?> append(Object current, int step, Write... writes) {
    return (List<?>) channel.update("log", current != null, current, List.of(writes), step);
  }

  @Test
  void aListWriteAppendsItsElements() {
    List<?> value = append(null, 0, new Write("a", List.of("x", "y")));

    assertEquals(List.of("x", "y"), value);
    assertEquals(List.of("x", "y", "z", "w"), append(value, 1, new Write("b", List.of("z", "w"))));
  }

  @Test
  void aScalarWriteAppendsOneElement() {
    List<?> value = append(null, 0, new Write("a", "x"));
    value = append(value, 1, new Write("a", 7));
    value = append(value, 2, new Write("a", Values.freeze(Map.of("role", "user"), "test")));

    assertEquals(List.of("x", 7, Map.of("role", "user")), value);
  }

  @Test
  void aNestedListIsAppendedAsItsElementsNotAsOneElement() {
    List<?> value = append(null, 0, new Write("a", List.of(List.of(1, 2), List.of(3))));

    assertEquals(2, value.size());
    assertEquals(List.of(1, 2), value.get(0));
  }

  @Test
  void severalWritesInOneStepAppendInTaskOrder() {
    List<?> start = append(null, 0, new Write("__start__", "input"));

    List<?> value = append(start, 1, new Write("b", "from b"), new Write("a", List.of("a1", "a2")),
        new Write("c", "from c"));

    assertEquals(List.of("input", "from b", "a1", "a2", "from c"), value);
  }

  @Test
  void anExistingPlainListValueIsExtended() {
    Object restored = Values.freeze(List.of(1, 2), "test");

    assertEquals(List.of(1, 2, 3), append(restored, 4, new Write("a", 3)));
    assertEquals(List.of(1, 2), restored);
  }

  @Test
  void anEmptyListWriteChangesNothing() {
    List<?> value = append(null, 0, new Write("a", List.of("x")));

    assertEquals(List.of("x"), append(value, 1, new Write("a", List.of())));
  }

  @Test
  void appendingToAnOlderVersionForksAndLeavesBothVersionsIntact() {
    List<?> base = append(null, 0, new Write("a", List.of(0, 1, 2)));
    List<?> main = append(base, 1, new Write("a", 3));

    List<?> fork = append(base, 1, new Write("b", "forked"));

    assertEquals(List.of(0, 1, 2), base);
    assertEquals(List.of(0, 1, 2, 3), main);
    assertEquals(List.of(0, 1, 2, "forked"), fork);
    assertNotEquals(main, fork);

    List<?> mainNext = append(main, 2, new Write("a", 4));
    List<?> forkNext = append(fork, 2, new Write("b", "again"));

    assertEquals(List.of(0, 1, 2, 3, 4), mainNext);
    assertEquals(List.of(0, 1, 2, "forked", "again"), forkNext);
    assertEquals(List.of(0, 1, 2, 3), main);
    assertEquals(List.of(0, 1, 2, "forked"), fork);
    assertEquals(List.of(0, 1, 2), base);
  }

  @Test
  void oldSnapshotsNeverChangeAfterLaterAppends() {
    List<List<?>> versions = new ArrayList<>();
    List<?> value = null;
    for (int i = 0; i < 50; i++) {
      value = append(value, i, new Write("a", List.of(i, -i)));
      versions.add(value);
    }
    // append again from a few old versions (time travel), which must not disturb anything
    append(versions.get(3), 4, new Write("b", "x"));
    append(versions.get(10), 11, new Write("b", List.of("y", "z")));

    for (int v = 0; v < versions.size(); v++) {
      List<?> version = versions.get(v);
      assertEquals(2 * (v + 1), version.size(), "size of version " + v);
      for (int i = 0; i <= v; i++) {
        assertEquals(i, version.get(2 * i));
        assertEquals(-i, version.get(2 * i + 1));
      }
      int size = version.size();
      assertThrows(IndexOutOfBoundsException.class, () -> version.get(size));
    }
  }

  @Test
  void tenThousandSingleAppendsOneStepAtATimeStayCorrect() {
    int count = 10_000;
    List<?>[] versions = new List<?>[count];
    State state = State.empty();
    for (int i = 0; i < count; i++) {
      Object next = channel.update("log", state.has("log"), state.get("log"), List.of(new Write("a", "m" + i)), i);
      state = state.toBuilder().put("log", next).build();
      versions[i] = state.getList("log");
    }

    List<Object> last = state.getList("log");
    assertEquals(count, last.size());
    for (int i = 0; i < count; i++) {
      assertEquals("m" + i, last.get(i));
      assertEquals(i + 1, versions[i].size(), "version " + i);
      assertEquals("m" + i, versions[i].get(i), "version " + i);
    }
    for (int v = 0; v < count; v += 997) {
      for (int i = 0; i <= v; i++) {
        assertEquals("m" + i, versions[v].get(i), "element " + i + " of version " + v);
      }
    }
  }

  @Test
  void concurrentAppendsToTheSameVersionEachSeeOnlyTheirOwnItem() throws Exception {
    List<?> base = append(null, 0, new Write("a", List.of("a", "b")));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<List<?>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String item = "t" + t;
        Callable<List<?>> task = () -> {
          go.await();
          return append(base, 1, new Write("n", item));
        };
        futures.add(pool.submit(task));
      }
      go.countDown();
      for (int t = 0; t < threads; t++) {
        assertEquals(List.of("a", "b", "t" + t), futures.get(t).get(10, TimeUnit.SECONDS));
      }
      assertEquals(List.of("a", "b"), base);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theAppendedListIsImmutable() {
    @SuppressWarnings("unchecked")
    List<Object> value = (List<Object>) append(null, 0, new Write("a", List.of("x", "y")));

    assertThrows(UnsupportedOperationException.class, () -> value.add("z"));
    assertThrows(UnsupportedOperationException.class, () -> value.set(0, "z"));
    assertThrows(UnsupportedOperationException.class, () -> value.remove(0));
    assertThrows(UnsupportedOperationException.class, value::clear);
    assertEquals(List.of("x", "y"), value);
  }

  @Test
  void checkpointRoundTripThroughJsonKeepsTheList() {
    List<?> value = append(null, 0, new Write("a", List.of("x", 1)));
    value = append(value, 1, new Write("a", Values.freeze(Map.of("k", List.of(true)), "test")),
        new Write("b", (Object) null));
    State state = State.empty().toBuilder().put("log", value).build();

    State restored = State.of(new JsonObject(state.toJson().encode()).getMap());

    assertEquals(state, restored);
    assertEquals(List.of("x", 1, Map.of("k", List.of(true))), restored.getList("log").subList(0, 3));
    assertTrue(restored.getList("log").get(3) == null && restored.getList("log").size() == 4);
    List<?> extended = append(restored.get("log"), 2, new Write("a", "after restore"));
    assertEquals(5, extended.size());
    assertEquals("after restore", extended.get(4));
    assertEquals(4, restored.getList("log").size());
  }
}
