package io.graphloop.checkpoint;

import io.graphloop.state.JsonFields;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Objects;

/**
 * The stored value of one channel at one version (LangGraph's {@code checkpoint_blobs} row). A {@link Kind#FULL}
 * blob holds the whole value; an {@link Kind#APPEND} blob holds only the elements appended to a list since the
 * blob {@link #prevVersion()} it extends. A channel's value at a version is its chain (see
 * {@link CheckpointStore#chain}): the nearest full blob followed by the deltas, oldest first.
 *
 * <p>Immutable and thread-safe.
 *
 * @param threadId    the thread
 * @param channel     the channel's name
 * @param version     the id of the checkpoint that wrote this blob
 * @param kind        full value or append delta
 * @param prevVersion for an append delta, the version it extends; {@code null} for a full value
 * @param value       the full value, or (for an append delta) the list of appended elements; frozen
 */
public record BlobRecord(String threadId, String channel, String version, Kind kind, String prevVersion,
                         Object value) {

  /** Whether a blob holds a whole value or the elements appended to a list. */
  public enum Kind {
    /** The whole value of the channel. */
    FULL,
    /** The elements appended to the list held by version {@code prevVersion}. */
    APPEND
  }

  /**
   * Checks and freezes the fields.
   *
   * @throws IllegalArgumentException when a field is missing, an append has no previous version or a non-list
   *                                  value, or the value is not JSON-compatible
   */
  public BlobRecord {
    threadId = CheckpointRecord.requireText(threadId, "threadId");
    channel = CheckpointRecord.requireText(channel, "channel");
    version = CheckpointRecord.requireText(version, "version");
    Objects.requireNonNull(kind, "kind");
    String name = channel;
    String at = version;
    String thread = threadId;
    // the description is made only for an error: blobs are built at every save
    java.util.function.Supplier<String> where = () -> "the blob of channel '" + name + "' at version " + at
        + " of thread '" + thread + "'";
    value = Values.freeze(value, where);
    if (kind == Kind.APPEND) {
      if (prevVersion == null || prevVersion.isEmpty()) {
        throw new IllegalArgumentException("An APPEND blob must name the version it extends: " + where.get());
      }
      if (!(value instanceof List)) {
        throw new IllegalArgumentException("An APPEND blob's value must be the list of appended elements: "
            + where.get());
      }
    } else if (prevVersion != null) {
      throw new IllegalArgumentException("A FULL blob extends no version (prevVersion must be null): " + where.get());
    }
  }

  /** A full value. */
  public static BlobRecord full(String threadId, String channel, String version, Object value) {
    return new BlobRecord(threadId, channel, version, Kind.FULL, null, value);
  }

  /** The elements {@code appended} to the list at {@code prevVersion}. */
  public static BlobRecord append(String threadId, String channel, String version, String prevVersion,
                                  List<?> appended) {
    return new BlobRecord(threadId, channel, version, Kind.APPEND, prevVersion, appended);
  }

  /** As JSON (the value is shared, immutable). */
  public JsonObject toJson() {
    return new JsonObject().put("threadId", threadId).put("channel", channel).put("version", version)
        .put("kind", kind.name()).put("prevVersion", prevVersion).put("value", value);
  }

  /**
   * Reads a blob written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException naming the field that is missing or malformed
   */
  public static BlobRecord fromJson(JsonObject json) {
    String where = "a blob record";
    String kind = JsonFields.requiredString(json, "kind", where);
    Kind parsed;
    try {
      parsed = Kind.valueOf(kind);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Field 'kind' of " + where + " must be FULL or APPEND, was \"" + kind + "\"", e);
    }
    return new BlobRecord(JsonFields.requiredString(json, "threadId", where),
        JsonFields.requiredString(json, "channel", where), JsonFields.requiredString(json, "version", where),
        parsed, JsonFields.optionalString(json, "prevVersion", where), json.getValue("value"));
  }
}
