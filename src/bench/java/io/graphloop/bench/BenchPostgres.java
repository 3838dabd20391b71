package io.graphloop.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server settings of the durable-steps rows' throwaway PostgreSQL (issue 18): a production-like configuration
 * for this machine (24 GiB of memory), or PostgreSQL's defaults, beside it in a row of its own.
 *
 * <p>Why: with the defaults ({@code shared_buffers} 128 MB, {@code max_wal_size} 1 GB) a 10,000-thread row at
 * 20,000 steps/s writes about 24 MB/s of WAL, so PostgreSQL starts a checkpoint every 20-25 s (at {@code max_wal_size /
 * (1 + checkpoint_completion_target)} of WAL) and every page first touched after one is logged whole (full-page
 * images); and its tables outgrow the 128 MB of buffers within seconds, so its backends evict dirty pages
 * themselves. A production server on such a machine is not run with either (PostgreSQL's tuning guidance: about a
 * quarter of the memory as {@code shared_buffers}; {@code max_wal_size} large enough that checkpoints come from
 * {@code checkpoint_timeout}). {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} stay on
 * (ThrowawayPostgres refuses them): a commit costs what it costs on this disk. BENCHMARKS.md ("Issue 18: why the
 * PostgreSQL sittings differ") has the measurements that led here.
 *
 * <p>{@code -Dgraphloop.bench.durable.pgSettings=name=value,...} replaces the production-like set (empty: the
 * defaults), e.g. to A/B one setting; the defaults row ignores it. Constants and pure functions; thread-safe.
 */
final class BenchPostgres {

  private BenchPostgres() {
  }

  /** The system property that replaces {@link #PRODUCTION}. */
  static final String SETTINGS_PROPERTY = DurablePhases.PREFIX + "pgSettings";

  /** The production-like settings (README, "PostgreSQL": the recommended settings and why). */
  static final Map<String, String> PRODUCTION = Collections.unmodifiableMap(new java.util.TreeMap<>(Map.of(
      "shared_buffers", "6GB",
      "max_wal_size", "8GB",
      "min_wal_size", "2GB",
      "checkpoint_timeout", "15min")));

  /** The settings of the production-like row: {@link #SETTINGS_PROPERTY} when set, else {@link #PRODUCTION}. */
  static Map<String, String> production() {
    String configured = System.getProperty(SETTINGS_PROPERTY);
    return configured == null ? PRODUCTION : parse(configured);
  }

  /**
   * {@code name=value,name=value} as a map (empty text: no settings).
   *
   * @throws IllegalArgumentException for an entry without {@code =}, naming it
   */
  static Map<String, String> parse(String text) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0 || eq == entry.length() - 1) {
        throw new IllegalArgumentException(SETTINGS_PROPERTY + ": '" + entry.trim() + "' is not name=value (e.g. "
            + "shared_buffers=6GB,max_wal_size=8GB; empty for PostgreSQL's defaults)");
      }
      settings.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
    }
    return settings;
  }

  /** How a row names its server's settings, e.g. for its notes. */
  static String describe(Map<String, String> settings) {
    if (settings.isEmpty()) {
      return "PostgreSQL's default settings (shared_buffers 128MB, max_wal_size 1GB, checkpoint_timeout 5min)";
    }
    StringBuilder text = new StringBuilder("production-like settings ");
    settings.forEach((name, value) -> text.append(name).append('=').append(value).append(' '));
    return text.append("(the rest PostgreSQL's defaults; fsync, synchronous_commit, full_page_writes on)").toString();
  }
}
