package io.graphloop.checkpoint;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Writes a put's {@link SqliteRecord} straight from its checkpoint and blobs: every text, the JSON ones included, goes
 * as UTF-8 into one buffer of the calling thread, reused save after save, and the record is copied out once at its
 * exact size. A save on the caller's event loop thus allocates its record and little else, where it built each JSON
 * text as a {@code String} ({@link JsonText}, through a {@code StringBuilder}), copied each of the ~15 texts into a
 * byte array of its own and then assembled those (issue 18: the SQLite store's cost on its callers' side).
 *
 * <p>The bytes are exactly those of {@link SqliteRecord#encode(Object[], List)} over {@link CheckpointRows}' texts
 * ({@code SqliteRecordWriterTest} compares them): JSON as {@link JsonText} writes it (Jackson's text, character for
 * character), falling back to {@link CheckpointJson#encode(Object, Supplier)} (Jackson, and its error message) for a
 * value {@link JsonText} leaves to Jackson; UTF-8 as {@code String.getBytes(UTF_8)} writes it (a lone surrogate
 * becomes {@code ?}). A value that cannot be written fails the save with the same message as before, naming the
 * checkpoint and the part (metadata, channel and version, ...).
 *
 * <p>Thread rules: the static {@link #record} runs on any thread, never blocking; each thread writes into its own
 * buffer (a {@code ThreadLocal}; a nested use gets a fresh one), so no buffer is shared. A buffer grown beyond
 * {@link #MAX_KEPT_BYTES} by a large save is dropped after it, so a thread keeps at most that much between saves.
 */
final class SqliteRecordWriter {

  /** The most a thread's buffer keeps between saves; a larger save's buffer is dropped after it. */
  static final int MAX_KEPT_BYTES = 64 * 1024;
  private static final int INITIAL_BYTES = 2 * 1024;
  /** Bytes reserved for a text's length prefix before its bytes are written: lengths up to 16,382 need no move. */
  private static final int RESERVED_PREFIX = 2;
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  /** JSON's escapes for characters below 128: {@link JsonText#ESCAPES}. */
  private static final int[] ESCAPES = JsonText.ESCAPES;
  private static final ThreadLocal<SqliteRecordWriter> BUFFERS = ThreadLocal.withInitial(SqliteRecordWriter::new);

  private byte[] buf = new byte[INITIAL_BYTES];
  private int at;
  private boolean inUse;

  private SqliteRecordWriter() {
  }

  /**
   * The record of the put of {@code checkpoint} with {@code blobs} (the blobs it introduced).
   *
   * @throws IllegalArgumentException when a value cannot be written as JSON (the message names it)
   */
  static byte[] record(CheckpointRecord checkpoint, List<BlobRecord> blobs) {
    SqliteRecordWriter writer = BUFFERS.get();
    if (writer.inUse) {
      writer = new SqliteRecordWriter();
    }
    writer.inUse = true;
    writer.at = 0;
    try {
      writer.write(checkpoint, blobs);
      return Arrays.copyOf(writer.buf, writer.at);
    } finally {
      writer.inUse = false;
      if (writer.buf.length > MAX_KEPT_BYTES) {
        writer.buf = new byte[INITIAL_BYTES];
      }
    }
  }

  /** The size of the buffer the calling thread keeps between saves (for tests). */
  static int keptBytes() {
    return BUFFERS.get().buf.length;
  }

  private void write(CheckpointRecord r, List<BlobRecord> blobs) {
    ensure(16);
    buf[at++] = SqliteRecord.FORMAT;
    int step = r.step();
    varint((step << 1) ^ (step >> 31));
    // the texts of CheckpointRows.checkpoint, in its order (so a value that cannot be written fails as it did)
    text(InstantText.format(r.createdAt()));
    text(r.source().json());
    json(r.metadata(), r, null, "the metadata of ");
    json(r.channelVersions(), r, null, "the channel versions of ");
    json(r.nextTasks(), r, null, "the next tasks of ");
    json(CheckpointRows.joinsColumn(r), r, null, "the joins of ");
    json(r.deltaDepth(), r, null, "the delta depths of ");
    ensure(5);
    varint(blobs.size());
    for (BlobRecord b : blobs) {
      text(b.channel());
      text(b.kind().name());
      text(b.prevVersion());
      json(b.value(), r, b, null);
    }
  }

  private static String where(CheckpointRecord r) {
    return "checkpoint " + r.checkpointId() + " of thread '" + r.threadId() + "'";
  }

  /** A text: its UTF-8 length plus one as a varint ({@code 0} for null), then its UTF-8 bytes. */
  private void text(String text) {
    if (text == null) {
      ensure(1);
      buf[at++] = 0;
      return;
    }
    int mark = begin();
    utf8(text, 0, text.length(), false);
    end(mark);
  }

  /**
   * A JSON text of {@code value}, as {@link CheckpointJson#encode(Object, Supplier)} writes it; its description for
   * an error message ({@code part} of the checkpoint, or blob {@code b}'s channel and version) is made only when the
   * value goes to Jackson (no capturing lambda per text).
   */
  private void json(Object value, CheckpointRecord r, BlobRecord b, String part) {
    int mark = begin();
    if (value(value, 0)) {
      end(mark);
      return;
    }
    at = mark; // left to Jackson (or refused with its message)
    text(CheckpointJson.encode(value, () -> b != null ? "channel '" + b.channel() + "' at version " + b.version()
        : part + where(r)));
  }

  /** Reserves the length prefix of a text; returns where the prefix starts. */
  private int begin() {
    ensure(RESERVED_PREFIX);
    int mark = at;
    at += RESERVED_PREFIX;
    return mark;
  }

  /** Writes the prefix of the text begun at {@code mark}, moving the text's bytes when it needs more or less room. */
  private void end(int mark) {
    int start = mark + RESERVED_PREFIX;
    int length = at - start;
    int prefix = SqliteRecord.varintSize(length + 1);
    if (prefix != RESERVED_PREFIX) {
      ensure(prefix - RESERVED_PREFIX);
      System.arraycopy(buf, start, buf, mark + prefix, length);
      at = mark + prefix + length;
    }
    int end = at;
    at = mark;
    varint(length + 1);
    at = end;
  }

  private boolean value(Object value, int depth) {
    if (value == null) {
      ascii("null");
    } else if (value instanceof String text) {
      ensure(1);
      buf[at++] = '"';
      utf8(text, 0, text.length(), true);
      ensure(1);
      buf[at++] = '"';
    } else if (value instanceof Integer number) {
      integer(number);
    } else if (value instanceof Long number) {
      integer(number);
    } else if (value instanceof BigInteger number) {
      ascii(number.toString());
    } else if (value instanceof Boolean bool) {
      ascii(bool ? "true" : "false");
    } else if (value instanceof Double number) {
      if (number.isNaN() || number.isInfinite()) {
        return false;
      }
      ascii(Double.toString(number));
    } else if (value instanceof Map<?, ?> map) {
      return depth < io.graphloop.state.Values.MAX_DEPTH && object(map, depth);
    } else if (value instanceof List<?> list) {
      return depth < io.graphloop.state.Values.MAX_DEPTH && array(list, depth);
    } else {
      return false;
    }
    return true;
  }

  private boolean object(Map<?, ?> map, int depth) {
    ensure(1);
    buf[at++] = '{';
    boolean first = true;
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      if (!(entry.getKey() instanceof String key)) {
        return false;
      }
      ensure(key.length() + 4);
      if (!first) {
        buf[at++] = ',';
      }
      first = false;
      buf[at++] = '"';
      utf8(key, 0, key.length(), true);
      ensure(2);
      buf[at++] = '"';
      buf[at++] = ':';
      if (!value(entry.getValue(), depth + 1)) {
        return false;
      }
    }
    ensure(1);
    buf[at++] = '}';
    return true;
  }

  private boolean array(List<?> list, int depth) {
    ensure(1);
    buf[at++] = '[';
    boolean first = true;
    if (list instanceof java.util.RandomAccess) {
      for (int i = 0, size = list.size(); i < size; i++) {
        if (!first) {
          ensure(1);
          buf[at++] = ',';
        }
        first = false;
        if (!value(list.get(i), depth + 1)) {
          return false;
        }
      }
    } else {
      for (Object item : list) {
        if (!first) {
          ensure(1);
          buf[at++] = ',';
        }
        first = false;
        if (!value(item, depth + 1)) {
          return false;
        }
      }
    }
    ensure(1);
    buf[at++] = ']';
    return true;
  }

  /**
   * The UTF-8 bytes of {@code text[from, to)}, as {@code String.getBytes(UTF_8)} writes them (a lone surrogate as
   * {@code ?}); with {@code escaped}, the characters JSON escapes as {@link JsonText} escapes them.
   */
  private void utf8(String text, int from, int to, boolean escaped) {
    ensure(to - from);
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        int escape = escaped ? ESCAPES[c] : 0;
        if (escape == 0) {
          if (at == buf.length) {
            ensure(1 + (to - i));
          }
          buf[at++] = (byte) c;
        } else if (escape > 0) {
          ensure(2 + (to - i));
          buf[at++] = '\\';
          buf[at++] = (byte) escape;
        } else {
          ensure(6 + (to - i));
          buf[at++] = '\\';
          buf[at++] = 'u';
          buf[at++] = '0';
          buf[at++] = '0';
          buf[at++] = HEX[c >> 4];
          buf[at++] = HEX[c & 0xF];
        }
      } else if (c < 0x800) {
        ensure(2 + (to - i));
        buf[at++] = (byte) (0xC0 | (c >> 6));
        buf[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        ensure(4 + (to - i));
        if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
          int code = Character.toCodePoint(c, text.charAt(++i));
          buf[at++] = (byte) (0xF0 | (code >> 18));
          buf[at++] = (byte) (0x80 | ((code >> 12) & 0x3F));
          buf[at++] = (byte) (0x80 | ((code >> 6) & 0x3F));
          buf[at++] = (byte) (0x80 | (code & 0x3F));
        } else {
          buf[at++] = '?';
        }
      } else {
        ensure(3 + (to - i));
        buf[at++] = (byte) (0xE0 | (c >> 12));
        buf[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
  }

  private void ascii(String text) {
    int length = text.length();
    ensure(length);
    for (int i = 0; i < length; i++) {
      buf[at++] = (byte) text.charAt(i);
    }
  }

  /** A decimal integer, as {@code Long.toString} writes it. */
  private void integer(long value) {
    if (value == Long.MIN_VALUE) {
      ascii(Long.toString(value));
      return;
    }
    ensure(20);
    if (value < 0) {
      buf[at++] = '-';
      value = -value;
    }
    int digits = 1;
    for (long rest = value / 10; rest != 0; rest /= 10) {
      digits++;
    }
    for (int i = at + digits - 1; i >= at; i--) {
      buf[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    at += digits;
  }

  private void varint(int value) {
    ensure(5);
    while ((value & ~0x7F) != 0) {
      buf[at++] = (byte) ((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    buf[at++] = (byte) value;
  }

  /** Room for {@code more} bytes after {@link #at}. */
  private void ensure(int more) {
    if (buf.length - at < more) {
      long wanted = Math.max((long) at + more, 2L * buf.length);
      if (wanted > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("a checkpoint record of more than 2 GB cannot be written");
      }
      buf = Arrays.copyOf(buf, (int) wanted);
    }
  }
}
