package io.graphloop.checkpoint;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SqliteRecordWriter} writes a put's record straight from its checkpoint and blobs: the bytes must be those of
 * the reference path ({@link CheckpointRows}' texts, JSON through {@link JsonText} or Jackson, each text
 * {@code getBytes(UTF_8)}, then {@link SqliteRecord#encode(Object[], List)}), for every kind of value, and a value
 * that cannot be written must fail with the same message.
 */
class SqliteRecordWriterTest {

  private static final String THREAD = "thread-é";
  private static final String ID = "0002";

  /** What the writer gives, or the failure's class and message. */
  private static Object written(CheckpointRecord checkpoint, List<BlobRecord> blobs) {
    try {
      return SqliteRecordWriter.record(checkpoint, blobs);
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  /** What the reference path gives, or the failure's class and message. */
  private static Object reference(CheckpointRecord checkpoint, List<BlobRecord> blobs) {
    try {
      Object[] row = CheckpointRows.checkpoint(checkpoint);
      List<Object[]> blobRows = new ArrayList<>();
      for (BlobRecord blob : blobs) {
        blobRows.add(CheckpointRows.blob(blob));
      }
      return SqliteRecord.encode(row, blobRows);
    } catch (RuntimeException e) {
      return e.getClass().getName() + ": " + e.getMessage();
    }
  }

  private static void same(CheckpointRecord checkpoint, List<BlobRecord> blobs) {
    Object expected = reference(checkpoint, blobs);
    Object actual = written(checkpoint, blobs);
    if (expected instanceof byte[] bytes) {
      assertTrue(actual instanceof byte[], () -> "the writer failed where the reference did not: " + actual);
      assertArrayEquals(bytes, (byte[]) actual);
    } else {
      assertEquals(expected, actual);
    }
  }

  private static CheckpointRecord checkpoint(Map<String, Object> metadata, List<Object> taskResults) {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("messages", ID);
    versions.put("topic", "0001");
    return new CheckpointRecord(THREAD, ID, "0001", 7, Instant.parse("2025-01-02T03:04:05.123456789Z"),
        CheckpointSource.LOOP, metadata, versions, List.of(Map.of("name", "a", "path", List.of("x", 1))),
        Map.of("join:a+b", List.of("a")), Map.of("messages", 1), taskResults);
  }

  private static List<BlobRecord> blobs(Object value) {
    return List.of(BlobRecord.append(THREAD, "messages", ID, "0001", Arrays.asList("m2", value)),
        BlobRecord.full(THREAD, "ünïcode ✓ 😀", ID, value));
  }

  @Test
  void everyKindOfValueIsWrittenAsTheReferenceWritesIt() {
    Map<String, Object> nested = new LinkedHashMap<>();
    nested.put("escapes", "\"\\\b\t\f\n\r\u0000\u0001\u001f\u007f/");
    nested.put("latin", "naïve café");
    nested.put("bmp", "✓ 中文 \uFFFF");
    nested.put("pair", "😀 \uD83D\uDE00");
    nested.put("ints", List.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE));
    nested.put("longs", List.of(0L, -10L, Long.MIN_VALUE, Long.MAX_VALUE, 1_000_000_000_000L));
    nested.put("big", new BigInteger("-123456789012345678901234567890"));
    nested.put("doubles", List.of(1.5, -0.0, 1e-7, 1e21, 123456.789, Double.MIN_VALUE, Double.MAX_VALUE));
    nested.put("booleans", List.of(true, false));
    nested.put("null", null);
    nested.put("linked", new LinkedList<>(List.of("a", 2, Map.of())));
    nested.put("empty", List.of());
    nested.put("é key \"quoted\"", Map.of("k", List.of(Map.of("deep", "v"))));
    for (Object value : new Object[] {null, "", "plain", 42, 42L, 1.25, true, nested, List.of(nested, nested),
        3.5f, Map.of("float", 2.5f), List.of(1, 2.5f)}) {
      same(checkpoint(nested, List.of()), blobs(value));
      same(checkpoint(Map.of("step", 7), List.of("result", nested)), blobs(value));
    }
    same(checkpoint(Map.of(), List.of()), List.of());
    same(new CheckpointRecord(THREAD, ID, null, -1, Instant.parse("2025-01-02T03:04:05Z"), CheckpointSource.INPUT,
        Map.of(), Map.of(), List.of(), Map.of(), Map.of()), List.of());
  }

  @Test
  void textsAroundEveryLengthPrefixSizeAreWrittenAsTheReferenceWritesThem() {
    // a text's prefix is its UTF-8 length plus one as a varint: 1 byte up to 126, 2 up to 16,382, 3 beyond
    for (int length : new int[] {1, 124, 125, 126, 127, 128, 16_380, 16_381, 16_382, 16_383, 16_384, 70_000}) {
      String ascii = "x".repeat(length);
      same(checkpoint(Map.of("n", ascii), List.of()), blobs(ascii));
      same(checkpoint(Map.of(), List.of()), List.of(BlobRecord.full(THREAD, ascii, ID, "é".repeat(length / 2))));
    }
  }

  @Test
  void randomTextsAreWrittenAsTheReferenceWritesThem() {
    Random random = new Random(18);
    char[] alphabet = {'a', 'Z', '0', ' ', '"', '\\', '\n', '\u0001', '\u001f', '\u007f', 'é', 'ß', '\u07ff',
        '\u0800', '✓', '\uFFFD', '\uFFFF'};
    for (int round = 0; round < 2_000; round++) {
      char[] chars = new char[random.nextInt(40)];
      for (int i = 0; i < chars.length; i++) {
        char c = (char) random.nextInt(0x10000);
        chars[i] = random.nextInt(4) == 0 && !Character.isSurrogate(c) ? c : alphabet[random.nextInt(alphabet.length)];
      }
      // texts are valid Unicode (a record refuses a lone surrogate): pairs are added whole
      String text = new String(chars) + (random.nextBoolean() ? "😀" : "") + new String(chars, 0, chars.length / 2);
      same(checkpoint(Map.of(text, text), List.of(text)), List.of(BlobRecord.full(THREAD, "c" + text, ID, text),
          BlobRecord.append(THREAD, "c", ID, "v" + text, List.of(text, Map.of(text, text)))));
    }
  }

  @Test
  void aValueJsonTextLeavesToJacksonIsWrittenAsTheReferenceWritesIt() {
    // a record holds frozen values only (a value no JSON can hold is refused when the record is made); those JsonText
    // leaves to Jackson (a Float, a number JSON cannot hold) go through CheckpointJson, as in the reference
    for (Object value : new Object[] {Double.NaN, Double.POSITIVE_INFINITY, 1.5f, List.of(Map.of("f", 0.1f))}) {
      CheckpointRecord checkpoint;
      List<BlobRecord> blobs;
      try {
        checkpoint = checkpoint(Map.of("v", value), List.of(value));
        blobs = blobs(value);
      } catch (IllegalArgumentException refusedWhenMade) {
        continue;
      }
      same(checkpoint, blobs);
      // the thread's buffer is not left mid-record: the next save is whole
      same(checkpoint(Map.of("ok", 1), List.of()), blobs("after " + value));
    }
  }

  @Test
  void aLargeSaveDoesNotLeaveItsThreadALargeBuffer() throws Exception {
    byte[] record = SqliteRecordWriter.record(checkpoint(Map.of(), List.of()), blobs("y".repeat(500_000)));
    assertTrue(record.length > 1_000_000, "both blobs hold the text");
    assertTrue(SqliteRecordWriter.keptBytes() <= SqliteRecordWriter.MAX_KEPT_BYTES,
        "kept " + SqliteRecordWriter.keptBytes());
    assertEquals(blobs("y".repeat(500_000)), SqliteRecord.blobs(THREAD, ID, record));
  }

  @Test
  void theStoreSavePathWritesTheRecordOnce() throws Exception {
    CheckpointRecord checkpoint = checkpoint(Map.of("step", 7), List.of());
    PendingSave save = SqliteRecord.encode(PendingSave.put(checkpoint, blobs("v"), null));
    assertEquals(Arrays.asList(THREAD, ID, "0001"), Arrays.asList(save.checkpointRow).subList(0, 3));
    assertArrayEquals((byte[]) reference(checkpoint, blobs("v")), (byte[]) save.checkpointRow[3]);
    assertEquals(checkpoint, SqliteRecord.checkpoint(THREAD, ID, "0001", (byte[]) save.checkpointRow[3]));
  }

  /**
   * Load-independent: the bytes a put's encoding allocates on the calling thread (the harness's save: a checkpoint of
   * the durable-steps graph and its 2 blobs). The writer allocates the record, the creation time's text and the frozen
   * maps' iterators and entries (about 900 B for a 256 B record); the reference path allocated each JSON text's
   * builder and string and each text's UTF-8 copy besides (about 3,500 B).
   */
  @Test
  void encodingASaveAllocatesLittleMoreThanItsRecord() {
    var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("count", ID);
    versions.put("t", ID);
    CheckpointRecord checkpoint = new CheckpointRecord("lane-4711", ID, "0001", 3, Instant.now(),
        CheckpointSource.LOOP, Map.of("step", 3, "source", "loop", "parents", Map.of()), versions,
        List.of(Map.of("id", "f1b2c3d4-0000-1111-2222-333344445555", "name", "n4", "path", List.of("__pregel_pull",
            "n4"))), Map.of(), Map.of("count", 0, "t", 0));
    List<BlobRecord> blobs = List.of(BlobRecord.full("lane-4711", "count", ID, 3),
        BlobRecord.full("lane-4711", "t", ID, 123_456_789_012_345L));
    long length = SqliteRecordWriter.record(checkpoint, blobs).length;
    long writer = 0;
    long reference = 0;
    for (int round = 0; round < 3; round++) { // the last round counts (the first ones warm the code up)
      long before = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 2_000; i++) {
        SqliteRecordWriter.record(checkpoint, blobs);
      }
      long middle = threads.getCurrentThreadAllocatedBytes();
      for (int i = 0; i < 2_000; i++) {
        reference(checkpoint, blobs);
      }
      writer = (middle - before) / 2_000;
      reference = (threads.getCurrentThreadAllocatedBytes() - middle) / 2_000;
    }
    System.out.printf("[record-writer] record %d B; allocated per save: writer %d B, reference path %d B%n", length,
        writer, reference);
    assertTrue(writer <= length + 768, "the writer allocated " + writer + " B for a record of " + length + " B");
    assertTrue(writer * 3 < reference, "writer " + writer + " B vs reference " + reference + " B");
  }
}
