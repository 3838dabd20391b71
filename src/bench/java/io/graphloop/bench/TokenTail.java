package io.graphloop.bench;

import java.util.Arrays;
import java.util.List;

/**
 * For {@link AgentStreamBench}: what the slowest tokens (added time at or over the p99) had around them, beside every
 * token's, to say what the p99 waited on: a GC pause over it; the loop already late reading the model (its model ->
 * node time); other tokens in Graphloop's path when it entered (emitted and not yet read: a queue ahead of it); other
 * tokens that entered within the millisecond before it (a burst handled in one go by the loops); when in the round
 * they were (a tail bunched in the first quarter is warm-up: compilation, first connections); the thread that read
 * them, against every token's share (a tail bunched on one reader waited behind that thread's other work). Thread-safe
 * (synchronized; samples come from several event loops).
 */
final class TokenTail {
  private long[] written;
  private long[] emitted;
  private long[] read;
  /** Each token's reading thread, an index into {@link #readers}. */
  private int[] reader;
  private final java.util.List<String> readers = new java.util.ArrayList<>();
  private int size;

  TokenTail(int expected) {
    written = new long[Math.max(16, expected)];
    emitted = new long[written.length];
    read = new long[written.length];
    reader = new int[written.length];
  }

  /** One token: the fake model wrote it, the node emitted it, the client read it (nanoTime) on thread {@code by}. */
  synchronized void add(long writtenAt, long emittedAt, long readAt, String by) {
    if (size == written.length) {
      written = Arrays.copyOf(written, size * 2);
      emitted = Arrays.copyOf(emitted, written.length);
      read = Arrays.copyOf(read, written.length);
      reader = Arrays.copyOf(reader, written.length);
    }
    int index = readers.indexOf(by);
    if (index < 0) {
      index = readers.size();
      readers.add(by);
    }
    reader[size] = index;
    written[size] = writtenAt;
    emitted[size] = emittedAt;
    read[size++] = readAt;
  }

  /** One line: the tail's figures against every token's (medians), given the round's GC pauses. */
  synchronized String summary(List<long[]> pauses) {
    if (size == 0) {
      return "-";
    }
    long[] added = new long[size];
    for (int i = 0; i < size; i++) {
      added[i] = read[i] - emitted[i];
    }
    long[] sortedAdded = added.clone();
    Arrays.sort(sortedAdded);
    long p99 = Stats.percentile(sortedAdded, 0.99);
    long[] emits = Arrays.copyOf(emitted, size);
    long[] reads = Arrays.copyOf(read, size);
    Arrays.sort(emits);
    Arrays.sort(reads);
    int tail = 0;
    int tailGc = 0;
    long[] inTail = new long[size];
    long[] inAll = new long[size];
    long[] queueTail = new long[size];
    long[] queueAll = new long[size];
    long[] burstTail = new long[size];
    long[] burstAll = new long[size];
    int[] quartersTail = new int[4]; // when in the round (by emit time) the tail's tokens were
    long first = emits[0];
    long span = Math.max(1, emits[size - 1] - first + 1);
    int[] readersTail = new int[readers.size()];
    int[] readersAll = new int[readers.size()];
    for (int i = 0; i < size; i++) {
      long queue = upTo(emits, emitted[i] - 1) - upTo(reads, emitted[i]); // entered before it and not yet read
      long burst = upTo(emits, emitted[i] - 1) - upTo(emits, emitted[i] - 1_000_000);
      inAll[i] = emitted[i] - written[i];
      queueAll[i] = queue;
      burstAll[i] = burst;
      readersAll[reader[i]]++;
      if (added[i] >= p99) {
        readersTail[reader[i]]++;
        quartersTail[(int) Math.min(3, 4 * (emitted[i] - first) / span)]++;
        inTail[tail] = inAll[i];
        queueTail[tail] = queue;
        burstTail[tail] = burst;
        for (long[] pause : pauses) {
          if (emitted[i] <= pause[1] && read[i] >= pause[0]) {
            tailGc++;
            break;
          }
        }
        tail++;
      }
    }
    return String.format("%,d tokens at or over the added p99 (%.2f ms): a GC pause overlapped %.0f%%; model -> node "
            + "p50 %.2f ms (all tokens %.2f); tokens ahead in the path at entry p50/p90 %d/%d (all %d/%d); tokens "
            + "entered in the ms before p50/p90 %d/%d (all %d/%d)", tail, p99 / 1e6, 100.0 * tailGc / tail,
        median(inTail, tail) / 1e6, median(inAll, size) / 1e6, pct(queueTail, tail, 0.5), pct(queueTail, tail, 0.9),
        pct(queueAll, size, 0.5), pct(queueAll, size, 0.9), pct(burstTail, tail, 0.5), pct(burstTail, tail, 0.9),
        pct(burstAll, size, 0.5), pct(burstAll, size, 0.9)) + String.format("; in the round's quarters (by emit time) %.0f/%.0f/%.0f/%.0f%%", 100.0 * quartersTail[0] / tail,
        100.0 * quartersTail[1] / tail, 100.0 * quartersTail[2] / tail, 100.0 * quartersTail[3] / tail)
        + "; read on " + byReader(readersTail, tail, readersAll);
  }

  /** The tail's tokens per reading thread, against every token's share, most of the tail first. */
  private String byReader(int[] tailCounts, int tail, int[] allCounts) {
    Integer[] order = new Integer[readers.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Integer.compare(tailCounts[b], tailCounts[a]));
    StringBuilder out = new StringBuilder();
    for (int i : order) {
      out.append(out.length() == 0 ? "" : ", ").append(readers.get(i)).append(String.format(" %.0f%% (all tokens %.0f%%)",
          100.0 * tailCounts[i] / Math.max(1, tail), 100.0 * allCounts[i] / Math.max(1, size)));
    }
    return out.toString();
  }

  /** How many of {@code sorted} are at most {@code t}. */
  private static long upTo(long[] sorted, long t) {
    int at = Arrays.binarySearch(sorted, t);
    if (at < 0) {
      return -at - 1;
    }
    while (at + 1 < sorted.length && sorted[at + 1] == t) {
      at++;
    }
    return at + 1;
  }

  private static double median(long[] values, int n) {
    return pct(values, n, 0.5);
  }

  private static long pct(long[] values, int n, double p) {
    long[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    return Stats.percentile(sorted, p);
  }
}
