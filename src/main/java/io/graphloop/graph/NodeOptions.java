package io.graphloop.graph;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Options of one node, as a data object: from code, from {@code conf/} JSON and back.
 *
 * <ul>
 *   <li>{@code timeoutMs}: how long the coordinator waits for the node's reply; 0 means the
 *       deployment's default ({@code GraphRuntimeOptions.nodeTimeoutMs}).</li>
 *   <li>{@code workerPool}/{@code workerPoolSize}: for blocking nodes, a named worker pool of that size
 *       (shared by every node naming it); without a name, Vert.x's default worker pool.</li>
 * </ul>
 *
 * <p>Mutable while being built, like Vert.x options; the graph copies it at compile time.
 */
public final class NodeOptions {

  public static final long DEFAULT_TIMEOUT_MS = 0;
  public static final String DEFAULT_WORKER_POOL = null;
  public static final int DEFAULT_WORKER_POOL_SIZE = 8;

  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private String workerPool = DEFAULT_WORKER_POOL;
  private int workerPoolSize = DEFAULT_WORKER_POOL_SIZE;

  public NodeOptions() {
  }

  public NodeOptions(NodeOptions other) {
    this.timeoutMs = other.timeoutMs;
    this.workerPool = other.workerPool;
    this.workerPoolSize = other.workerPoolSize;
  }

  public NodeOptions(JsonObject json) {
    this.timeoutMs = json.getLong("timeoutMs", DEFAULT_TIMEOUT_MS);
    this.workerPool = json.getString("workerPool", DEFAULT_WORKER_POOL);
    this.workerPoolSize = json.getInteger("workerPoolSize", DEFAULT_WORKER_POOL_SIZE);
    validate();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("timeoutMs", timeoutMs).put("workerPoolSize", workerPoolSize);
    if (workerPool != null) {
      json.put("workerPool", workerPool);
    }
    return json;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  /** The reply timeout in ms; 0 for the deployment's default. Must be 0 or more. */
  public NodeOptions setTimeoutMs(long timeoutMs) {
    if (timeoutMs < 0) {
      throw new IllegalArgumentException("timeoutMs must be greater than or equal to 0 (0 = deployment default), was "
          + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
    return this;
  }

  public String getWorkerPool() {
    return workerPool;
  }

  /** The name of the worker pool that runs this (blocking) node; {@code null} for Vert.x's default pool. */
  public NodeOptions setWorkerPool(String workerPool) {
    this.workerPool = workerPool;
    return this;
  }

  public int getWorkerPoolSize() {
    return workerPoolSize;
  }

  /** The size of the named worker pool; must be 1 or more. */
  public NodeOptions setWorkerPoolSize(int workerPoolSize) {
    if (workerPoolSize < 1) {
      throw new IllegalArgumentException("workerPoolSize must be greater than or equal to 1, was " + workerPoolSize);
    }
    this.workerPoolSize = workerPoolSize;
    return this;
  }

  private void validate() {
    setTimeoutMs(timeoutMs);
    setWorkerPoolSize(workerPoolSize);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeOptions && timeoutMs == ((NodeOptions) o).timeoutMs
        && workerPoolSize == ((NodeOptions) o).workerPoolSize && Objects.equals(workerPool, ((NodeOptions) o).workerPool);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeoutMs, workerPool, workerPoolSize);
  }
}
