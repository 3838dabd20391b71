package io.graphloop.graph;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * How long one attempt of a node may take (LangGraph 1.2.12's {@code TimeoutPolicy}): a run timeout, a hard
 * wall-clock cap on the attempt that nothing refreshes, and an idle timeout, the longest the attempt may go without
 * progress. Progress ({@link RefreshOn#AUTO}, the default) is any of the attempt's custom stream events
 * ({@link NodeContext#emit}), message chunks ({@link NodeContext#emitMessage}, which a chat model sends per token),
 * and {@link NodeContext#heartbeat()}; under {@link RefreshOn#HEARTBEAT} only {@code heartbeat()} counts. An attempt
 * past either limit fails with a {@code NodeTimeoutException} that names which one fired ({@code kind()}) and carries
 * both configured limits; the node's retry policy may retry it, as any failure.
 *
 * <pre>{@code
 * new NodeOptions().setTimeout(TimeoutPolicy.idle(5_000))                       // idle only
 * new NodeOptions().setTimeout(TimeoutPolicy.of(60_000, 5_000, RefreshOn.HEARTBEAT))
 * new Send("worker", arg, TimeoutPolicy.run(500))                               // this push task only
 * }</pre>
 *
 * <p>Limits are in milliseconds; 0 means "not set". A policy sets at least one. Immutable; thread-safe.
 */
public final class TimeoutPolicy {

  /** Which signals refresh the idle timeout (LangGraph's {@code refresh_on}). */
  public enum RefreshOn {
    /** Stream events, message chunks and heartbeats (LangGraph's {@code "auto"}). */
    AUTO,
    /** Only {@link NodeContext#heartbeat()} (LangGraph's {@code "heartbeat"}). */
    HEARTBEAT;

    /** LangGraph's name: {@code "auto"} or {@code "heartbeat"}. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    static RefreshOn of(String name, String where) {
      if ("auto".equals(name)) {
        return AUTO;
      }
      if ("heartbeat".equals(name)) {
        return HEARTBEAT;
      }
      throw new IllegalArgumentException("refreshOn of " + where + " must be \"auto\" or \"heartbeat\", was \""
          + name + "\"");
    }
  }

  private final long runTimeoutMs;
  private final long idleTimeoutMs;
  private final RefreshOn refreshOn;

  private TimeoutPolicy(long runTimeoutMs, long idleTimeoutMs, RefreshOn refreshOn) {
    this.runTimeoutMs = runTimeoutMs;
    this.idleTimeoutMs = idleTimeoutMs;
    this.refreshOn = refreshOn;
  }

  /**
   * A policy of both limits (0 for "not set").
   *
   * @throws IllegalArgumentException when a limit is negative or both are 0
   */
  public static TimeoutPolicy of(long runTimeoutMs, long idleTimeoutMs, RefreshOn refreshOn) {
    if (runTimeoutMs < 0 || idleTimeoutMs < 0) {
      throw new IllegalArgumentException("the timeouts of a TimeoutPolicy must be greater than 0 (or 0 for not set), "
          + "were runTimeoutMs " + runTimeoutMs + " and idleTimeoutMs " + idleTimeoutMs);
    }
    if (runTimeoutMs == 0 && idleTimeoutMs == 0) {
      throw new IllegalArgumentException("a TimeoutPolicy sets runTimeoutMs, idleTimeoutMs or both (greater than 0); "
          + "for no timeout of its own, give none (null)");
    }
    return new TimeoutPolicy(runTimeoutMs, idleTimeoutMs, Objects.requireNonNull(refreshOn, "refreshOn"));
  }

  /** A run timeout only: LangGraph's {@code timeout=seconds}. */
  public static TimeoutPolicy run(long runTimeoutMs) {
    requirePositive(runTimeoutMs, "runTimeoutMs");
    return of(runTimeoutMs, 0, RefreshOn.AUTO);
  }

  /** An idle timeout only, refreshed by any progress: LangGraph's {@code TimeoutPolicy(idle_timeout=...)}. */
  public static TimeoutPolicy idle(long idleTimeoutMs) {
    requirePositive(idleTimeoutMs, "idleTimeoutMs");
    return of(0, idleTimeoutMs, RefreshOn.AUTO);
  }

  private static void requirePositive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " of a TimeoutPolicy must be greater than 0, was " + value);
    }
  }

  /** The hard cap on an attempt in ms; 0 when not set. */
  public long runTimeoutMs() {
    return runTimeoutMs;
  }

  /** The longest an attempt may go without progress in ms; 0 when not set. */
  public long idleTimeoutMs() {
    return idleTimeoutMs;
  }

  /** Which signals refresh the idle timeout. */
  public RefreshOn refreshOn() {
    return refreshOn;
  }

  /** As JSON: {@code {"runTimeoutMs": n, "idleTimeoutMs": n, "refreshOn": "auto"|"heartbeat"}}. */
  public JsonObject toJson() {
    return new JsonObject().put("runTimeoutMs", runTimeoutMs).put("idleTimeoutMs", idleTimeoutMs)
        .put("refreshOn", refreshOn.wireName());
  }

  /**
   * From {@link #toJson()}'s form; missing limits are 0, a missing {@code refreshOn} is {@code "auto"}.
   *
   * @throws IllegalArgumentException naming the field and {@code where} when a field is of the wrong kind or the
   *                                  policy is not valid
   */
  public static TimeoutPolicy fromJson(JsonObject json, String where) {
    String refresh = JsonFields.optionalString(json, "refreshOn", where);
    try {
      return of(JsonFields.optionalLong(json, "runTimeoutMs", 0, where),
          JsonFields.optionalLong(json, "idleTimeoutMs", 0, where),
          refresh == null ? RefreshOn.AUTO : RefreshOn.of(refresh, where));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The timeout policy of " + where + " is not valid: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimeoutPolicy && ((TimeoutPolicy) o).runTimeoutMs == runTimeoutMs
        && ((TimeoutPolicy) o).idleTimeoutMs == idleTimeoutMs && ((TimeoutPolicy) o).refreshOn == refreshOn;
  }

  @Override
  public int hashCode() {
    return Objects.hash(runTimeoutMs, idleTimeoutMs, refreshOn);
  }

  @Override
  public String toString() {
    return "TimeoutPolicy(runTimeoutMs=" + runTimeoutMs + ", idleTimeoutMs=" + idleTimeoutMs + ", refreshOn="
        + refreshOn.wireName() + ")";
  }
}
