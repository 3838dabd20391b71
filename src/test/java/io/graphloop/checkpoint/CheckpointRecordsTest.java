package io.graphloop.checkpoint;

import io.graphloop.internal.engine.Task;
import io.graphloop.state.State;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The records: JSON round trips, frozen fields, and the checks of their constructors. */
class CheckpointRecordsTest {

  private static final String ID = "01890a5d-ac96-774b-bcce-b302099a8057";

  @Test
  void recordsRoundTripThroughJsonText() {
    CheckpointRecord record = new CheckpointRecord("t", ID, null, -1, Instant.parse("2025-01-01T00:00:00Z"),
        CheckpointSource.INPUT, Map.of("writes", Map.of("__start__", Map.of("q", 1))), Map.of("q", ID),
        List.of(CheckpointRecord.task("r:0:a", "a", null)), Map.of("[a, b] -> c", List.of()), Map.of("m", 2));
    BlobRecord blob = BlobRecord.append("t", "m", ID, "older", List.of(Map.of("role", "ai"), 1.5));
    WriteRecord write = new WriteRecord("t", ID, "r:0:a", "a", -1, WriteRecord.ERROR, Map.of("message", "x"));

    assertEquals(record, CheckpointRecord.fromJson(new JsonObject(record.toJson().encode())));
    assertEquals(blob, BlobRecord.fromJson(new JsonObject(blob.toJson().encode())));
    assertEquals(write, WriteRecord.fromJson(new JsonObject(write.toJson().encode())));
    assertEquals(record.toJson().encode(), CheckpointRecord.fromJson(record.toJson()).toJson().encode());
  }

  /** A record's task results round-trip through JSON; a record without them has none and writes no such field. */
  @Test
  void taskResultsRoundTripAndAreAbsentFromOlderJson() {
    CheckpointRecord record = Fixtures.bare("t", ID, "01890a5d-ac96-774b-bcce-b302099a8056", 0)
        .withTaskResults(java.util.Arrays.asList(true, null, Map.of("x", List.of(1, "two"))));
    assertEquals(record, CheckpointRecord.fromJson(new JsonObject(record.toJson().encode())));
    CheckpointRecord older = Fixtures.bare("t", ID, null, 0);
    assertEquals(List.of(), older.taskResults());
    assertTrue(!older.toJson().containsKey("taskResults"), "no field for none: " + older.toJson());
    assertEquals(older, CheckpointRecord.fromJson(older.toJson()));
  }

  @Test
  void nextTasksDescribePullAndPushTasks() {
    List<Map<String, Object>> tasks = CheckpointRecord.tasks("run", List.of(new Task("a", 0, 3, State.of(Map.of("big",
        "state"))), new Task("b", 1, 3, State.of(Map.of("part", 1)), 0)));
    assertEquals("{id=run:3:a, node=a, input=null}", tasks.get(0).toString());
    assertEquals("{id=run:3:b:push0, node=b, input={part=1}}", tasks.get(1).toString());
  }

  @Test
  void fieldsAreFrozenCopies() {
    List<Object> items = new ArrayList<>(List.of("a"));
    BlobRecord blob = BlobRecord.full("t", "m", ID, items);
    items.add("b");
    assertEquals(List.of("a"), blob.value());
    assertThrows(UnsupportedOperationException.class, () -> ((List<?>) blob.value()).clear());
    CheckpointRecord record = Fixtures.bare("t", ID, null, 0);
    assertThrows(UnsupportedOperationException.class, () -> record.metadata().put("x", 1));
    assertThrows(UnsupportedOperationException.class, () -> record.channelVersions().put("x", "y"));
  }

  @Test
  void constructorsRefuseWhatCannotBeStored() {
    assertMessage("threadId must be a non-empty string", () -> Fixtures.bare("", ID, null, 0));
    assertMessage("step of checkpoint " + ID + " of thread 't' must be greater than or equal to -1",
        () -> Fixtures.bare("t", ID, null, -2));
    assertMessage("An APPEND blob must name the version it extends",
        () -> new BlobRecord("t", "m", ID, BlobRecord.Kind.APPEND, null, List.of()));
    assertMessage("An APPEND blob's value must be the list of appended elements",
        () -> new BlobRecord("t", "m", ID, BlobRecord.Kind.APPEND, "v0", "text"));
    assertMessage("A FULL blob extends no version", () -> new BlobRecord("t", "m", ID, BlobRecord.Kind.FULL, "v0", 1));
    assertMessage("cannot be represented as JSON", () -> BlobRecord.full("t", "m", ID, new Object()));
    assertMessage("Unknown checkpoint source 'later'; it must be one of input, loop, update, fork",
        () -> CheckpointSource.of("later"));
    assertMessage("Field 'createdAt' of a checkpoint record must be an ISO-8601 instant",
        () -> CheckpointRecord.fromJson(Fixtures.bare("t", ID, null, 0).toJson().put("createdAt", "yesterday")));
  }

  private static void assertMessage(String expected, Runnable action) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
    assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should contain '" + expected + "'");
  }
}
