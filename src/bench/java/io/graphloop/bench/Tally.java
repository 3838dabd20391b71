package io.graphloop.bench;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Counts finished runs and failures of one batch and keeps the first error.
 *
 * <p>Thread-safe.
 */
final class Tally {

  private final AtomicLong runs = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();

  /** Records a run that finished with the expected state. */
  void success() {
    runs.incrementAndGet();
  }

  /** Records a run that failed or ended in a wrong state; returns the runs finished so far. */
  long failure(String error) {
    failures.incrementAndGet();
    firstError.compareAndSet(null, error);
    return runs.incrementAndGet();
  }

  /** Records a run: a success when {@code error} is null. Returns the runs finished so far. */
  long record(String error) {
    if (error == null) {
      return runs.incrementAndGet();
    }
    return failure(error);
  }

  long runs() {
    return runs.get();
  }

  Batch batch(long elapsedNanos) {
    return new Batch(runs.get(), failures.get(), elapsedNanos, firstError.get());
  }
}
