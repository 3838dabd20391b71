package io.graphloop.checkpoint;

import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The rows of a PostgreSQL batch as one statement's arrays ({@link PostgresSaveStatement}): one array per column; and
 * when a batch holds one key twice (which one {@code INSERT ... ON CONFLICT DO UPDATE} may not touch twice), the rows
 * one statement per save, in order, would have left.
 */
class PostgresSaveStatementTest {

  private static Object[] checkpoint(String thread, String id, int step) {
    return new Object[] {thread, id, null, step, "t", "loop", "{}", "{}", "[]", "{}", "{}"};
  }

  private static Object[] blob(String thread, String channel, String version, String value) {
    return new Object[] {thread, channel, version, "FULL", null, value};
  }

  private static Object[] write(String thread, String task, int index, String value) {
    return new Object[] {thread, "c1", task, index, "node", "ch", value};
  }

  @Test
  void rowsOfDistinctThreadsBecomeOneArrayPerColumn() {
    PostgresSaveStatement rows = new PostgresSaveStatement();
    rows.add("a", checkpoint("a", "c1", 1), List.<Object[]>of(blob("a", "x", "c1", "1")), List.of());
    rows.add("b", checkpoint("b", "c1", 2), List.<Object[]>of(blob("b", "x", "c1", "2"), blob("b", "y", "c1", "3")),
        List.<Object[]>of(write("b", "t", 0, "w")));
    Tuple params = rows.params();
    assertEquals(24, params.size());
    assertArrayEquals(new String[] {"a", "b"}, (String[]) params.getValue(0));
    assertArrayEquals(new Integer[] {1, 2}, (Integer[]) params.getValue(3));
    assertArrayEquals(new String[] {null, null}, (String[]) params.getValue(2), "nulls stay nulls");
    assertArrayEquals(new String[] {"1", "2", "3"}, (String[]) params.getValue(11 + 5));
    assertArrayEquals(new Integer[] {0}, (Integer[]) params.getValue(17 + 3));
  }

  @Test
  void aRepeatedKeyKeepsWhatSavesInOrderWouldLeave() {
    PostgresSaveStatement rows = new PostgresSaveStatement();
    rows.add("a", checkpoint("a", "c1", 1), List.<Object[]>of(blob("a", "x", "c1", "old")), List.of());
    rows.add("a", null, List.of(), List.<Object[]>of(write("a", "t", 0, "first"), write("a", "t", -1, "first error")));
    rows.add("a", checkpoint("a", "c1", 7), List.<Object[]>of(blob("a", "x", "c1", "new"), blob("a", "y", "c1", "y")),
        List.of());
    rows.add("a", null, List.of(), List.<Object[]>of(write("a", "t", 0, "second"), write("a", "t", -1, "second error")));
    Tuple params = rows.params();
    assertArrayEquals(new Integer[] {7}, (Integer[]) params.getValue(3), "the later put of a checkpoint wins");
    assertEquals(List.of("new", "y"), Arrays.asList((String[]) params.getValue(11 + 5)),
        "the later blob of a key wins; every key is kept");
    assertEquals(List.of("first", "second error"), Arrays.asList((String[]) params.getValue(17 + 6)),
        "the first channel write of a task and index, the later special write");
  }

  @Test
  void eachArrayIsUnnestedInTheSelectListNotByAFunctionScan() {
    assertEquals("SELECT unnest($1::text[]), unnest($2::int[])",
        PostgresSaveStatement.unnest("$1::text[], $2::int[]"));
    for (String sql : List.of(PostgresSaveStatement.SQL, PostgresSaveStatement.INSERT_SQL)) {
      assertFalse(sql.contains("FROM unnest"), sql);
      assertEquals(24, sql.split("unnest\\(").length - 1, "one unnest per parameter: " + sql);
    }
  }
}
