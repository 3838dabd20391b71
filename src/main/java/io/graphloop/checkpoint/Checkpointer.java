package io.graphloop.checkpoint;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.state.Channel;
import io.graphloop.state.State;
import io.vertx.core.Future;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Saves and loads a graph's checkpoints incrementally over a {@link CheckpointStore}; this is what the runtime
 * calls. A save stores only what changed since its parent checkpoint: unchanged channels keep their version
 * (found by identity or equality, in memory, with no I/O, because the parent {@link Checkpoint} carries its
 * state); a changed append channel whose list extends the parent's stores only the new elements (an
 * {@link BlobRecord.Kind#APPEND APPEND} blob), and every {@link #DEFAULT_MAX_DELTAS} deltas (configurable) its
 * full list again, so a load reads a bounded chain; any other change stores the channel's full value. A thread
 * of n steps that each append one message stores O(n) bytes, not O(n²).
 *
 * <p>Versions are checkpoint ids, so two checkpoints with the same parent (a fork, time travel) write separate
 * deltas that extend the same parent blob, and their lineages never mix.
 *
 * <p>{@link #history} returns records only; the values of one of them come from {@link #load(CheckpointRecord)}
 * (a history of 100 steps does not read 100 states).
 *
 * <p>Immutable and thread-safe: one instance serves every thread of a graph, from any thread; it holds no
 * per-thread state (the caller keeps the last {@link Checkpoint} of a run as the next save's parent). Every
 * method returns a future and never blocks; the in-memory comparison of a save costs one pass over the changed
 * channels (one pointer comparison per element of a grown list).
 */
public final class Checkpointer {

  /** Append deltas allowed after a full value before the next change stores the full list again. */
  public static final int DEFAULT_MAX_DELTAS = 1000;

  private final CheckpointStore store;
  private final Map<String, Channel> channels;
  private final int maxDeltas;
  private final CheckpointIds ids;
  private final Clock clock;
  private final java.util.concurrent.atomic.AtomicReference<SaveListener> listener; // shared with copies

  /**
   * Hears how long each save took (for metrics). Called on the context the store completes on; must not block.
   */
  public interface SaveListener {

    /**
     * @param kind      {@code checkpoint} (a {@link #save}) or {@code writes} (a {@link #putWrites})
     * @param succeeded whether the store made it durable
     * @param nanos     from the call to the store's answer
     */
    void saved(String kind, boolean succeeded, long nanos);
  }

  /**
   * A checkpointer of a graph whose declared channels are {@code channels} (e.g. {@code graph.channels()});
   * undeclared channels are last-value channels and always store their full value.
   */
  public Checkpointer(CheckpointStore store, Map<String, Channel> channels) {
    this(store, channels, DEFAULT_MAX_DELTAS, CheckpointIds.system(), Clock.systemUTC(),
        new java.util.concurrent.atomic.AtomicReference<>());
  }

  private Checkpointer(CheckpointStore store, Map<String, Channel> channels, int maxDeltas, CheckpointIds ids,
                       Clock clock, java.util.concurrent.atomic.AtomicReference<SaveListener> listener) {
    this.listener = listener;
    this.store = Objects.requireNonNull(store, "store");
    this.channels = Map.copyOf(Objects.requireNonNull(channels, "channels"));
    this.maxDeltas = maxDeltas;
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A checkpointer of {@code graph}'s channels. */
  public static Checkpointer forGraph(CheckpointStore store, CompiledGraph graph) {
    return new Checkpointer(store, graph.channels());
  }

  /**
   * A copy that allows {@code maxDeltas} append deltas after a full value (0: always store full values).
   *
   * @throws IllegalArgumentException when {@code maxDeltas} is negative
   */
  public Checkpointer withMaxDeltas(int maxDeltas) {
    if (maxDeltas < 0) {
      throw new IllegalArgumentException("maxDeltas must be greater than or equal to 0, was " + maxDeltas);
    }
    return new Checkpointer(store, channels, maxDeltas, ids, clock, listener);
  }

  /** A copy that takes checkpoint ids from {@code ids} and times from {@code clock} (for tests). */
  public Checkpointer withTime(CheckpointIds ids, Clock clock) {
    return new Checkpointer(store, channels, maxDeltas, ids, clock, listener);
  }

  /**
   * Sets the listener of this checkpointer's saves and of its copies' ({@code null}: none, and no clock is read).
   * Thread-safe.
   */
  public void listen(SaveListener saveListener) {
    listener.set(saveListener);
  }

  private <T> Future<T> timed(String kind, java.util.function.Supplier<Future<T>> save) {
    SaveListener current = listener.get();
    if (current == null) {
      return save.get();
    }
    long start = System.nanoTime();
    return save.get().andThen(done -> current.saved(kind, done.succeeded(), System.nanoTime() - start));
  }

  /** The store. */
  public CheckpointStore store() {
    return store;
  }

  /** The append deltas allowed after a full value. */
  public int maxDeltas() {
    return maxDeltas;
  }

  /**
   * Saves {@code state} as a new checkpoint of {@code threadId}, storing only what changed since
   * {@code parent}.
   *
   * @param parent    the checkpoint the state was derived from (the last one saved or loaded; for a fork, the
   *                  one forked from); {@code null} for a thread's first checkpoint. It must be of the same thread.
   * @param state     the state to save
   * @param step      the superstep just completed (-1 for the input)
   * @param source    why it is saved
   * @param metadata  free-form JSON metadata, or {@code null}
   * @param nextTasks the tasks due next (see {@link CheckpointRecord#task}), or {@code null}
   * @param joins     the waiting joins' progress (e.g. {@code JoinBarriers.describe(graph)}), or {@code null}
   * @return the saved checkpoint (its state is {@code state}), to pass as the next save's parent; a failed
   *     future with an {@link IllegalArgumentException} for bad arguments or a {@link CheckpointStoreException}
   */
  public Future<Checkpoint> save(String threadId, Checkpoint parent, State state, int step, CheckpointSource source,
                                 Map<String, ?> metadata, List<? extends Map<String, ?>> nextTasks,
                                 Map<String, ?> joins) {
    return save(threadId, parent, state, step, source, metadata, nextTasks, joins,
        parent == null ? null : parent.checkpointId());
  }

  /**
   * {@link #save(String, Checkpoint, State, int, CheckpointSource, Map, List, Map)} fenced on the head the caller
   * expects the thread to have ({@link CheckpointStore#put(CheckpointRecord, List, String)}): a run that started from
   * an earlier checkpoint than the thread's head passes the head it saw, for its first save.
   *
   * @return as the other {@code save}; a {@link ThreadTakenOverException} when the thread's head is another
   */
  public Future<Checkpoint> save(String threadId, Checkpoint parent, State state, int step, CheckpointSource source,
                                 Map<String, ?> metadata, List<? extends Map<String, ?>> nextTasks,
                                 Map<String, ?> joins, String expectedHead) {
    return save(threadId, parent, state, step, source, metadata, nextTasks, joins, expectedHead, null);
  }

  /**
   * A new checkpoint id greater than {@code after} ({@code null}: any), from this checkpointer's id source: a run
   * that announces its checkpoints before their saves complete takes their ids here and passes each to
   * {@link #save(String, Checkpoint, State, int, CheckpointSource, Map, List, Map, String, String)}.
   */
  public String nextCheckpointId(String after) {
    return ids.nextIdAfter(after);
  }

  /**
   * {@link #save(String, Checkpoint, State, int, CheckpointSource, Map, List, Map, String)} under a checkpoint id the
   * caller took from {@link #nextCheckpointId} ({@code null}: a new one); it must be greater than the parent's.
   */
  public Future<Checkpoint> save(String threadId, Checkpoint parent, State state, int step, CheckpointSource source,
                                 Map<String, ?> metadata, List<? extends Map<String, ?>> nextTasks,
                                 Map<String, ?> joins, String expectedHead, String checkpointId) {
    return save(threadId, parent, state, step, source, metadata, nextTasks, joins, expectedHead, checkpointId, null);
  }

  /**
   * {@link #save(String, Checkpoint, State, int, CheckpointSource, Map, List, Map, String, String)} with the writes
   * of the parent's tasks that made this checkpoint and are not stored as pending writes of the parent, as results
   * by position in the parent's next tasks ({@link CheckpointRecord#taskResults()}; {@code null}: none). They
   * travel in the checkpoint's own row: no other statement.
   */
  public Future<Checkpoint> save(String threadId, Checkpoint parent, State state, int step, CheckpointSource source,
                                 Map<String, ?> metadata, List<? extends Map<String, ?>> nextTasks,
                                 Map<String, ?> joins, String expectedHead, String checkpointId,
                                 List<?> taskResults) {
    CheckpointRecord record;
    List<BlobRecord> blobs;
    try {
      CheckpointRecord.requireText(threadId, "threadId");
      Objects.requireNonNull(state, "state");
      if (parent != null && !parent.threadId().equals(threadId)) {
        throw new IllegalArgumentException("The parent checkpoint " + parent.checkpointId() + " belongs to thread '"
            + parent.threadId() + "', not to thread '" + threadId + "'; a checkpoint's parent is of its own thread");
      }
      if (checkpointId != null && parent != null && checkpointId.compareTo(parent.checkpointId()) <= 0) {
        throw new IllegalArgumentException("Checkpoint id " + checkpointId + " of thread '" + threadId + "' must be "
            + "greater than its parent's, " + parent.checkpointId() + " (take it from nextCheckpointId(parentId))");
      }
      String id = checkpointId != null ? checkpointId : ids.nextIdAfter(parent == null ? null : parent.checkpointId());
      ChannelDeltas.Plan plan = ChannelDeltas.plan(threadId, id, parent, state, channels, maxDeltas);
      record = new CheckpointRecord(threadId, id, parent == null ? null : parent.checkpointId(), step,
          clock.instant(), source, CheckpointJson.frozenMap(metadata, "the metadata of a checkpoint"),
          plan.versions(), CheckpointJson.frozenMaps(nextTasks, "the next tasks of a checkpoint"),
          CheckpointJson.frozenMap(joins, "the joins of a checkpoint"), plan.depths(),
          taskResults == null ? null : new ArrayList<Object>(taskResults));
      blobs = plan.blobs();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return timed("checkpoint", () -> store.put(record, blobs, expectedHead))
        .map(v -> new Checkpoint(record, state, List.of()));
  }

  /** The newest checkpoint of the thread with its state and pending writes, or {@code null} for a new thread. */
  public Future<Checkpoint> load(String threadId) {
    return store.latestStored(threadId).map(stored -> stored == null ? null : checkpoint(stored));
  }

  /**
   * Checkpoint {@code checkpointId} of the thread with its state and pending writes.
   *
   * @return a failed future with a {@link CheckpointNotFoundException} naming the thread and id when there is no
   *     such checkpoint
   */
  public Future<Checkpoint> load(String threadId, String checkpointId) {
    return store.get(threadId, checkpointId).compose(record -> record == null
        ? Future.failedFuture(new CheckpointNotFoundException(threadId, checkpointId)) : load(record));
  }

  /**
   * The values and pending writes of a stored record (e.g. one of {@link #history}): every channel's blob chain
   * is read and its deltas concatenated, all channels at once.
   *
   * @return a failed future with a {@link CheckpointStoreException} when a blob is missing
   */
  public Future<Checkpoint> load(CheckpointRecord record) {
    return StoredCheckpoint.read(store, record).map(this::checkpoint);
  }

  /** The checkpoint a stored one stands for: each channel's deltas concatenated into its value. */
  private Checkpoint checkpoint(StoredCheckpoint stored) {
    CheckpointRecord record = stored.record();
    LinkedHashMap<String, Object> values = new LinkedHashMap<>(Math.max(4, stored.chains().size() * 2));
    stored.chains().forEach((channel, chain) -> values.put(channel, ChannelDeltas.value(record, channel,
        record.versionOf(channel), chain, store.describe())));
    return new Checkpoint(record, State.of(values), stored.writes());
  }

  /**
   * Stores the writes of one completed task of the step that started from checkpoint {@code checkpointId}, so a
   * resumed step does not run it again. Channel writes are numbered from 0 in {@code writes}' order; special
   * channels ({@link WriteRecord#ERROR}, {@link WriteRecord#INTERRUPT}, ...) get their fixed negative index.
   * Saving the same task's channel writes again keeps the first ones; its special writes replace the earlier ones.
   */
  public Future<Void> putWrites(String threadId, String checkpointId, String taskId, String node,
                                Map<String, ?> writes) {
    List<WriteRecord> records;
    try {
      Objects.requireNonNull(writes, "writes");
      records = new ArrayList<>(writes.size());
      int index = 0;
      for (Map.Entry<String, ?> write : writes.entrySet()) {
        Integer special = WriteRecord.specialIndex(write.getKey());
        records.add(new WriteRecord(threadId, checkpointId, taskId, node, special != null ? special : index++,
            write.getKey(), write.getValue()));
      }
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return timed("writes", () -> store.putWrites(threadId, checkpointId, records));
  }

  /**
   * The thread's checkpoints, newest first, at most {@code limit}, older than {@code before} when it is not
   * {@code null}; records only (see {@link #load(CheckpointRecord)} for values).
   */
  public Future<List<CheckpointRecord>> history(String threadId, int limit, String before) {
    return store.list(threadId, limit, before);
  }

  /** Removes the thread's checkpoints, blobs and writes. */
  public Future<Void> deleteThread(String threadId) {
    return store.deleteThread(threadId);
  }
}
