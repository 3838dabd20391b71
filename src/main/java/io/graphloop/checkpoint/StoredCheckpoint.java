package io.graphloop.checkpoint;

import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A checkpoint as stored, with everything its state is made of: the record, the blob chain of each channel it
 * versions ({@link CheckpointStore#chain}, by channel, in the record's channel order) and the pending writes of the
 * step that started from it ({@link CheckpointStore#writes}). What {@link CheckpointStore#latestStored} reads in one
 * store call when a run starts; {@link Checkpointer#load(String)} turns it into a {@link Checkpoint}.
 *
 * <p>Immutable once built; thread-safe.
 *
 * @param record the stored record
 * @param chains each versioned channel's blobs, newest first (see {@link CheckpointStore#chain})
 * @param writes the pending writes, ordered by task id, then index
 */
public record StoredCheckpoint(CheckpointRecord record, Map<String, List<BlobRecord>> chains,
                               List<WriteRecord> writes) {

  public StoredCheckpoint {
    Objects.requireNonNull(record, "record");
    chains = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(chains));
    writes = List.copyOf(writes);
  }

  /**
   * Reads what {@code record} is made of with the store's own calls (one per channel, one for the writes, all at
   * once): the way a store without a read of its own for it answers {@link CheckpointStore#latestStored}.
   */
  static Future<StoredCheckpoint> read(CheckpointStore store, CheckpointRecord record) {
    List<String> names = new ArrayList<>(record.channelVersions().keySet());
    List<Future<List<BlobRecord>>> chains = new ArrayList<>(names.size());
    for (String channel : names) {
      chains.add(store.chain(record.threadId(), channel, record.versionOf(channel)));
    }
    Future<List<WriteRecord>> writes = store.writes(record.threadId(), record.checkpointId());
    return Future.all(chains).compose(all -> writes.map(pending -> {
      Map<String, List<BlobRecord>> byChannel = new LinkedHashMap<>(Math.max(4, names.size() * 2));
      for (int i = 0; i < names.size(); i++) {
        byChannel.put(names.get(i), chains.get(i).result());
      }
      return new StoredCheckpoint(record, byChannel, pending);
    }));
  }
}
