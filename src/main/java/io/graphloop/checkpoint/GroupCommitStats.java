package io.graphloop.checkpoint;

/**
 * What a store's group commit has done so far: {@code transactions} committed and the {@code saves} (puts and
 * pending writes) they held; {@code saves / transactions} is the mean batch size. Failed transactions are not
 * counted. {@code statements} counts the statement executions of the writer (SQLite's batch statements count once
 * per row, PostgreSQL's one statement of a batch, one array per column, counts once whatever its rows; commits are
 * not counted), failed transactions included: {@code statements / saves} is the writer's work per
 * save, a measure that does not depend on the machine's load.
 *
 * @param transactions the transactions committed that held at least one save
 * @param saves        the saves made durable by them
 * @param statements   the statement executions of the writer so far
 */
public record GroupCommitStats(long transactions, long saves, long statements) {

  /** Stats of a store that does not count its statements. */
  public GroupCommitStats(long transactions, long saves) {
    this(transactions, saves, 0);
  }

  /** The mean number of saves per committed transaction (0 before the first). */
  public double meanBatchSize() {
    return transactions == 0 ? 0 : (double) saves / transactions;
  }

  /** The mean number of statement executions per committed save (0 before the first). */
  public double statementsPerSave() {
    return saves == 0 ? 0 : (double) statements / saves;
  }
}
