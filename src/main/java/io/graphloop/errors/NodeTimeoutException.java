package io.graphloop.errors;

/**
 * A node did not answer within its time limit. Its late reply, if any, is ignored.
 *
 * <p>As LangGraph's {@code NodeTimeoutError}: {@link #kind()} says which limit fired (the run timeout, a hard cap on
 * the attempt, or the idle timeout, the longest it may go without progress), {@link #timeoutMs()} is that limit, and
 * {@link #runTimeoutMs()}/{@link #idleTimeoutMs()} are both limits the attempt ran under (0 when not set). A run
 * timeout the node did not set itself is the deployment's default ({@code GraphRuntimeOptions.nodeTimeoutMs}).
 */
public class NodeTimeoutException extends NodeFailedException {

  /** Which limit fired. */
  public enum Kind {
    /** The hard cap on the attempt (LangGraph's {@code "run"}). */
    RUN,
    /** The longest the attempt may go without progress (LangGraph's {@code "idle"}). */
    IDLE;

    /** LangGraph's name: {@code "run"} or {@code "idle"}. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final long timeoutMs;
  private final Kind kind;
  private final long runTimeoutMs;
  private final long idleTimeoutMs;
  private final long elapsedMs;

  /** A run timeout of {@code timeoutMs} fired, under no idle timeout. */
  public NodeTimeoutException(String graph, String runId, int step, String node, int attempt, int maxAttempts,
                              long timeoutMs) {
    this(graph, runId, step, node, attempt, maxAttempts, Kind.RUN, timeoutMs, 0, -1);
  }

  /**
   * Limit {@code kind} fired, of the attempt's run timeout {@code runTimeoutMs} and idle timeout
   * {@code idleTimeoutMs} (0: not set), {@code elapsedMs} after the attempt started (-1: unknown).
   */
  public NodeTimeoutException(String graph, String runId, int step, String node, int attempt, int maxAttempts,
                              Kind kind, long runTimeoutMs, long idleTimeoutMs, long elapsedMs) {
    super(FailureCode.TIMEOUT, message(graph, runId, step, node, attempt, maxAttempts, kind, runTimeoutMs,
        idleTimeoutMs, elapsedMs), graph, runId, step, node, attempt, maxAttempts, null);
    this.kind = java.util.Objects.requireNonNull(kind, "kind");
    this.timeoutMs = kind == Kind.RUN ? runTimeoutMs : idleTimeoutMs;
    this.runTimeoutMs = runTimeoutMs;
    this.idleTimeoutMs = idleTimeoutMs;
    this.elapsedMs = elapsedMs;
  }

  private static String message(String graph, String runId, int step, String node, int attempt, int maxAttempts,
                                Kind kind, long runTimeoutMs, long idleTimeoutMs, long elapsedMs) {
    String where = " at step " + step + " (attempt " + attempt + "/" + maxAttempts + ") in run " + runId;
    String elapsed = elapsedMs < 0 ? "" : " (elapsed: " + elapsedMs + " ms)";
    if (kind == Kind.IDLE) {
      return "Node '" + node + "' of graph '" + graph + "' exceeded its idle timeout of " + idleTimeoutMs
          + " ms without making progress" + elapsed + where + ". Emit events or call NodeContext.heartbeat() while "
          + "working, or raise the node's idleTimeoutMs.";
    }
    return "Node '" + node + "' of graph '" + graph + "' timed out after " + runTimeoutMs + " ms" + elapsed + where
        + ". Raise the node's timeout if the work is expected to take longer.";
  }

  /** The limit that was exceeded, in milliseconds. */
  public long timeoutMs() {
    return timeoutMs;
  }

  /** Which limit fired. */
  public Kind kind() {
    return kind;
  }

  /** The attempt's run timeout in ms (0: none). */
  public long runTimeoutMs() {
    return runTimeoutMs;
  }

  /** The attempt's idle timeout in ms (0: none). */
  public long idleTimeoutMs() {
    return idleTimeoutMs;
  }

  /** How long the attempt had run when the limit fired, in ms; -1 when unknown. */
  public long elapsedMs() {
    return elapsedMs;
  }
}
