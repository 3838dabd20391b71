package io.graphloop.checkpoint;

import io.graphloop.state.Channel;
import io.graphloop.state.Channels;
import io.graphloop.state.State;
import io.graphloop.state.StateJson;
import io.graphloop.state.Values;
import io.graphloop.state.Write;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.graphloop.checkpoint.Fixtures.iterate;
import static io.graphloop.checkpoint.Fixtures.newThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract, part two: the {@link Checkpointer} over the store under test. Saves only what changed, loads
 * the same state back (append deltas, snapshots, forks, exact values), and stores a long thread in linear space.
 * States are built the way the runtime builds them: append channels grow through {@link Channels#append()}.
 */
abstract class CheckpointerContract extends CheckpointStoreContract {

  static final Map<String, Channel> CHANNELS = Map.of("messages", Channels.append());

  Checkpointer checkpointer() {
    return new Checkpointer(store, CHANNELS);
  }

  /**
   * {@code state} with {@code items} appended to append channel {@code channel}, as a superstep would (writes
   * are frozen before they reach a channel).
   */
  static State append(State state, String channel, Object... items) {
    Object grown = Channels.append().update(channel, state.has(channel), state.get(channel),
        List.of(new Write("node", Values.freeze(Arrays.asList(items), "test items"))), 0);
    return state.toBuilder().put(channel, grown).build();
  }

  static State set(State state, String channel, Object value) {
    return state.toBuilder().put(channel, value).build();
  }

  Future<Checkpoint> save(Checkpointer checkpointer, String thread, Checkpoint parent, State state) {
    int step = parent == null ? -1 : parent.step() + 1;
    return checkpointer.save(thread, parent, state, step, step < 0 ? CheckpointSource.INPUT : CheckpointSource.LOOP,
        Map.of("step", step), List.of(CheckpointRecord.task("run:" + (step + 1) + ":a", "a", null)), Map.of());
  }

  /** A fork: a new branch from {@code parent}, which need not be the thread's head. */
  Future<Checkpoint> fork(Checkpointer checkpointer, String thread, Checkpoint parent, State state) {
    return checkpointer.save(thread, parent, state, parent.step(), CheckpointSource.FORK, Map.of(), List.of(),
        Map.of());
  }

  @Test
  void aSaveStoresOnlyTheChannelsThatChanged(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    State first = append(State.of(Map.of("count", 1, "topic", "x")), "messages", "m1");
    State second = append(set(first, "count", 2), "messages", "m2");
    save(checkpointer, thread, null, first)
        .compose(c1 -> save(checkpointer, thread, c1, second).map(c2 -> List.of(c1, c2)))
        .compose(both -> store.chain(thread, "messages", both.get(1).record().versionOf("messages"))
            .map(chain -> Map.of("c1", both.get(0), "c2", both.get(1), "chain", chain)))
        .onComplete(ctx.succeeding(got -> ctx.verify(() -> {
          CheckpointRecord c1 = ((Checkpoint) got.get("c1")).record();
          CheckpointRecord c2 = ((Checkpoint) got.get("c2")).record();
          assertEquals(List.copyOf(second.channels()), List.copyOf(c2.channelVersions().keySet()));
          assertEquals(c2.checkpointId(), c2.versionOf("count"));
          assertEquals(c1.checkpointId(), c2.versionOf("topic"), "unchanged: the parent's version, no new blob");
          assertEquals(c2.checkpointId(), c2.versionOf("messages"));
          assertEquals(Map.of("messages", 1), c2.deltaDepth());
          assertEquals(c1.checkpointId(), c2.parentId());
          @SuppressWarnings("unchecked")
          List<BlobRecord> chain = (List<BlobRecord>) got.get("chain");
          assertEquals(List.of(BlobRecord.Kind.APPEND, BlobRecord.Kind.FULL), chain.stream().map(BlobRecord::kind).toList());
          assertEquals(List.of("m2"), chain.get(0).value(), "only the appended element is stored");
          assertEquals(c1.checkpointId(), chain.get(0).prevVersion());
          ctx.completeNow();
        })));
  }

  @Test
  void loadReconstructsEverySavedStateIncludingAppendDeltas(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    List<Checkpoint> saved = new ArrayList<>();
    iterate(vertx, 12, (Checkpoint) null, (i, parent) -> {
      State state = parent == null ? State.of(Map.of("question", "q")) : parent.state();
      state = append(set(state, "step", i), "messages", Map.of("role", i % 2 == 0 ? "user" : "ai", "n", i));
      return save(checkpointer, thread, parent, state).onSuccess(saved::add);
    })
        .compose(last -> checkpointer.load(thread))
        .compose(latest -> checkpointer.history(thread, 100, null).map(history -> {
          assertEquals(saved.get(11).record(), latest.record());
          assertEquals(saved.get(11).state(), latest.state());
          assertEquals(saved.get(11).state().toString(), latest.state().toString(), "same key order");
          assertEquals(12, latest.state().getList("messages").size());
          assertEquals(newestFirst(saved), idsOf(history));
          return history;
        }))
        .compose(history -> Future.all(history.stream().map(checkpointer::load).toList()))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          for (int i = 0; i < 12; i++) {
            Checkpoint loaded = all.resultAt(11 - i);
            assertEquals(saved.get(i).state(), loaded.state(), "state of step " + i);
          }
          ctx.completeNow();
        })));
  }

  @Test
  void appendChainsAreCutByAFullValueEveryMaxDeltas(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = checkpointer().withMaxDeltas(3);
    List<Checkpoint> saved = new ArrayList<>();
    iterate(vertx, 10, (Checkpoint) null, (i, parent) -> save(checkpointer, thread, parent,
        append(parent == null ? State.empty() : parent.state(), "messages", "m" + i)).onSuccess(saved::add))
        .compose(last -> Future.all(saved.stream()
            .map(c -> store.chain(thread, "messages", c.record().versionOf("messages"))).toList()))
        .compose(chains -> checkpointer.load(thread).map(latest -> {
          List<String> kinds = new ArrayList<>();
          for (int i = 0; i < 10; i++) {
            List<BlobRecord> chain = chains.resultAt(i);
            kinds.add(chain.get(0).kind().name());
            assertTrue(chain.size() <= 4, "a chain holds at most 3 deltas and a full value");
          }
          assertEquals(List.of("FULL", "APPEND", "APPEND", "APPEND", "FULL", "APPEND", "APPEND", "APPEND", "FULL",
              "APPEND"), kinds);
          assertEquals(List.of(0, 1, 2, 3, 0, 1, 2, 3, 0, 1), saved.stream()
              .map(c -> c.record().deltaDepth().getOrDefault("messages", 0)).toList());
          assertEquals(saved.get(9).state(), latest.state());
          return latest;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aListThatDoesNotExtendItsParentIsStoredInFull(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    State first = append(set(State.empty(), "plain", List.of(1)), "messages", "a", "b");
    State second = set(set(first, "messages", List.of("a", "c", "d")), "plain", List.of(1, 2));
    save(checkpointer, thread, null, first)
        .compose(c1 -> save(checkpointer, thread, c1, second))
        .compose(c2 -> Future.all(store.chain(thread, "messages", c2.record().versionOf("messages")),
            store.chain(thread, "plain", c2.record().versionOf("plain")), checkpointer.load(thread)))
        .onComplete(ctx.succeeding(all -> ctx.verify(() -> {
          assertEquals(1, all.<List<BlobRecord>>resultAt(0).size(), "a rewritten list is a full value");
          assertEquals(1, all.<List<BlobRecord>>resultAt(1).size(), "a last-value list is always a full value");
          assertEquals(second, all.<Checkpoint>resultAt(2).state());
          ctx.completeNow();
        })));
  }

  @Test
  void forksOfOneParentKeepTheirLineagesApart(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    save(checkpointer, thread, null, append(State.empty(), "messages", "root"))
        .compose(root -> save(checkpointer, thread, root, append(root.state(), "messages", "left"))
            .compose(left -> fork(checkpointer, thread, root, append(root.state(), "messages", "right"))
                .compose(right -> fork(checkpointer, thread, left, append(left.state(), "messages", "left-2"))
                    .map(left2 -> List.of(root, left, right, left2)))))
        .compose(saved -> Future.all(checkpointer.load(thread, saved.get(3).checkpointId()),
                checkpointer.load(thread, saved.get(2).checkpointId()), checkpointer.history(thread, 10, null),
                store.chain(thread, "messages", saved.get(2).record().versionOf("messages")))
            .map(all -> {
              assertEquals(List.of("root", "left", "left-2"), all.<Checkpoint>resultAt(0).state().getList("messages"));
              assertEquals(List.of("root", "right"), all.<Checkpoint>resultAt(1).state().getList("messages"));
              assertEquals(saved.get(0).checkpointId(), saved.get(2).record().parentId());
              assertEquals(newestFirst(saved), idsOf(all.resultAt(2)), "both lineages, by id");
              List<BlobRecord> rightChain = all.resultAt(3);
              assertEquals(saved.get(0).checkpointId(), rightChain.get(0).prevVersion());
              return all;
            }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /**
   * Fencing: a save whose parent is no longer the thread's head (another coordinator saved since) fails with
   * THREAD_TAKEN_OVER and stores nothing; so does a run's save on a thread deleted meanwhile; a fork from an
   * older checkpoint is allowed, and a retried put of the head replaces it.
   */
  @Test
  void aSaveWhoseParentIsNoLongerTheHeadIsRefused(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    save(checkpointer, thread, null, append(State.empty(), "messages", "root"))
        .compose(root -> save(checkpointer, thread, root, append(root.state(), "messages", "taker"))
            .compose(taker -> save(checkpointer, thread, root, append(root.state(), "messages", "stale"))
                .transform(stale -> {
                  assertTrue(stale.failed(), "the stale save was refused");
                  ThreadTakenOverException refused = assertInstanceOf(ThreadTakenOverException.class, stale.cause());
                  assertEquals(io.graphloop.errors.FailureCode.THREAD_TAKEN_OVER, refused.code());
                  assertEquals(taker.checkpointId(), refused.head());
                  assertTrue(refused.getMessage().contains("THREAD_TAKEN_OVER"), refused.getMessage());
                  return store.chain(thread, "messages", taker.checkpointId()) // a retried put of the head
                      .compose(chain -> store.put(taker.record(), List.of(chain.get(0))));
                })
                .compose(v -> store.list(thread, 10, null))
                .map(listed -> {
                  assertEquals(2, listed.size(), "nothing of the stale save is stored");
                  assertEquals(taker.checkpointId(), listed.get(0).checkpointId());
                  return taker;
                })))
        .compose(head -> checkpointer.deleteThread(thread).compose(v -> save(checkpointer, thread, head,
            append(head.state(), "messages", "after delete"))).transform(afterDelete -> {
              assertInstanceOf(ThreadTakenOverException.class, afterDelete.cause());
              return store.latest(thread);
            }))
        .onComplete(ctx.succeeding(latest -> ctx.verify(() -> {
          assertEquals(null, latest, "a deleted thread stays empty");
          ctx.completeNow();
        })));
  }

  /**
   * A run that starts from an earlier checkpoint saves with that checkpoint as parent and fences on the head it saw
   * when it started: allowed while that is still the head, refused once another save moved the head.
   */
  @Test
  void aSaveFromAnEarlierCheckpointIsFencedOnTheHeadItExpects(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    save(checkpointer, thread, null, append(State.empty(), "messages", "root"))
        .compose(root -> save(checkpointer, thread, root, append(root.state(), "messages", "later"))
            .compose(later -> checkpointer.save(thread, root, append(root.state(), "messages", "branch"), 1,
                    CheckpointSource.LOOP, Map.of(), List.of(), Map.of(), later.checkpointId())
                .compose(branch -> {
                  assertEquals(root.checkpointId(), branch.record().parentId(), "the branch's parent is the earlier one");
                  return checkpointer.save(thread, root, append(root.state(), "messages", "stale branch"), 1,
                      CheckpointSource.LOOP, Map.of(), List.of(), Map.of(), later.checkpointId())
                      .transform(stale -> {
                        ThreadTakenOverException refused = assertInstanceOf(ThreadTakenOverException.class,
                            stale.cause(), "a second branch expecting the old head is refused");
                        assertEquals(branch.checkpointId(), refused.head());
                        assertTrue(refused.getMessage().contains(later.checkpointId()), refused.getMessage());
                        return store.latest(thread);
                      })
                      .map(latest -> {
                        assertEquals(branch.checkpointId(), latest.checkpointId(), "the branch is the head");
                        return latest;
                      });
                })))
        .onComplete(ctx.succeeding(latest -> ctx.completeNow()));
  }

  @Test
  void valuesRoundTripExactly(VertxTestContext ctx) {
    String thread = newThread();
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("zeta", List.of(1, List.of(), Map.of(), "deep"));
    nested.put("alpha", null);
    nested.put("mid", Map.of("b", true, "a", false));
    LinkedHashMap<String, Object> values = new LinkedHashMap<>();
    values.put("z-first", "declared first, sorts last");
    values.put("int", 42);
    values.put("negative", -7);
    values.put("long", 9_007_199_254_740_993L);
    values.put("minLong", Long.MIN_VALUE);
    values.put("big", new BigInteger("123456789012345678901234567890"));
    values.put("double", 0.1);
    values.put("wholeDouble", 2.0);
    values.put("tiny", 1.0e-300);
    values.put("null", null);
    values.put("text", "quote \" backslash \\ newline \n tab \t unicode é ✓ 😀 \u0000");
    values.put("nested", nested);
    values.put("empty", List.of());
    State state = append(State.of(values), "messages", Map.of("role", "user", "content", "hi"), null, 3);
    Checkpointer checkpointer = checkpointer();
    save(checkpointer, thread, null, state)
        .compose(saved -> checkpointer.putWrites(thread, saved.checkpointId(), "task", "a", Map.of("nested", nested))
            .compose(v -> checkpointer.load(thread, saved.checkpointId())))
        .onComplete(ctx.succeeding(loaded -> ctx.verify(() -> {
          assertEquals(state, loaded.state());
          assertEquals(state.toString(), loaded.state().toString(), "same key order, same JSON");
          assertEquals(List.copyOf(state.channels()), List.copyOf(loaded.state().channels()));
          assertInstanceOf(Long.class, loaded.state().get("long"));
          assertInstanceOf(BigInteger.class, loaded.state().get("big"));
          assertInstanceOf(Double.class, loaded.state().get("wholeDouble"));
          assertEquals(nested, loaded.pendingWrites().get(0).value());
          assertEquals(StateJson.mapper().writeValueAsString(Values.freeze(nested, "nested")),
              StateJson.mapper().writeValueAsString(loaded.pendingWrites().get(0).value()));
          ctx.completeNow();
        })));
  }

  @Test
  void aNumberJsonCannotHoldIsRefusedAtInputNotTurnedIntoAString(VertxTestContext ctx) {
    String thread = newThread();
    ctx.verify(() -> {
      IllegalArgumentException nested = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> State.of(Map.of("score", Map.of("value", Double.NaN))));
      assertTrue(nested.getMessage().contains("channel 'score'") && nested.getMessage().contains("not a JSON number"),
          nested.getMessage());
    });
    expectFailure(checkpointer().putWrites(thread, "c1", "task", "a", Map.of("score", Float.POSITIVE_INFINITY)),
        IllegalArgumentException.class, "not a JSON number")
        .compose(v -> store.latest(thread)).onComplete(ctx.succeeding(latest -> ctx.verify(() -> {
      assertNull(latest, "nothing was stored");
      ctx.completeNow();
    })));
  }

  /**
   * The number model's property over this store: random states (every Java number type, text with surrogate pairs,
   * nesting) saved as checkpoints and as pending writes load back equal, type for type, in the same key order.
   * Before the model a {@code Long} loaded as {@code Integer} and a {@code Float} or {@code BigDecimal} changed value.
   */
  @Test
  void randomStatesLoadBackEqualTypeForType(VertxTestContext ctx) {
    java.util.Random random = new java.util.Random(9);
    List<State> states = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      states.add(io.graphloop.state.RandomValues.state(random, 3));
    }
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    Future<Checkpoint> chain = Future.succeededFuture(null);
    List<Checkpoint> saved = new ArrayList<>();
    for (State state : states) {
      chain = chain.compose(parent -> save(checkpointer, thread, parent, state)
          .compose(c -> checkpointer.putWrites(thread, c.checkpointId(), "task", "a", state.asMap()).map(c))
          .onSuccess(saved::add));
    }
    chain.compose(last -> {
      Future<Void> loads = Future.succeededFuture();
      for (int i = 0; i < saved.size(); i++) {
        int index = i;
        loads = loads.compose(v -> checkpointer.load(thread, saved.get(index).checkpointId()).map(loaded -> {
          ctx.verify(() -> {
            State state = states.get(index);
            assertEquals(state, loaded.state(), "state " + index);
            assertEquals(state.toString(), loaded.state().toString(), "state " + index + ": same JSON and order");
            Map<String, Object> writes = new LinkedHashMap<>();
            loaded.pendingWrites().forEach(w -> writes.put(w.channel(), w.value()));
            assertEquals(state.asMap(), writes, "state " + index + " as pending writes");
          });
          return null;
        }));
      }
      return loads;
    }).onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aThreadIdThatIsNotValidUnicodeIsRefusedNotStoredAsAQuestionMark(VertxTestContext ctx) {
    expectFailure(save(checkpointer(), "user-\uD800", null, State.of(Map.of("a", 1))), IllegalArgumentException.class,
        "threadId").compose(v -> expectFailure(store.latest("user-\uD800"), IllegalArgumentException.class,
            "lone UTF-16 surrogate"))
        .compose(v -> expectFailure(save(checkpointer(), newThread(), null, State.of(Map.of("a\u0000b", 1))),
            IllegalArgumentException.class, "U+0000 (NUL) at index 1"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void loadReturnsThePendingWritesOfTheStepThatStartedThere(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    save(checkpointer, thread, null, State.of(Map.of("q", "x")))
        .compose(c -> checkpointer.putWrites(thread, c.checkpointId(), "run:0:b", "b", Map.of("answer", 2))
            .compose(v -> checkpointer.putWrites(thread, c.checkpointId(), "run:0:a", "a",
                mapOf("answer", 1, WriteRecord.ERROR, Map.of("type", "Boom"), "other", 3)))
            .compose(v -> checkpointer.putWrites(thread, c.checkpointId(), "run:0:a", "a", Map.of("answer", 7)))
            .compose(v -> checkpointer.load(thread)))
        .onComplete(ctx.succeeding(loaded -> ctx.verify(() -> {
          assertEquals(List.of("run:0:a/-1/__error__", "run:0:a/0/answer", "run:0:a/1/other", "run:0:b/0/answer"),
              loaded.pendingWrites().stream().map(w -> w.taskId() + "/" + w.index() + "/" + w.channel()).toList());
          assertEquals(1, loaded.pendingWrites().get(1).value(), "a task's first writes are kept");
          ctx.completeNow();
        })));
  }

  @Test
  void loadingAnUnknownCheckpointFailsNamingThreadAndId(VertxTestContext ctx) {
    String thread = newThread();
    String missing = CheckpointIds.next();
    Checkpointer checkpointer = checkpointer();
    checkpointer.load(thread)
        .compose(none -> {
          assertNull(none, "a thread with no checkpoint loads as null");
          return expectFailure(checkpointer.load(thread, missing), CheckpointNotFoundException.class,
              "Checkpoint " + missing + " of thread '" + thread + "' does not exist");
        })
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aBrokenChainFailsTheLoadNamingTheChannel(VertxTestContext ctx) {
    String thread = newThread();
    String id = CheckpointIds.next();
    store.put(Fixtures.record(thread, id, null, 0, List.of("messages")),
            List.of(BlobRecord.append(thread, "messages", id, "lost-version", List.of("b"))))
        .compose(v -> expectFailure(checkpointer().load(thread, id), CheckpointStoreException.class,
            "the value of channel 'messages' (version " + id + ") of checkpoint " + id + " of thread '" + thread
                + "' is incomplete"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void aParentOfAnotherThreadIsRefused(VertxTestContext ctx) {
    Checkpointer checkpointer = checkpointer();
    String thread = newThread();
    save(checkpointer, thread, null, State.of(Map.of("a", 1)))
        .compose(c -> expectFailure(save(checkpointer, newThread(), c, c.state()), IllegalArgumentException.class,
            "belongs to thread '" + thread + "'"))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void concurrentSavesToDifferentThreadsAllLand(VertxTestContext ctx) {
    Checkpointer checkpointer = checkpointer();
    List<String> threads = new ArrayList<>();
    List<Future<Checkpoint>> runs = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      String thread = newThread();
      threads.add(thread);
      runs.add(iterate(vertx, 8, (Checkpoint) null, (i, parent) -> save(checkpointer, thread, parent,
          append(parent == null ? State.of(Map.of("thread", thread)) : parent.state(), "messages", i))));
    }
    Future.all(runs)
        .compose(done -> Future.all(threads.stream().map(checkpointer::load).toList())
            .compose(loaded -> Future.all(threads.stream().map(t -> checkpointer.history(t, 100, null)).toList())
                .map(histories -> {
                  for (int t = 0; t < threads.size(); t++) {
                    Checkpoint latest = loaded.resultAt(t);
                    assertEquals(threads.get(t), latest.state().getString("thread"));
                    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), latest.state().getList("messages"));
                    assertEquals(8, histories.<List<?>>resultAt(t).size());
                  }
                  return histories;
                })))
        .onComplete(ctx.succeedingThenComplete());
  }

  @Test
  void bigValuesRoundTrip(VertxTestContext ctx) {
    String thread = newThread();
    List<Object> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(Map.of("id", i, "text", "row " + i, "tags", List.of("a", "b")));
    }
    State state = State.of(Map.of("document", "é".repeat(1_000_000) + "end", "rows", rows));
    Checkpointer checkpointer = checkpointer();
    save(checkpointer, thread, null, state)
        .compose(c -> checkpointer.load(thread, c.checkpointId()))
        .onComplete(ctx.succeeding(loaded -> ctx.verify(() -> {
          assertEquals(state, loaded.state());
          ctx.completeNow();
        })));
  }

  @Test
  @io.vertx.junit5.Timeout(value = 3, timeUnit = java.util.concurrent.TimeUnit.MINUTES) // 1,000 sequential commits on a busy machine
  void aLongThreadGrowsLinearlyNotQuadratically(VertxTestContext ctx) {
    int steps = 1_000;
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    long[] fullCopies = {0};
    long[] halfway = {0};
    iterate(vertx, steps, (Checkpoint) null, (i, parent) -> {
      State state = append(parent == null ? State.of(Map.of("topic", "growth")) : parent.state(), "messages",
          Map.of("role", i % 2 == 0 ? "user" : "ai", "content", "message number " + i));
      fullCopies[0] += CheckpointJson.utf8Bytes(state.toString());
      Future<Checkpoint> saved = save(checkpointer, thread, parent, state);
      return i != steps / 2 - 1 ? saved
          : saved.compose(c -> store.storedBytes(thread).map(bytes -> {
            halfway[0] = bytes;
            return c;
          }));
    })
        .compose(last -> store.storedBytes(thread).compose(bytes -> checkpointer.load(thread).map(loaded -> {
          assertEquals(last.state(), loaded.state());
          return bytes;
        })))
        .compose(bytes -> extraGrowthFigures().map(extra -> {
          double ratio = 100.0 * bytes / fullCopies[0];
          System.out.printf("[growth] %s: %d steps appending one message each: %,d bytes stored (%,d after %d "
                  + "steps; %d bytes per step); full copies of the state would take %,d bytes; stored/full = "
                  + "%.2f%%%s%n", store.describe(), steps, bytes, halfway[0], steps / 2, bytes / steps, fullCopies[0],
              ratio, extra);
          assertTrue(ratio < 5.0, "incremental storage must stay far below full copies: " + ratio + "%");
          double doubling = (double) bytes / halfway[0];
          assertTrue(doubling > 1.8 && doubling < 2.4, "twice the steps, about twice the bytes (linear): "
              + doubling);
          return bytes;
        }))
        .onComplete(ctx.succeedingThenComplete());
  }

  /** More figures for the growth line (e.g. the SQLite file size); empty by default. */
  Future<String> extraGrowthFigures() {
    return Future.succeededFuture("");
  }

  @Test
  void aStateSavedWithNoChangeWritesNoBlob(VertxTestContext ctx) {
    String thread = newThread();
    Checkpointer checkpointer = checkpointer();
    State state = append(State.of(Map.of("a", 1)), "messages", "m");
    save(checkpointer, thread, null, state)
        .compose(c1 -> store.storedBytes(thread).compose(before -> save(checkpointer, thread, c1,
                State.of(new JsonObject(state.toString()).getMap())) // equal values, other instances
            .compose(c2 -> store.storedBytes(thread).map(after -> {
              assertEquals(c1.record().channelVersions(), c2.record().channelVersions());
              assertNotEquals(c1.checkpointId(), c2.checkpointId());
              assertTrue(after - before < 400, "only the new checkpoint row: " + (after - before) + " bytes");
              return after;
            }))))
        .onComplete(ctx.succeedingThenComplete());
  }

  private static List<String> newestFirst(List<Checkpoint> saved) {
    List<String> ids = new ArrayList<>(saved.stream().map(Checkpoint::checkpointId).toList());
    Collections.reverse(ids);
    return ids;
  }

  private static Map<String, Object> mapOf(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
