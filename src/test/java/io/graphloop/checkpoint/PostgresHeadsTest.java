package io.graphloop.checkpoint;

import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.graphloop.checkpoint.Fixtures.bare;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link PostgresHeads}' pure functions: what a batch assumes and decides, without a database. */
class PostgresHeadsTest {

  /**
   * The compare-and-set lists a batch's threads sorted whatever the batch's order: two JVMs' batches sharing threads
   * lock the heads' rows in one order and cannot deadlock (the advisory locks before the heads table were taken
   * sorted for the same reason).
   */
  @Test
  void theCompareAndSetListsTheThreadsSorted() {
    List<PendingSave> batch = List.of(
        PendingSave.put(bare("t-c", "0002", "0001", 1), List.of(), "0001"),
        PendingSave.put(bare("t-a", "0001", null, 0), List.of(), null),
        PendingSave.put(bare("t-b", "0005", "0004", 4), List.of(), "0004"),
        PendingSave.put(bare("t-a", "0002", "0001", 1), List.of(), "0001"));
    PostgresHeads.Decision decision = PostgresHeads.decide(batch, PostgresHeads.assumed(batch, Map.of()));
    Tuple params = decision.casParams();
    assertArrayEquals(new String[] {"t-a", "t-b", "t-c"}, (String[]) params.getValue(0));
    assertArrayEquals(new String[] {null, "0004", "0001"}, (String[]) params.getValue(1));
    assertArrayEquals(new String[] {"0002", "0005", "0002"}, (String[]) params.getValue(2));
    assertEquals(4, decision.accepted.size());
  }

  /** A put whose parent is not the assumed head is refused with the head it met; the rest of the batch goes on. */
  @Test
  void aStalePutIsRefusedAgainstTheHeadReadAfterAMiss() {
    List<PendingSave> batch = List.of(
        PendingSave.put(bare("t-a", "0003", "0001", 1), List.of(), "0001"),
        PendingSave.put(bare("t-b", "0002", "0001", 1), List.of(), "0001"));
    PostgresHeads.Decision decision = PostgresHeads.decide(batch,
        PostgresHeads.assumed(batch, Map.of("t-a", "0002")));
    assertEquals(Map.of(batch.get(0), "0002"), decision.refused);
    assertEquals(List.of(batch.get(1)), decision.accepted);
    assertArrayEquals(new String[] {"t-a", "t-b"}, (String[]) decision.casParams().getValue(0));
  }
}
