package io.graphloop.checkpoint;

/**
 * What a store's group commit has done so far: {@code transactions} committed and the {@code saves} (puts and
 * pending writes) they held; {@code saves / transactions} is the mean batch size. Failed transactions are not
 * counted.
 *
 * @param transactions the transactions committed that held at least one save
 * @param saves        the saves made durable by them
 */
public record GroupCommitStats(long transactions, long saves) {

  /** The mean number of saves per committed transaction (0 before the first). */
  public double meanBatchSize() {
    return transactions == 0 ? 0 : (double) saves / transactions;
  }
}
