package io.graphloop.checkpoint;

import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rows of a PostgreSQL batch as one statement's arrays ({@link PostgresSaveStatement}): one array per column, a
 * put's blobs in its checkpoint row ({@link PostgresBlobs}); and when a batch holds one key twice (which one
 * {@code INSERT ... ON CONFLICT DO UPDATE} may not touch twice), the rows one statement per save, in order, would have
 * left.
 */
class PostgresSaveStatementTest {

  private static Object[] checkpoint(String thread, String id, int step, List<Object[]> blobs) {
    return new Object[] {thread, id, null, step, "t", "loop", "{}", "{}", "[]", "{}", "{}", PostgresBlobs.text(blobs)};
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
    rows.add("a", checkpoint("a", "c1", 1, List.<Object[]>of(blob("a", "x", "c1", "1"))), List.of(), List.of());
    rows.add("b", checkpoint("b", "c1", 2, List.<Object[]>of(blob("b", "x", "c1", "2"), blob("b", "y", "c1", "3"))),
        List.of(), List.<Object[]>of(write("b", "t", 0, "w")));
    Tuple params = rows.params();
    assertEquals(25, params.size());
    assertArrayEquals(new String[] {"a", "b"}, (String[]) params.getValue(0));
    assertArrayEquals(new Integer[] {1, 2}, (Integer[]) params.getValue(3));
    assertArrayEquals(new String[] {null, null}, (String[]) params.getValue(2), "nulls stay nulls");
    assertArrayEquals(new String[] {"{\"x\":[\"FULL\",null,\"1\"]}",
            "{\"x\":[\"FULL\",null,\"2\"],\"y\":[\"FULL\",null,\"3\"]}"},
        (String[]) params.getValue(11), "a put's blobs are one JSON text in its row");
    assertArrayEquals(new String[0], (String[]) params.getValue(12), "no blob rows apart");
    assertArrayEquals(new Integer[] {0}, (Integer[]) params.getValue(18 + 3));
  }

  @Test
  void aRepeatedKeyKeepsWhatSavesInOrderWouldLeave() {
    PostgresSaveStatement rows = new PostgresSaveStatement();
    rows.add("a", checkpoint("a", "c1", 1, List.<Object[]>of(blob("a", "x", "c1", "\"old\""))), List.of(), List.of());
    rows.add("a", null, List.of(), List.<Object[]>of(write("a", "t", 0, "first"), write("a", "t", -1, "first error")));
    rows.add("a", checkpoint("a", "c1", 7, List.<Object[]>of(blob("a", "x", "c1", "\"new\""),
        blob("a", "y", "c1", "\"y\""))), List.of(), List.of());
    rows.add("a", null, List.of(), List.<Object[]>of(write("a", "t", 0, "second"), write("a", "t", -1, "second error")));
    Tuple params = rows.params();
    assertArrayEquals(new Integer[] {7}, (Integer[]) params.getValue(3), "the later put of a checkpoint wins");
    assertEquals(List.of("{\"x\":[\"FULL\",null,\"\\\"new\\\"\"],\"y\":[\"FULL\",null,\"\\\"y\\\"\"]}"),
        Arrays.asList((String[]) params.getValue(11)), "and its blobs with it");
    assertEquals(List.of("first", "second error"), Arrays.asList((String[]) params.getValue(18 + 6)),
        "the first channel write of a task and index, the later special write");
  }

  @Test
  void eachArrayIsUnnestedInTheSelectListNotByAFunctionScan() {
    assertEquals("SELECT unnest($1::text[]), unnest($2::int[])",
        PostgresSaveStatement.unnest("$1::text[], $2::int[]"));
    for (String sql : List.of(PostgresSaveStatement.SQL, PostgresSaveStatement.INSERT_SQL)) {
      assertFalse(sql.contains("FROM unnest"), sql);
      assertEquals(25, sql.split("unnest\\(").length - 1, "one unnest per parameter: " + sql);
    }
  }

  /** Channel names, previous versions and values (their JSON texts) are JSON strings, escaped. */
  @Test
  void theBlobsTextEscapesNamesAndKeepsValues() {
    assertNull(PostgresBlobs.text(List.of()), "no blobs: no text");
    Object[] delta = {"a", "say \"hi\"\n", "c2", "APPEND", "c1", "{\"z\": [\"\\u0000\"]}"};
    assertEquals("{\"say \\\"hi\\\"\\n\":[\"APPEND\",\"c1\",\"{\\\"z\\\": [\\\"\\\\u0000\\\"]}\"]}",
        PostgresBlobs.text(List.<Object[]>of(delta)));
  }

  /**
   * Every long statement of the store fits the client's cache of prepared statements: a longer one would be sent
   * unnamed, parsed and planned by PostgreSQL at every execution (a run start's read did: 1.8 ms of planning each).
   */
  @Test
  void theStoresLongStatementsStayPreparedOnTheirConnections() {
    int limit = PostgresStoreOptions.PREPARED_STATEMENT_SQL_LIMIT;
    for (String sql : List.of(PostgresLatestStored.SQL, PostgresSaveStatement.SQL, PostgresSaveStatement.INSERT_SQL,
        PostgresBlobs.CHAIN, PostgresBlobs.STORED_BYTES, PostgresBlobs.KEEP, PostgresHeads.CAS)) {
      assertTrue(sql.length() <= limit, sql.length() + " characters over the limit " + limit + ": " + sql);
    }
  }
}
