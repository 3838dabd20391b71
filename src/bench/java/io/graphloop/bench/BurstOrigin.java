package io.graphloop.bench;

/**
 * Where a burst's runs are started from (issue 17: 100,000 runs in at most 1 s however they are started).
 */
enum BurstOrigin {
  /** All from one event-loop context, in chunks of 1,000 per task. */
  ONE_LOOP("from one event loop"),
  /** Split evenly over one context per event loop, each sending its share in chunks of 1,000 per task. */
  MANY_LOOPS("from every event loop"),
  /** From the child's main thread (not a Vert.x thread), one call per run. */
  PLAIN_THREAD("from a plain thread");

  private final String label;

  BurstOrigin(String label) {
    this.label = label;
  }

  String label() {
    return label;
  }
}
