package io.graphloop.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code record} column of the SQLite store's checkpoint rows: a checkpoint and the blobs it introduced (the
 * channel values versioned by its own id) in one value, so a save is one row, bound with one {@code setBytes} of
 * bytes encoded on the caller's thread (the store's one writer thread then binds 4 values per save instead of about
 * 23 texts of 3 rows, each transcoded to UTF-8 by sqlite-jdbc's {@code bind_text}).
 *
 * <p>Format (version {@link #FORMAT}): one byte {@code FORMAT}; the step as a zig-zag varint; then the texts
 * {@code created_at}, {@code source}, {@code metadata}, {@code channel_versions}, {@code next_tasks},
 * {@code join_barriers}, {@code delta_depth} (the same texts the columns of the earlier layout held, see
 * {@link CheckpointRows#checkpoint}); then the number of blobs as a varint and, per blob, the texts {@code channel},
 * {@code kind}, {@code prev_version} (nullable) and {@code value} (JSON). A text is a varint of its UTF-8 length plus
 * one ({@code 0}: null) followed by its UTF-8 bytes. A reader of the checkpoint stops before the blobs; a reader of one
 * blob skips the other texts by their lengths without decoding them, so a history read never decodes channel values.
 *
 * <p>Stateless and thread-safe.
 */
final class SqliteRecord {

  /** The format's version byte; a record with another first byte is refused with a message naming it. */
  static final byte FORMAT = 1;

  /** The checkpoint's texts in a record (after the step), in order. */
  private static final int CHECKPOINT_TEXTS = 7;

  private SqliteRecord() {
  }

  /**
   * Encodes {@code save}'s rows for the SQLite store, on the caller's thread: a put becomes one checkpoint row
   * {@code (thread_id, checkpoint_id, parent_id, record)} ({@link SqliteLayout#UPSERT}) and no blob rows, its record
   * written straight from the checkpoint and its blobs by {@link SqliteRecordWriter} (the same bytes as
   * {@link #encode(Object[], List)} of {@link CheckpointRows}' texts, without building those texts); pending writes
   * keep their rows ({@link PendingSave#encode}).
   *
   * @return {@code save}
   */
  static PendingSave encode(PendingSave save) {
    if (!save.isPut()) {
      return save.encode();
    }
    CheckpointRecord checkpoint = save.checkpoint;
    save.checkpointRow = new Object[] {checkpoint.threadId(), checkpoint.checkpointId(), checkpoint.parentId(),
        SqliteRecordWriter.record(checkpoint, save.blobs)};
    save.blobRows = List.of();
    return save;
  }

  /**
   * The record of a put from its texts (what {@link SqliteRecordWriter} writes directly; kept as the reference its
   * test compares with): {@code row} is {@link CheckpointRows#checkpoint}'s row of the checkpoint, {@code blobRows}
   * {@link CheckpointRows#blob}'s rows of its blobs (their JSON encoded already).
   */
  static byte[] encode(Object[] row, List<Object[]> blobRows) {
    List<byte[]> texts = new ArrayList<>(CHECKPOINT_TEXTS + 4 * blobRows.size());
    for (int i = 4; i < 4 + CHECKPOINT_TEXTS; i++) {
      texts.add(utf8((String) row[i]));
    }
    for (Object[] blob : blobRows) {
      texts.add(utf8((String) blob[1]));
      texts.add(utf8((String) blob[3]));
      texts.add(utf8((String) blob[4]));
      texts.add(utf8((String) blob[5]));
    }
    return assemble((Integer) row[3], texts, blobRows.size());
  }

  /**
   * A record from an earlier layout's texts (the migration): {@code checkpointTexts} the 7 texts in format order,
   * {@code blobTexts} per blob its channel, kind, prev_version and value.
   */
  static byte[] encode(int step, String[] checkpointTexts, List<String[]> blobTexts) {
    List<byte[]> texts = new ArrayList<>(CHECKPOINT_TEXTS + 4 * blobTexts.size());
    for (String text : checkpointTexts) {
      texts.add(utf8(text));
    }
    for (String[] blob : blobTexts) {
      for (String text : blob) {
        texts.add(utf8(text));
      }
    }
    return assemble(step, texts, blobTexts.size());
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] assemble(int step, List<byte[]> texts, int blobs) {
    int zigzag = (step << 1) ^ (step >> 31);
    int size = 1 + varintSize(zigzag) + varintSize(blobs);
    for (byte[] text : texts) {
      size += text == null ? 1 : varintSize(text.length + 1) + text.length;
    }
    byte[] out = new byte[size]; // exactly: no copy at the end
    int at = 0;
    out[at++] = FORMAT;
    at = varint(out, at, zigzag);
    for (int i = 0; i < texts.size(); i++) {
      if (i == CHECKPOINT_TEXTS) {
        at = varint(out, at, blobs);
      }
      byte[] text = texts.get(i);
      if (text == null) {
        at = varint(out, at, 0);
      } else {
        at = varint(out, at, text.length + 1);
        System.arraycopy(text, 0, out, at, text.length);
        at += text.length;
      }
    }
    if (texts.size() == CHECKPOINT_TEXTS) {
      at = varint(out, at, 0);
    }
    if (at != size) {
      throw new IllegalStateException("a record of " + at + " bytes where " + size + " were counted");
    }
    return out;
  }

  /** The bytes {@code value}'s unsigned varint takes (also {@link SqliteRecordWriter}'s). */
  static int varintSize(int value) {
    int size = 1;
    while ((value & ~0x7F) != 0) {
      size++;
      value >>>= 7;
    }
    return size;
  }

  private static int varint(byte[] out, int at, int value) {
    while ((value & ~0x7F) != 0) {
      out[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out[at++] = (byte) value;
    return at;
  }

  /** Reads a record front to back. */
  private static final class Reader {
    private final byte[] bytes;
    private final String where;
    private int at;

    Reader(byte[] bytes, String where) {
      this.bytes = bytes;
      this.where = where;
      if (bytes == null || bytes.length == 0 || bytes[0] != FORMAT) {
        throw new IllegalArgumentException("The stored record of " + where + " is not in format " + FORMAT
            + " (first byte " + (bytes == null || bytes.length == 0 ? "missing" : bytes[0]) + "): the file was written "
            + "by another Graphloop version, or is damaged");
      }
      at = 1;
    }

    int varint() {
      int value = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        if (at >= bytes.length) {
          throw truncated();
        }
        byte b = bytes[at++];
        value |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw truncated();
    }

    /** The next text's length plus one (0: null), with its bytes checked to be there. */
    private int length() {
      int length = varint();
      if (length < 0 || length - 1 > bytes.length - at) {
        throw truncated();
      }
      return length;
    }

    String text() {
      int length = length();
      if (length == 0) {
        return null;
      }
      String text = new String(bytes, at, length - 1, StandardCharsets.UTF_8);
      at += length - 1;
      return text;
    }

    /** Skips a text; its UTF-8 length (0 for null). */
    int skip() {
      int length = length();
      if (length == 0) {
        return 0;
      }
      at += length - 1;
      return length - 1;
    }

    /** Whether the next text is {@code utf8}'s bytes (consumed either way). */
    boolean textEquals(byte[] utf8) {
      int length = length();
      at += Math.max(0, length - 1);
      return length == utf8.length + 1
          && java.util.Arrays.equals(bytes, at - utf8.length, at, utf8, 0, utf8.length);
    }

    int step() {
      int zigzag = varint();
      return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    void skipCheckpoint() {
      step();
      for (int i = 0; i < CHECKPOINT_TEXTS; i++) {
        skip();
      }
    }

    IllegalArgumentException truncated() {
      return new IllegalArgumentException("The stored record of " + where + " is truncated at byte " + at + " of "
          + bytes.length + ": the file is damaged");
    }
  }

  /** The checkpoint of a row: its key columns and its record (the blobs are not decoded). */
  static CheckpointRecord checkpoint(String threadId, String checkpointId, String parentId, byte[] record)
      throws Exception {
    String where = "checkpoint " + checkpointId + " of thread '" + threadId + "'";
    Reader reader = new Reader(record, where);
    int step = reader.step();
    String[] texts = new String[CHECKPOINT_TEXTS];
    for (int i = 0; i < CHECKPOINT_TEXTS; i++) {
      texts[i] = reader.text();
    }
    return CheckpointRows.checkpoint(new CheckpointRows.Columns() {
      @Override
      public String text(String column) {
        return switch (column) {
          case "thread_id" -> threadId;
          case "checkpoint_id" -> checkpointId;
          case "parent_id" -> parentId;
          case "created_at" -> texts[0];
          case "source" -> texts[1];
          case "metadata" -> texts[2];
          case "channel_versions" -> texts[3];
          case "next_tasks" -> texts[4];
          case "join_barriers" -> texts[5];
          case "delta_depth" -> texts[6];
          default -> throw new IllegalArgumentException("no column " + column + " in a checkpoint record");
        };
      }

      @Override
      public int integer(String column) {
        if (!column.equals("step")) {
          throw new IllegalArgumentException("no integer column " + column + " in a checkpoint record");
        }
        return step;
      }
    });
  }

  /**
   * The blob of {@code channel} that the checkpoint {@code checkpointId} introduced, from its record, or {@code null}
   * when the record holds none for that channel. Only that blob's value is decoded.
   */
  static BlobRecord blob(String threadId, String checkpointId, byte[] record, String channel) throws Exception {
    String[] texts = blobTexts(threadId, checkpointId, record, channel);
    return texts == null ? null : blob(threadId, channel, checkpointId, texts);
  }

  /**
   * The texts of the blob of {@code channel} in the record (kind, prev_version, value), or {@code null} when it holds
   * none for that channel; nothing is parsed as JSON.
   */
  static String[] blobTexts(String threadId, String checkpointId, byte[] record, String channel) {
    Reader reader = new Reader(record, "checkpoint " + checkpointId + " of thread '" + threadId + "'");
    reader.skipCheckpoint();
    byte[] wanted = channel.getBytes(StandardCharsets.UTF_8);
    int blobs = reader.varint();
    for (int i = 0; i < blobs; i++) {
      if (!reader.textEquals(wanted)) {
        reader.skip();
        reader.skip();
        reader.skip();
        continue;
      }
      return new String[] {reader.text(), reader.text(), reader.text()};
    }
    return null;
  }

  /** A blob from its texts: kind, prev_version, value (JSON, parsed here). */
  static BlobRecord blob(String threadId, String channel, String version, String[] texts) throws Exception {
    return new BlobRecord(threadId, channel, version, BlobRecord.Kind.valueOf(texts[0]), texts[1],
        CheckpointJson.decode(texts[2], "channel '" + channel + "' at version " + version + " of thread '" + threadId
            + "'"));
  }

  /** The record's {@code channel_versions} text (JSON), without decoding anything else. */
  static String channelVersionsText(String threadId, String checkpointId, byte[] record) {
    Reader reader = new Reader(record, "checkpoint " + checkpointId + " of thread '" + threadId + "'");
    reader.step();
    for (int i = 0; i < 3; i++) {
      reader.skip();
    }
    return reader.text();
  }

  /** Every blob of the record, in the order they were saved. */
  static List<BlobRecord> blobs(String threadId, String checkpointId, byte[] record) throws Exception {
    Reader reader = new Reader(record, "checkpoint " + checkpointId + " of thread '" + threadId + "'");
    reader.skipCheckpoint();
    int count = reader.varint();
    List<BlobRecord> blobs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      blobs.add(blob(threadId, checkpointId, reader.text(), reader));
    }
    return blobs;
  }

  /** Every blob of the record as its stored texts: channel, kind, prev_version (nullable), value (JSON). */
  static List<String[]> blobTexts(String threadId, String checkpointId, byte[] record) {
    Reader reader = new Reader(record, "checkpoint " + checkpointId + " of thread '" + threadId + "'");
    reader.skipCheckpoint();
    int count = reader.varint();
    List<String[]> blobs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      blobs.add(new String[] {reader.text(), reader.text(), reader.text(), reader.text()});
    }
    return blobs;
  }

  private static BlobRecord blob(String threadId, String version, String channel, Reader reader) throws Exception {
    return blob(threadId, channel, version, new String[] {reader.text(), reader.text(), reader.text()});
  }

  /**
   * What the row occupies in {@link CheckpointStore#storedBytes}'s measure: the UTF-8 bytes of the texts the earlier
   * layout stored for the checkpoint row and for each of its blob rows (ids, names, times, JSON), so the figure is the
   * same as the memory store's and as before.
   */
  static long textBytes(String threadId, String checkpointId, String parentId, byte[] record) {
    Reader reader = new Reader(record, "checkpoint " + checkpointId + " of thread '" + threadId + "'");
    long thread = CheckpointJson.utf8Bytes(threadId);
    long id = CheckpointJson.utf8Bytes(checkpointId);
    long bytes = thread + id + (parentId == null ? 0 : CheckpointJson.utf8Bytes(parentId));
    reader.step();
    for (int i = 0; i < CHECKPOINT_TEXTS; i++) {
      bytes += reader.skip();
    }
    int blobs = reader.varint();
    for (int i = 0; i < blobs; i++) {
      bytes += thread + id + reader.skip() + reader.skip() + reader.skip() + reader.skip();
    }
    return bytes;
  }
}
