package io.graphloop.checkpoint;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Options of a {@link SqliteCheckpointStore}, as a data object (from code, from {@code conf/}, from JSON).
 *
 * <ul>
 *   <li>{@code dataDir}: the directory of the database file, created if missing (default {@code "data"}).</li>
 *   <li>{@code fileName}: the database file's name in it (default {@code "checkpoints.db"}).</li>
 *   <li>{@code synchronous}: SQLite's {@code PRAGMA synchronous} in WAL mode: {@code "FULL"} (default; a saved
 *       checkpoint survives a power loss) or {@code "NORMAL"} (faster; survives a crash of the process but the
 *       last commits may be lost on a power loss, never corrupting the file).</li>
 *   <li>{@code busyTimeoutMs}: how long a write waits for another process holding the file's lock.</li>
 *   <li>{@code maxBatchSize}: group commit: at most this many saves (checkpoints or pending writes, from any
 *       runs) are committed in one transaction (default 512; 1 turns group commit off: one transaction per save).
 *       Each save still completes only once it is durable, and a save that fails fails alone.</li>
 *   <li>{@code maxBatchWaitMs}: how long a batch waits to fill before it commits (default 0: it takes what is
 *       queued at once, so one run alone waits for nothing; saves arriving during a commit form the next batch).</li>
 *   <li>{@code maxQueuedSaves}: the most saves waiting for a batch (given, not yet being committed); a save beyond
 *       it is refused at once with a {@link SaveQueueFullException} (OVERLOADED) instead of queueing without bound
 *       (default 100,000: under {@code sync} each run in flight has at most one save waiting).</li>
 *   <li>{@code walAutocheckpointPages}: SQLite's {@code PRAGMA wal_autocheckpoint}: the write-ahead log is copied
 *       into the database file once it holds this many pages (default 100,000, about 400 MB of log file with 4 KiB
 *       pages, kept on disk while the store is open; 100 to 1,000,000). Each save rewrites its thread's newest index
 *       page, so with thousands of threads in flight most of the log is pages rewritten again before the copy: a
 *       longer log copies each such page once for more saves (SQLite's own default, 1,000, copies them again every
 *       few group commits; 20,000, this store's earlier default, about once per two saves of each of 10,000 threads).
 *       Commits stay as durable (the log is synced at each commit under {@code FULL}); a restart after a crash
 *       replays at most this much log.</li>
 *   <li>{@code cacheSizeKiB}: SQLite's page cache of the store's connection, in KiB (default 65,536 = 64 MiB;
 *       1,024 to 1,048,576): the index pages of the threads in flight stay in memory.</li>
 *   <li>{@code maxKnownHeads}: fencing: how many threads' heads the group commit keeps in memory (default 100,000,
 *       about 150 bytes each; 0 to 10,000,000; 0 reads every batch's heads), so a batch's puts on threads it saved
 *       before need no head read. The known heads are dropped whenever another connection has committed to the file
 *       ({@code PRAGMA data_version}, the first statement of each transaction), so fencing stays exact; the
 *       least recently saved are forgotten first and read again when needed.</li>
 * </ul>
 *
 * <p>Mutable while being built; not thread-safe. The store copies it when it opens.
 */
public final class SqliteStoreOptions {

  public static final String DEFAULT_DATA_DIR = "data";
  public static final String DEFAULT_FILE_NAME = "checkpoints.db";
  public static final String DEFAULT_SYNCHRONOUS = "FULL";
  public static final int DEFAULT_BUSY_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_MAX_BATCH_SIZE = 512;
  public static final long DEFAULT_MAX_BATCH_WAIT_MS = 0;
  public static final int DEFAULT_MAX_QUEUED_SAVES = 100_000;
  public static final int DEFAULT_WAL_AUTOCHECKPOINT_PAGES = 100_000;
  public static final int DEFAULT_CACHE_SIZE_KIB = 65_536;
  public static final int DEFAULT_MAX_KNOWN_HEADS = 100_000;

  private static final Set<String> SYNCHRONOUS_MODES = Set.of("FULL", "NORMAL");

  private String dataDir = DEFAULT_DATA_DIR;
  private String fileName = DEFAULT_FILE_NAME;
  private String synchronous = DEFAULT_SYNCHRONOUS;
  private int busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS;

  private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
  private long maxBatchWaitMs = DEFAULT_MAX_BATCH_WAIT_MS;
  private int maxQueuedSaves = DEFAULT_MAX_QUEUED_SAVES;
  private int walAutocheckpointPages = DEFAULT_WAL_AUTOCHECKPOINT_PAGES;
  private int cacheSizeKiB = DEFAULT_CACHE_SIZE_KIB;
  private int maxKnownHeads = DEFAULT_MAX_KNOWN_HEADS;

  public SqliteStoreOptions() {
  }

  public SqliteStoreOptions(SqliteStoreOptions other) {
    this.maxBatchSize = other.maxBatchSize;
    this.maxBatchWaitMs = other.maxBatchWaitMs;
    this.maxQueuedSaves = other.maxQueuedSaves;
    this.dataDir = other.dataDir;
    this.fileName = other.fileName;
    this.synchronous = other.synchronous;
    this.busyTimeoutMs = other.busyTimeoutMs;
    this.walAutocheckpointPages = other.walAutocheckpointPages;
    this.cacheSizeKiB = other.cacheSizeKiB;
    this.maxKnownHeads = other.maxKnownHeads;
  }

  /**
   * Reads options from JSON; absent fields keep their defaults.
   *
   * @throws IllegalArgumentException naming the field whose value is wrong
   */
  public SqliteStoreOptions(JsonObject json) {
    String where = "SQLite store options";
    setDataDir(orDefault(JsonFields.optionalString(json, "dataDir", where), DEFAULT_DATA_DIR));
    setFileName(orDefault(JsonFields.optionalString(json, "fileName", where), DEFAULT_FILE_NAME));
    setSynchronous(orDefault(JsonFields.optionalString(json, "synchronous", where), DEFAULT_SYNCHRONOUS));
    setBusyTimeoutMs(JsonFields.optionalInt(json, "busyTimeoutMs", DEFAULT_BUSY_TIMEOUT_MS, where));
    setMaxBatchSize(JsonFields.optionalInt(json, "maxBatchSize", DEFAULT_MAX_BATCH_SIZE, where));
    setMaxBatchWaitMs(JsonFields.optionalLong(json, "maxBatchWaitMs", DEFAULT_MAX_BATCH_WAIT_MS, where));
    setMaxQueuedSaves(JsonFields.optionalInt(json, "maxQueuedSaves", DEFAULT_MAX_QUEUED_SAVES, where));
    setWalAutocheckpointPages(JsonFields.optionalInt(json, "walAutocheckpointPages", DEFAULT_WAL_AUTOCHECKPOINT_PAGES,
        where));
    setCacheSizeKiB(JsonFields.optionalInt(json, "cacheSizeKiB", DEFAULT_CACHE_SIZE_KIB, where));
    setMaxKnownHeads(JsonFields.optionalInt(json, "maxKnownHeads", DEFAULT_MAX_KNOWN_HEADS, where));
  }

  public JsonObject toJson() {
    return new JsonObject().put("dataDir", dataDir).put("fileName", fileName).put("synchronous", synchronous)
        .put("busyTimeoutMs", busyTimeoutMs)
        .put("maxBatchSize", maxBatchSize).put("maxBatchWaitMs", maxBatchWaitMs)
        .put("maxQueuedSaves", maxQueuedSaves).put("walAutocheckpointPages", walAutocheckpointPages)
        .put("cacheSizeKiB", cacheSizeKiB).put("maxKnownHeads", maxKnownHeads);
  }

  public int getMaxKnownHeads() {
    return maxKnownHeads;
  }

  /** How many threads' heads the group commit keeps in memory for fencing, 0 to 10,000,000 (0: read them each batch). */
  public SqliteStoreOptions setMaxKnownHeads(int maxKnownHeads) {
    if (maxKnownHeads < 0 || maxKnownHeads > 10_000_000) {
      throw new IllegalArgumentException("maxKnownHeads must be between 0 and 10000000 (thread heads the group "
          + "commit keeps in memory for fencing; 0 reads them every batch), was " + maxKnownHeads);
    }
    this.maxKnownHeads = maxKnownHeads;
    return this;
  }

  public int getWalAutocheckpointPages() {
    return walAutocheckpointPages;
  }

  /** The log's pages before it is copied into the database file ({@code PRAGMA wal_autocheckpoint}), 100 to 1,000,000. */
  public SqliteStoreOptions setWalAutocheckpointPages(int walAutocheckpointPages) {
    if (walAutocheckpointPages < 100 || walAutocheckpointPages > 1_000_000) {
      throw new IllegalArgumentException("walAutocheckpointPages must be between 100 and 1000000 (pages of the "
          + "write-ahead log before it is copied into the database file), was " + walAutocheckpointPages);
    }
    this.walAutocheckpointPages = walAutocheckpointPages;
    return this;
  }

  public int getCacheSizeKiB() {
    return cacheSizeKiB;
  }

  /** The connection's page cache in KiB ({@code PRAGMA cache_size = -n}), 1,024 to 1,048,576. */
  public SqliteStoreOptions setCacheSizeKiB(int cacheSizeKiB) {
    if (cacheSizeKiB < 1_024 || cacheSizeKiB > 1_048_576) {
      throw new IllegalArgumentException("cacheSizeKiB must be between 1024 and 1048576 (the page cache in KiB), was "
          + cacheSizeKiB);
    }
    this.cacheSizeKiB = cacheSizeKiB;
    return this;
  }

  public String getDataDir() {
    return dataDir;
  }

  /** The directory of the database file; relative paths are resolved against the working directory. */
  public SqliteStoreOptions setDataDir(String dataDir) {
    if (dataDir == null || dataDir.isBlank()) {
      throw new IllegalArgumentException("dataDir must be a directory path, was " + quoted(dataDir));
    }
    this.dataDir = dataDir;
    return this;
  }

  public String getFileName() {
    return fileName;
  }

  /** The database file's name inside {@code dataDir}: a plain name, no directories. */
  public SqliteStoreOptions setFileName(String fileName) {
    if (fileName == null || fileName.isBlank() || fileName.contains("/") || fileName.contains("\\")
        || fileName.equals(".") || fileName.equals("..") || fileName.startsWith(":")) {
      throw new IllegalArgumentException("fileName must be a plain file name (directories go in dataDir), was "
          + quoted(fileName));
    }
    this.fileName = fileName;
    return this;
  }

  public String getSynchronous() {
    return synchronous;
  }

  /** {@code "FULL"} or {@code "NORMAL"} (case-insensitive). */
  public SqliteStoreOptions setSynchronous(String synchronous) {
    String mode = synchronous == null ? null : synchronous.toUpperCase(Locale.ROOT);
    if (!SYNCHRONOUS_MODES.contains(mode)) {
      throw new IllegalArgumentException("synchronous must be FULL or NORMAL, was " + quoted(synchronous));
    }
    this.synchronous = mode;
    return this;
  }

  public int getBusyTimeoutMs() {
    return busyTimeoutMs;
  }

  /** How long a write waits for another process's lock on the file, in ms; at least 0. */
  public SqliteStoreOptions setBusyTimeoutMs(int busyTimeoutMs) {
    if (busyTimeoutMs < 0) {
      throw new IllegalArgumentException("busyTimeoutMs must be greater than or equal to 0, was " + busyTimeoutMs);
    }
    this.busyTimeoutMs = busyTimeoutMs;
    return this;
  }

  /** The database file: {@code dataDir/fileName}, absolute. */
  public Path path() {
    return Path.of(dataDir).resolve(fileName).toAbsolutePath().normalize();
  }

  private static String orDefault(String value, String fallback) {
    return value == null ? fallback : value;
  }

  private static String quoted(String value) {
    return value == null ? "null" : "\"" + value + "\"";
  }

  public int getMaxBatchSize() {
    return maxBatchSize;
  }

  /** Group commit: the most saves committed in one transaction, at least 1 (1 turns group commit off). */
  public SqliteStoreOptions setMaxBatchSize(int maxBatchSize) {
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be greater than or equal to 1 (1: one transaction per "
          + "save), was " + maxBatchSize);
    }
    this.maxBatchSize = maxBatchSize;
    return this;
  }

  public long getMaxBatchWaitMs() {
    return maxBatchWaitMs;
  }

  /** How long a batch waits to fill before committing, in ms: 0 (default, no wait) to 1000. */
  public SqliteStoreOptions setMaxBatchWaitMs(long maxBatchWaitMs) {
    if (maxBatchWaitMs < 0 || maxBatchWaitMs > 1000) {
      throw new IllegalArgumentException("maxBatchWaitMs must be between 0 and 1000, was " + maxBatchWaitMs);
    }
    this.maxBatchWaitMs = maxBatchWaitMs;
    return this;
  }

  public int getMaxQueuedSaves() {
    return maxQueuedSaves;
  }

  /**
   * Group commit: the most saves waiting for a batch, at least 1; beyond it a save is refused with a
   * {@link SaveQueueFullException}.
   */
  public SqliteStoreOptions setMaxQueuedSaves(int maxQueuedSaves) {
    if (maxQueuedSaves < 1) {
      throw new IllegalArgumentException("maxQueuedSaves must be greater than or equal to 1, was " + maxQueuedSaves);
    }
    this.maxQueuedSaves = maxQueuedSaves;
    return this;
  }
}
