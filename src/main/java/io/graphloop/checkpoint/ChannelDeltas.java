package io.graphloop.checkpoint;

import io.graphloop.state.AppendChannel;
import io.graphloop.state.Channel;
import io.graphloop.state.State;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The incremental part of checkpointing, as plain functions: which blobs a new state needs given its parent
 * ({@link #plan}), and a channel's value from its blob chain ({@link #value}). Unchanged channels keep their
 * version and write nothing; a changed append channel whose list extends the parent's writes only the new
 * elements, until {@code maxDeltas} deltas follow its last full value; anything else writes its full value.
 *
 * <p>Pure and stateless; safe from any thread.
 */
final class ChannelDeltas {

  private ChannelDeltas() {
  }

  /** What to store for a new checkpoint: every channel's version, the delta depths, and the new blobs. */
  record Plan(Map<String, String> versions, Map<String, Integer> depths, List<BlobRecord> blobs) {
  }

  static Plan plan(String threadId, String checkpointId, Checkpoint parent, State state,
                   Map<String, Channel> channels, int maxDeltas) {
    Map<String, String> versions = new LinkedHashMap<>(Math.max(4, state.size() * 2));
    Map<String, Integer> depths = new LinkedHashMap<>();
    List<BlobRecord> blobs = new ArrayList<>();
    for (String channel : state.channels()) {
      Object value = state.get(channel);
      String parentVersion = parent == null ? null : parent.record().versionOf(channel);
      if (parentVersion != null && parent.state().has(channel)) {
        Object previous = parent.state().get(channel);
        int depth = parent.record().deltaDepth().getOrDefault(channel, 0);
        if (same(previous, value)) {
          versions.put(channel, parentVersion);
          if (depth > 0) {
            depths.put(channel, depth);
          }
          continue;
        }
        if (depth < maxDeltas && channels.get(channel) instanceof AppendChannel && extendsList(previous, value)) {
          List<?> list = (List<?>) value;
          blobs.add(BlobRecord.append(threadId, channel, checkpointId, parentVersion,
              list.subList(((List<?>) previous).size(), list.size())));
          versions.put(channel, checkpointId);
          depths.put(channel, depth + 1);
          continue;
        }
      }
      blobs.add(BlobRecord.full(threadId, channel, checkpointId, value));
      versions.put(channel, checkpointId);
    }
    return new Plan(versions, depths, blobs);
  }

  /** Whether two frozen values are equal: the same instance, or equal (sizes of lists and maps first). */
  static boolean same(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a instanceof List && b instanceof List && ((List<?>) a).size() != ((List<?>) b).size()) {
      return false;
    }
    if (a instanceof Map && b instanceof Map && ((Map<?, ?>) a).size() != ((Map<?, ?>) b).size()) {
      return false;
    }
    return Objects.equals(a, b);
  }

  /**
   * Whether {@code value} is the list {@code previous} followed by at least one element. Elements are compared
   * by identity first, so a list grown by an append channel (which shares its elements) costs one pointer
   * comparison per element.
   */
  static boolean extendsList(Object previous, Object value) {
    if (!(previous instanceof List) || !(value instanceof List)) {
      return false;
    }
    List<?> before = (List<?>) previous;
    List<?> after = (List<?>) value;
    if (after.size() <= before.size()) {
      return false;
    }
    Iterator<?> old = before.iterator();
    Iterator<?> now = after.iterator();
    while (old.hasNext()) {
      Object a = old.next();
      Object b = now.next();
      if (a != b && !Objects.equals(a, b)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The value of {@code channel} at {@code version} from its chain (newest first, ending with a full value):
   * the full value, followed by the appended elements of every delta, oldest first.
   *
   * @throws CheckpointStoreException when the chain is empty, broken or does not end with a full value
   */
  static Object value(CheckpointRecord record, String channel, String version, List<BlobRecord> chain,
                      String store) {
    String where = store + ": the value of channel '" + channel + "' (version " + version + ") of checkpoint "
        + record.checkpointId() + " of thread '" + record.threadId() + "'";
    if (chain.isEmpty() || !chain.get(0).version().equals(version)) {
      throw new CheckpointStoreException(where + " is missing", record.threadId(), null);
    }
    int last = chain.size() - 1;
    for (int i = 0; i < last; i++) {
      BlobRecord blob = chain.get(i);
      if (blob.kind() != BlobRecord.Kind.APPEND || !blob.prevVersion().equals(chain.get(i + 1).version())) {
        throw new CheckpointStoreException(where + " has a broken delta chain at version " + blob.version(),
            record.threadId(), null);
      }
    }
    BlobRecord full = chain.get(last);
    if (full.kind() != BlobRecord.Kind.FULL) {
      throw new CheckpointStoreException(where + " is incomplete: the delta at version " + full.version()
          + " extends version " + full.prevVersion() + ", which is missing", record.threadId(), null);
    }
    if (last == 0) {
      return full.value();
    }
    if (!(full.value() instanceof List)) {
      throw new CheckpointStoreException(where + " appends to a value that is not a list (version "
          + full.version() + ")", record.threadId(), null);
    }
    int size = 0;
    for (BlobRecord blob : chain) {
      size += ((List<?>) blob.value()).size();
    }
    List<Object> list = new ArrayList<>(size);
    for (int i = last; i >= 0; i--) {
      list.addAll((List<?>) chain.get(i).value());
    }
    return list;
  }
}
