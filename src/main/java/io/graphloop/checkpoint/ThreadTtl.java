package io.graphloop.checkpoint;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * A thread's own time-to-live (LangGraph Server's per-thread {@code ttl}): the thread expires once it has been
 * inactive for {@code minutes}, inactive meaning no new checkpoint and no new TTL since; then the
 * {@link Strategy} applies. Stored by {@link CheckpointStore#setThreadTtl} and applied by the runtime's retention
 * sweep ({@code io.graphloop.runtime.ThreadRetention}).
 *
 * <p>Immutable; thread-safe.
 *
 * @param strategy what happens to an expired thread
 * @param minutes  how long the thread may stay inactive, a positive finite number of minutes
 */
public record ThreadTtl(Strategy strategy, double minutes) {

  /** What happens when a thread's TTL expires. */
  public enum Strategy {
    /** The thread goes with everything stored for it (LangGraph's {@code delete}, the default). */
    DELETE("delete"),
    /**
     * The thread's newest checkpoint is kept and every older one pruned (LangGraph's {@code keep_latest}); its TTL
     * then starts again.
     */
    KEEP_LATEST("keep_latest");

    private final String wire;

    Strategy(String wire) {
      this.wire = wire;
    }

    /** The name on the wire: {@code delete} or {@code keep_latest}. */
    public String wireName() {
      return wire;
    }

    /** The strategy of wire name {@code name}; a clear error naming the valid ones otherwise. */
    public static Strategy of(String name) {
      for (Strategy strategy : values()) {
        if (strategy.wire.equals(name)) {
          return strategy;
        }
      }
      throw new IllegalArgumentException("ttl.strategy must be \"delete\" or \"keep_latest\", got "
          + (name == null ? "null" : "\"" + name + "\""));
    }
  }

  /** @throws IllegalArgumentException for no strategy or minutes that are not a positive finite number */
  public ThreadTtl {
    Objects.requireNonNull(strategy, "strategy");
    if (!(minutes > 0) || Double.isInfinite(minutes)) {
      throw new IllegalArgumentException("ttl must be a positive number of minutes, got " + minutes);
    }
  }

  /** A TTL of {@code minutes} with strategy {@link Strategy#DELETE}. */
  public static ThreadTtl delete(double minutes) {
    return new ThreadTtl(Strategy.DELETE, minutes);
  }

  /** The TTL in milliseconds (rounded). */
  public long millis() {
    return Math.round(minutes * 60_000);
  }

  /**
   * A TTL as LangGraph Server's API and Python SDK give it: a number of minutes (strategy {@code delete}), or an
   * object {@code {"ttl": minutes, "strategy": "delete" | "keep_latest"}} (strategy optional, {@code delete} by
   * default).
   *
   * @throws IllegalArgumentException for anything else, saying what is expected
   */
  public static ThreadTtl fromJson(Object value) {
    if (value instanceof Number number) {
      return delete(number.doubleValue());
    }
    if (!(value instanceof JsonObject json)) {
      throw new IllegalArgumentException("ttl must be a number of minutes or an object {\"ttl\": minutes, "
          + "\"strategy\": \"delete\"}, got " + (value == null ? "null" : value.getClass().getSimpleName()));
    }
    for (String field : json.fieldNames()) {
      if (!field.equals("ttl") && !field.equals("strategy")) {
        throw new IllegalArgumentException("ttl has an unknown field '" + field + "'; its fields are 'ttl' (minutes) "
            + "and 'strategy'");
      }
    }
    Object minutes = json.getValue("ttl");
    if (!(minutes instanceof Number)) {
      throw new IllegalArgumentException("ttl.ttl must be a number of minutes, got " + (minutes == null ? "nothing"
          : minutes));
    }
    Object strategy = json.getValue("strategy");
    if (strategy != null && !(strategy instanceof String)) {
      throw new IllegalArgumentException("ttl.strategy must be \"delete\" or \"keep_latest\", got " + strategy);
    }
    return new ThreadTtl(strategy == null ? Strategy.DELETE : Strategy.of((String) strategy),
        ((Number) minutes).doubleValue());
  }

  /** {@code {"strategy": ..., "ttl": minutes}}, as LangGraph Server's API writes it. */
  public JsonObject toJson() {
    return new JsonObject().put("strategy", strategy.wireName()).put("ttl", minutes);
  }

  /**
   * A thread whose TTL has expired, as {@link CheckpointStore#expiredThreads} lists it.
   *
   * @param threadId the thread
   * @param ttl      its TTL
   */
  public record Expired(String threadId, ThreadTtl ttl) {
  }
}
