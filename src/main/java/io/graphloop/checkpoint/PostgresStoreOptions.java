package io.graphloop.checkpoint;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;

/**
 * Options of a {@link PostgresCheckpointStore}, as a data object (from code, from {@code conf/}, from JSON).
 *
 * <ul>
 *   <li>{@code host}, {@code port}, {@code database}, {@code user}, {@code password}: where to connect
 *       (defaults {@code localhost}, 5432, {@code graphloop}, {@code graphloop}, no password).</li>
 *   <li>{@code poolSize}: connections the store's pool opens at most (default 4).</li>
 *   <li>{@code maxWaitQueueSize}: operations that may wait for a free connection; beyond it they fail at once
 *       rather than queue without bound (default 1024).</li>
 *   <li>{@code writerConnections}: connections of the group commit's writer, a pool of its own besides the
 *       {@code poolSize} above (default 2, at most 64): one lane per connection, each committing one transaction
 *       at a time, so saves progress however many reads (run starts, resumes, history) wait for the other pool.</li>
 *   <li>{@code maxBatchSize}: group commit: at most this many saves (checkpoints or pending writes, from any
 *       runs) are committed in one transaction (default 512; 1 turns group commit off: one transaction per save).
 *       Each save still completes only once it is durable, and a save that fails fails alone.</li>
 *   <li>{@code maxBatchWaitMs}: how long a batch waits to fill before it commits (default 0: it takes what is
 *       queued at once, so one run alone waits for nothing; saves arriving during a commit form the next batch).</li>
 *   <li>{@code maxReadBatchSize}: run starts' reads of their thread's latest checkpoint that queued while earlier
 *       ones ran are read together, at most this many threads per statement (default 64; 1: each read alone).</li>
 *   <li>{@code maxQueuedSaves}: the most saves waiting for a batch (given, not yet being committed); a save beyond
 *       it is refused at once with a {@link SaveQueueFullException} (OVERLOADED) instead of queueing without bound
 *       (default 100,000: under {@code sync} each run in flight has at most one save waiting).</li>
 * </ul>
 *
 * <p>{@link #toString()} leaves the password out; {@link #toJson()} keeps it (it is the configuration).
 *
 * <p>Mutable while being built; not thread-safe. The store copies it when it opens.
 */
public final class PostgresStoreOptions {

  public static final String DEFAULT_HOST = "localhost";
  public static final int DEFAULT_PORT = 5432;
  public static final int DEFAULT_MAX_BATCH_SIZE = 512;
  public static final long DEFAULT_MAX_BATCH_WAIT_MS = 0;
  public static final int DEFAULT_MAX_QUEUED_SAVES = 100_000;
  public static final int DEFAULT_MAX_READ_BATCH_SIZE = 64;
  public static final String DEFAULT_DATABASE = "graphloop";
  public static final String DEFAULT_USER = "graphloop";
  public static final int DEFAULT_POOL_SIZE = 4;
  public static final int DEFAULT_MAX_WAIT_QUEUE_SIZE = 1024;
  public static final int DEFAULT_WRITER_CONNECTIONS = 2;
  /** The most {@code writerConnections}: each is a lane committing in parallel; more only adds contention. */
  public static final int MAX_WRITER_CONNECTIONS = 64;

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String database = DEFAULT_DATABASE;
  private String user = DEFAULT_USER;
  private String password;
  private int poolSize = DEFAULT_POOL_SIZE;
  private int maxWaitQueueSize = DEFAULT_MAX_WAIT_QUEUE_SIZE;
  private int writerConnections = DEFAULT_WRITER_CONNECTIONS;

  private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
  private long maxBatchWaitMs = DEFAULT_MAX_BATCH_WAIT_MS;
  private int maxQueuedSaves = DEFAULT_MAX_QUEUED_SAVES;
  private int maxReadBatchSize = DEFAULT_MAX_READ_BATCH_SIZE;

  public PostgresStoreOptions() {
  }

  public PostgresStoreOptions(PostgresStoreOptions other) {
    this.maxBatchSize = other.maxBatchSize;
    this.maxBatchWaitMs = other.maxBatchWaitMs;
    this.maxQueuedSaves = other.maxQueuedSaves;
    this.maxReadBatchSize = other.maxReadBatchSize;
    this.host = other.host;
    this.port = other.port;
    this.database = other.database;
    this.user = other.user;
    this.password = other.password;
    this.poolSize = other.poolSize;
    this.maxWaitQueueSize = other.maxWaitQueueSize;
    this.writerConnections = other.writerConnections;
  }

  /**
   * Reads options from JSON; absent fields keep their defaults.
   *
   * @throws IllegalArgumentException naming the field whose value is wrong
   */
  public PostgresStoreOptions(JsonObject json) {
    String where = "PostgreSQL store options";
    String value = JsonFields.optionalString(json, "host", where);
    setHost(value == null ? DEFAULT_HOST : value);
    setPort(JsonFields.optionalInt(json, "port", DEFAULT_PORT, where));
    value = JsonFields.optionalString(json, "database", where);
    setDatabase(value == null ? DEFAULT_DATABASE : value);
    value = JsonFields.optionalString(json, "user", where);
    setUser(value == null ? DEFAULT_USER : value);
    setPassword(JsonFields.optionalString(json, "password", where));
    setPoolSize(JsonFields.optionalInt(json, "poolSize", DEFAULT_POOL_SIZE, where));
    setMaxWaitQueueSize(JsonFields.optionalInt(json, "maxWaitQueueSize", DEFAULT_MAX_WAIT_QUEUE_SIZE, where));
    setMaxBatchSize(JsonFields.optionalInt(json, "maxBatchSize", DEFAULT_MAX_BATCH_SIZE, where));
    setMaxBatchWaitMs(JsonFields.optionalLong(json, "maxBatchWaitMs", DEFAULT_MAX_BATCH_WAIT_MS, where));
    setMaxQueuedSaves(JsonFields.optionalInt(json, "maxQueuedSaves", DEFAULT_MAX_QUEUED_SAVES, where));
    setWriterConnections(JsonFields.optionalInt(json, "writerConnections", DEFAULT_WRITER_CONNECTIONS, where));
    setMaxReadBatchSize(JsonFields.optionalInt(json, "maxReadBatchSize", DEFAULT_MAX_READ_BATCH_SIZE, where));
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("database", database).put("user", user)
        .put("password", password).put("poolSize", poolSize).put("maxWaitQueueSize", maxWaitQueueSize)
        .put("maxBatchSize", maxBatchSize).put("maxBatchWaitMs", maxBatchWaitMs)
        .put("maxQueuedSaves", maxQueuedSaves).put("writerConnections", writerConnections)
        .put("maxReadBatchSize", maxReadBatchSize);
  }

  public String getHost() {
    return host;
  }

  public PostgresStoreOptions setHost(String host) {
    this.host = requireText("host", host);
    return this;
  }

  public int getPort() {
    return port;
  }

  /** Between 1 and 65535. */
  public PostgresStoreOptions setPort(int port) {
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  public String getDatabase() {
    return database;
  }

  public PostgresStoreOptions setDatabase(String database) {
    this.database = requireText("database", database);
    return this;
  }

  public String getUser() {
    return user;
  }

  public PostgresStoreOptions setUser(String user) {
    this.user = requireText("user", user);
    return this;
  }

  public String getPassword() {
    return password;
  }

  /** The password, or {@code null} for none (e.g. trust or peer authentication). */
  public PostgresStoreOptions setPassword(String password) {
    this.password = password;
    return this;
  }

  public int getPoolSize() {
    return poolSize;
  }

  /** Connections the pool opens at most; at least 1. */
  public PostgresStoreOptions setPoolSize(int poolSize) {
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be greater than or equal to 1, was " + poolSize);
    }
    this.poolSize = poolSize;
    return this;
  }

  public int getMaxWaitQueueSize() {
    return maxWaitQueueSize;
  }

  /** Operations that may wait for a connection; at least 1. */
  public PostgresStoreOptions setMaxWaitQueueSize(int maxWaitQueueSize) {
    if (maxWaitQueueSize < 1) {
      throw new IllegalArgumentException("maxWaitQueueSize must be greater than or equal to 1, was "
          + maxWaitQueueSize);
    }
    this.maxWaitQueueSize = maxWaitQueueSize;
    return this;
  }

  /** The Vert.x client's connection options. */
  public PgConnectOptions toConnectOptions() {
    PgConnectOptions options = new PgConnectOptions().setHost(host).setPort(port).setDatabase(database)
        .setUser(user).setCachePreparedStatements(true)
        .setPreparedStatementCacheSqlLimit(PREPARED_STATEMENT_SQL_LIMIT);
    if (password != null) {
      options.setPassword(password);
    }
    return options;
  }

  /**
   * The longest statement text the client keeps prepared on a connection (Vert.x's default is 2,048 characters): a
   * longer one is sent unnamed, so PostgreSQL parses and plans it at every execution. The stores' statements are up
   * to about 2,300 characters ({@code PostgresLatestStored} with the blobs of checkpoint rows); planned each time,
   * a run start's read cost about 1.8 ms of server time instead of 0.14 and the pool's four connections could not
   * keep up with the durable-steps benchmark's run starts (BENCHMARKS.md, issue 18, 2026-12-08 03:15).
   */
  public static final int PREPARED_STATEMENT_SQL_LIMIT = 8_192;

  /** The Vert.x client's pool options. */
  public PoolOptions toPoolOptions() {
    return new PoolOptions().setMaxSize(poolSize).setMaxWaitQueueSize(maxWaitQueueSize);
  }

  /**
   * The options of the group-commit writer's own pool: {@code writerConnections} connections; its wait queue holds
   * as many (each lane waits for at most one connection at a time).
   */
  PoolOptions toWriterPoolOptions() {
    return new PoolOptions().setMaxSize(writerConnections).setMaxWaitQueueSize(writerConnections);
  }

  public int getWriterConnections() {
    return writerConnections;
  }

  /**
   * Group commit: the connections of the writer's own pool (and its lanes, each committing one transaction at a
   * time), from 1 to {@value #MAX_WRITER_CONNECTIONS}. Reads never use them.
   */
  public PostgresStoreOptions setWriterConnections(int writerConnections) {
    if (writerConnections < 1 || writerConnections > MAX_WRITER_CONNECTIONS) {
      throw new IllegalArgumentException("writerConnections must be between 1 and " + MAX_WRITER_CONNECTIONS
          + " (connections of the group commit's own pool), was " + writerConnections);
    }
    this.writerConnections = writerConnections;
    return this;
  }

  /** {@code user@host:port/database}, without the password. */
  @Override
  public String toString() {
    return user + "@" + host + ":" + port + "/" + database;
  }

  private static String requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must be a non-empty string, was "
          + (value == null ? "null" : "\"" + value + "\""));
    }
    return value;
  }

  public int getMaxBatchSize() {
    return maxBatchSize;
  }

  /** Group commit: the most saves committed in one transaction, at least 1 (1 turns group commit off). */
  public PostgresStoreOptions setMaxBatchSize(int maxBatchSize) {
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
  public PostgresStoreOptions setMaxBatchWaitMs(long maxBatchWaitMs) {
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
  public PostgresStoreOptions setMaxQueuedSaves(int maxQueuedSaves) {
    if (maxQueuedSaves < 1) {
      throw new IllegalArgumentException("maxQueuedSaves must be greater than or equal to 1, was " + maxQueuedSaves);
    }
    this.maxQueuedSaves = maxQueuedSaves;
    return this;
  }

  public int getMaxReadBatchSize() {
    return maxReadBatchSize;
  }

  /**
   * The most threads whose latest checkpoints one statement reads (run starts that queued while earlier reads ran),
   * from 1 (each read alone) to 1,000.
   */
  public PostgresStoreOptions setMaxReadBatchSize(int maxReadBatchSize) {
    if (maxReadBatchSize < 1 || maxReadBatchSize > 1_000) {
      throw new IllegalArgumentException("maxReadBatchSize must be between 1 (each read alone) and 1000, was "
          + maxReadBatchSize);
    }
    this.maxReadBatchSize = maxReadBatchSize;
    return this;
  }
}
