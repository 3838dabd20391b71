package io.graphloop.checkpoint;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SQLite store's one-value record of a checkpoint and the blobs it introduced ({@link SqliteRecord}). */
class SqliteRecordTest {

  private static final String THREAD = "thread-é";
  private static final String ID = "0002";

  private static CheckpointRecord checkpoint(int step) {
    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("messages", ID);
    versions.put("topic", "0001");
    versions.put("empty", ID);
    return new CheckpointRecord(THREAD, ID, "0001", step, Instant.parse("2025-01-02T03:04:05.123456789Z"),
        CheckpointSource.LOOP, Map.of("step", step, "note", "naïve ✓"), versions,
        List.of(Map.of("name", "a")), Map.of(), Map.of("messages", 1), List.of("result"));
  }

  private static List<BlobRecord> blobs() {
    return List.of(BlobRecord.append(THREAD, "messages", ID, "0001", List.of("m2", Map.of("k", 1.5))),
        BlobRecord.full(THREAD, "empty", ID, "x".repeat(300)));
  }

  private static byte[] encoded(CheckpointRecord checkpoint, List<BlobRecord> blobs) {
    PendingSave save = SqliteRecord.encode(PendingSave.put(checkpoint, blobs, null));
    assertEquals(List.of(), save.blobRows, "a put is one row: no blob rows");
    assertEquals(4, save.checkpointRow.length, "thread, checkpoint id, parent id, record");
    return (byte[]) save.checkpointRow[3];
  }

  @Test
  void aCheckpointAndItsBlobsComeBackExactly() throws Exception {
    for (int step : new int[] {-1, 0, 1, 300, Integer.MAX_VALUE}) {
      CheckpointRecord checkpoint = checkpoint(step);
      byte[] record = encoded(checkpoint, blobs());
      assertEquals(checkpoint, SqliteRecord.checkpoint(THREAD, ID, "0001", record), "step " + step);
      assertEquals(blobs(), SqliteRecord.blobs(THREAD, ID, record));
      assertEquals(blobs().get(1), SqliteRecord.blob(THREAD, ID, record, "empty"));
      assertEquals(blobs().get(0), SqliteRecord.blob(THREAD, ID, record, "messages"));
      assertNull(SqliteRecord.blob(THREAD, ID, record, "topic"), "a channel versioned by an earlier checkpoint");
      assertNull(SqliteRecord.blob(THREAD, ID, record, "messagesX"), "names are compared whole");
    }
  }

  @Test
  void aCheckpointWithoutBlobsIsOneRecordToo() throws Exception {
    CheckpointRecord bare = Fixtures.bare(THREAD, ID, null, 3);
    byte[] record = encoded(bare, List.of());
    assertEquals(bare, SqliteRecord.checkpoint(THREAD, ID, null, record));
    assertEquals(List.of(), SqliteRecord.blobs(THREAD, ID, record));
  }

  /** The measure of {@link CheckpointStore#storedBytes} is the same as the memory store's rows (and the old layout). */
  @Test
  void storedBytesAreTheTextBytesOfTheCheckpointAndBlobRows() {
    CheckpointRecord checkpoint = checkpoint(2);
    long expected = CheckpointRows.textBytes(CheckpointRows.checkpoint(checkpoint));
    for (BlobRecord blob : blobs()) {
      expected += CheckpointRows.textBytes(CheckpointRows.blob(blob));
    }
    assertEquals(expected, SqliteRecord.textBytes(THREAD, ID, "0001", encoded(checkpoint, blobs())));
  }

  @Test
  void aRecordOfAnotherFormatOrCutShortFailsNamingTheCheckpoint() {
    byte[] record = encoded(checkpoint(1), blobs());
    byte[] other = record.clone();
    other[0] = 9;
    IllegalArgumentException format = assertThrows(IllegalArgumentException.class,
        () -> SqliteRecord.checkpoint(THREAD, ID, "0001", other));
    assertTrue(format.getMessage().contains("checkpoint 0002 of thread 'thread-é'")
        && format.getMessage().contains("not in format 1"), format.getMessage());
    byte[] cut = java.util.Arrays.copyOf(record, record.length - 10);
    IllegalArgumentException truncated = assertThrows(IllegalArgumentException.class,
        () -> SqliteRecord.blob(THREAD, ID, cut, "empty"));
    assertTrue(truncated.getMessage().contains("truncated"), truncated.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SqliteRecord.checkpoint(THREAD, ID, null, new byte[0]));
  }
}
