package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/** Records and asynchronous loops for the checkpoint tests. */
final class Fixtures {

  private Fixtures() {
  }

  /** A thread id no other test uses (the PostgreSQL tests share one database). */
  static String newThread() {
    return "thread-" + UUID.randomUUID();
  }

  /** A record whose channels are all versioned by itself (each needs a blob in the same put). */
  static CheckpointRecord record(String thread, String id, String parent, int step, List<String> channels) {
    Map<String, String> versions = new LinkedHashMap<>();
    for (String channel : channels) {
      versions.put(channel, id);
    }
    return record(thread, id, parent, step, versions, Map.of());
  }

  static CheckpointRecord record(String thread, String id, String parent, int step, Map<String, String> versions,
                                 Map<String, Integer> depths) {
    return new CheckpointRecord(thread, id, parent, step, Instant.parse("2025-01-02T03:04:05.123456789Z"),
        CheckpointSource.LOOP, Map.of("step", step), versions, List.of(), Map.of(), depths);
  }

  /** A record with nothing versioned (a put with no blobs). */
  static CheckpointRecord bare(String thread, String id, String parent, int step) {
    return record(thread, id, parent, step, List.of());
  }

  /**
   * Runs {@code step(i, previous)} for i = 0..times-1, each after the previous one's future completed, and
   * completes with the last result. Each step starts from the event loop's queue, so a store whose futures are
   * already complete (the memory store) does not grow the stack.
   */
  static <T> Future<T> iterate(Vertx vertx, int times, T seed, BiFunction<Integer, T, Future<T>> step) {
    Promise<T> done = Promise.promise();
    new Object() {
      void next(int i, T value) {
        if (i == times) {
          done.complete(value);
          return;
        }
        step.apply(i, value).onComplete(ar -> {
          if (ar.failed()) {
            done.fail(ar.cause());
          } else {
            vertx.runOnContext(v -> next(i + 1, ar.result()));
          }
        });
      }
    }.next(0, seed);
    return done.future();
  }

  /** {@code count} ids of one generator, in creation (and string) order. */
  static List<String> ids(int count) {
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(CheckpointIds.next());
    }
    return ids;
  }
}
