package io.graphloop.bench;

import java.util.Arrays;
import java.util.List;

/**
 * For {@link AgentStreamBench}: nanosecond samples of tokens (each with when its token was written), percentiles in
 * ms. Thread-safe (synchronized; samples come from several event loops).
 */
final class TokenLatencies {
  private long[] samples;
  private long[] writtenAt;
  private int size;

  TokenLatencies(int expected) {
    samples = new long[Math.max(16, expected)];
    writtenAt = new long[samples.length];
  }

  /** A token written at {@code at} and read at {@code now} (nanoTime). */
  synchronized void add(long at, long now) {
    if (size == samples.length) {
      samples = Arrays.copyOf(samples, size * 2);
      writtenAt = Arrays.copyOf(writtenAt, samples.length);
    }
    writtenAt[size] = at;
    samples[size++] = now - at;
  }

  /**
   * Of the tokens, the share (%) that a pause of {@code pauses} overlapped (written before it ended, read after it
   * began), and the p99 (ms) of the others.
   */
  synchronized double[] outsidePauses(List<long[]> pauses) {
    long[] others = new long[size];
    int kept = 0;
    for (int i = 0; i < size; i++) {
      long from = writtenAt[i];
      long to = from + samples[i];
      boolean hit = false;
      for (long[] pause : pauses) {
        if (from <= pause[1] && to >= pause[0]) {
          hit = true;
          break;
        }
      }
      if (!hit) {
        others[kept++] = samples[i];
      }
    }
    long[] sorted = Arrays.copyOf(others, kept);
    Arrays.sort(sorted);
    return new double[] {size == 0 ? 0 : 100.0 * (size - kept) / size,
        kept == 0 ? 0 : Stats.percentile(sorted, 0.99) / 1e6};
  }

  synchronized long count() {
    return size;
  }

  /** The percentile in ms, NaN when there is no sample (the floor's row has no emit stamps). */
  synchronized double percentile(double p) {
    if (size == 0) {
      return Double.NaN;
    }
    long[] sorted = Arrays.copyOf(samples, size);
    Arrays.sort(sorted);
    return Stats.percentile(sorted, p) / 1e6;
  }
}
