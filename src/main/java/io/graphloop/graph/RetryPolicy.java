package io.graphloop.graph;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.NodeTimeoutException;
import io.vertx.core.json.JsonArray;
import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

/**
 * When and how often a failed node is tried again (LangGraph's {@code RetryPolicy}). The policy only
 * decides: {@link #nextDelayMs} returns the delay before the next attempt, or {@link #NO_RETRY}; the
 * runtime schedules it with a Vert.x timer, never a sleep.
 *
 * <p>Delay before attempt {@code n + 1} after attempt {@code n} failed:
 * {@code min(maxIntervalMs, initialIntervalMs * backoffFactor^(n-1)) + random(0, jitterMs)}.
 *
 * <p>What is retried: timeouts, full limits and lost members always are, if {@code retryOn} accepts them
 * (it does by default); a node's own exception is retried when {@code retryOn} accepts it (by default
 * everything but programming errors such as {@code IllegalArgumentException} or {@code NullPointerException});
 * an invalid update or a bad request never is.
 *
 * <p>Several policies, as LangGraph's {@code retry_policy=[...]}: {@link #firstOf} makes one policy of them; a
 * failure is retried by the first of them that accepts it ({@code retryOn}), with that policy's attempts and delays
 * (the attempt count is the task's, shared by all of them); a failure none of them accepts is not retried.
 *
 * <p>Immutable and thread-safe (if the {@code retryOn} predicate is).
 */
public final class RetryPolicy {

  /** Returned by {@link #nextDelayMs} when the node must not be tried again. */
  public static final long NO_RETRY = -1;

  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final long DEFAULT_INITIAL_INTERVAL_MS = 500;
  public static final double DEFAULT_BACKOFF_FACTOR = 2.0;
  public static final long DEFAULT_MAX_INTERVAL_MS = 128_000;
  public static final long DEFAULT_JITTER_MS = 1_000;

  /** Exceptions that are programming errors: retrying them cannot help (LangGraph's {@code default_retry_on}). */
  public static final List<Class<? extends Throwable>> PROGRAMMING_ERRORS = List.of(IllegalArgumentException.class,
      NullPointerException.class, ClassCastException.class, ArithmeticException.class, IndexOutOfBoundsException.class,
      UnsupportedOperationException.class, ArrayStoreException.class, NegativeArraySizeException.class);

  private static final Set<FailureCode> NEVER_RETRIED = Set.of(FailureCode.INVALID_UPDATE, FailureCode.BAD_REQUEST,
      FailureCode.INVALID_GRAPH, FailureCode.RECURSION_LIMIT, FailureCode.CANCELLED, FailureCode.INTERRUPTED,
      FailureCode.PARENT_COMMAND);

  private static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final long initialIntervalMs;
  private final double backoffFactor;
  private final long maxIntervalMs;
  private final long jitterMs;
  private final Predicate<Throwable> retryOn;
  private final List<String> retryOnNames;
  /** The policies of a {@link #firstOf} policy, in order; null for a single policy. */
  private final List<RetryPolicy> members;

  private RetryPolicy(List<RetryPolicy> members) {
    RetryPolicy first = members.get(0);
    int most = 0;
    for (RetryPolicy member : members) {
      most = Math.max(most, member.maxAttempts);
    }
    this.maxAttempts = most;
    this.initialIntervalMs = first.initialIntervalMs;
    this.backoffFactor = first.backoffFactor;
    this.maxIntervalMs = first.maxIntervalMs;
    this.jitterMs = first.jitterMs;
    this.retryOn = null;
    this.retryOnNames = null;
    this.members = List.copyOf(members);
  }

  private RetryPolicy(Builder b) {
    this.members = null;
    this.maxAttempts = b.maxAttempts;
    this.initialIntervalMs = b.initialIntervalMs;
    this.backoffFactor = b.backoffFactor;
    this.maxIntervalMs = b.maxIntervalMs;
    this.jitterMs = b.jitterMs;
    this.retryOn = b.retryOn;
    this.retryOnNames = b.retryOnNames == null ? null : List.copyOf(b.retryOnNames);
  }

  /** The policy of a node that declares none: one attempt, no retry. */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * One policy made of several, as LangGraph's list of {@code RetryPolicy}: a failure is retried by the first policy
   * whose {@code retryOn} accepts it, as that policy says (its {@code maxAttempts} counts the task's attempts so far,
   * whichever policies retried them; its delays); a failure none accepts is not retried. {@link #maxAttempts()} is
   * the largest of theirs, the other getters are the first policy's.
   *
   * @throws IllegalArgumentException when no policy is given or one is null (or itself made of several)
   */
  public static RetryPolicy firstOf(List<RetryPolicy> policies) {
    if (policies == null || policies.isEmpty()) {
      throw new IllegalArgumentException("RetryPolicy.firstOf needs at least one policy");
    }
    for (RetryPolicy policy : policies) {
      if (policy == null || policy.members != null) {
        throw new IllegalArgumentException("RetryPolicy.firstOf takes single policies, not null or another firstOf; "
            + "got " + policies);
      }
    }
    return policies.size() == 1 ? policies.get(0) : new RetryPolicy(policies);
  }

  /** {@link #firstOf(List)} of {@code first} and {@code more}, in this order. */
  public static RetryPolicy firstOf(RetryPolicy first, RetryPolicy... more) {
    List<RetryPolicy> all = new ArrayList<>();
    all.add(first);
    all.addAll(java.util.Arrays.asList(more));
    return firstOf(all);
  }

  /** The policies of a {@link #firstOf} policy, in order; this policy alone otherwise. */
  public List<RetryPolicy> policies() {
    return members == null ? List.of(this) : members;
  }

  /** A builder starting from LangGraph's defaults (3 attempts, 0.5 s doubling up to 128 s, up to 1 s jitter). */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a policy from JSON: {@code maxAttempts, initialIntervalMs, backoffFactor, maxIntervalMs, jitterMs} and
   * optionally {@code retryOn}, a list of exception class names; or {@code {"policies": [...]}}, a list of such
   * objects ({@link #firstOf}).
   *
   * @throws IllegalArgumentException naming the rule a value breaks
   */
  public static RetryPolicy fromJson(JsonObject json) {
    if (json.containsKey("policies")) {
      Object listed = json.getValue("policies");
      if (!(listed instanceof JsonArray) || ((JsonArray) listed).isEmpty() || json.size() != 1) {
        throw new IllegalArgumentException("policies of a retry policy must be a non-empty list of retry policies "
            + "(objects) and the only field beside them, was " + json.encode());
      }
      List<RetryPolicy> policies = new ArrayList<>();
      for (Object item : (JsonArray) listed) {
        if (!(item instanceof JsonObject) || ((JsonObject) item).containsKey("policies")) {
          throw new IllegalArgumentException("policies of a retry policy must hold single retry policies (objects), "
              + "but holds " + item);
        }
        policies.add(fromJson((JsonObject) item));
      }
      return firstOf(policies);
    }
    Builder b = builder()
        .maxAttempts(JsonFields.optionalInt(json, "maxAttempts", DEFAULT_MAX_ATTEMPTS, "the retry policy"))
        .initialIntervalMs(JsonFields.optionalLong(json, "initialIntervalMs", DEFAULT_INITIAL_INTERVAL_MS, "the retry policy"))
        .backoffFactor(JsonFields.optionalDouble(json, "backoffFactor", DEFAULT_BACKOFF_FACTOR, "the retry policy"))
        .maxIntervalMs(JsonFields.optionalLong(json, "maxIntervalMs", DEFAULT_MAX_INTERVAL_MS, "the retry policy"))
        .jitterMs(JsonFields.optionalLong(json, "jitterMs", DEFAULT_JITTER_MS, "the retry policy"));
    Object retryOn = json.getValue("retryOn");
    if (retryOn != null && !(retryOn instanceof JsonArray)) {
      throw new IllegalArgumentException("retryOn must be a list of exception class names, was " + retryOn
          + ("custom".equals(retryOn) ? " (a retryIf predicate given in code cannot be read from JSON; list the"
          + " exception class names to retry instead)" : ""));
    }
    JsonArray names = (JsonArray) retryOn;
    if (names != null) {
      List<String> list = new ArrayList<>();
      names.forEach(n -> list.add(String.valueOf(n)));
      b.retryOnClassNames(list);
    }
    return b.build();
  }

  /** The JSON form; a {@code retryOn} predicate given as code (not as classes) is written as {@code "custom"}. */
  public JsonObject toJson() {
    if (members != null) {
      JsonArray policies = new JsonArray();
      members.forEach(member -> policies.add(member.toJson()));
      return new JsonObject().put("policies", policies);
    }
    JsonObject json = new JsonObject().put("maxAttempts", maxAttempts).put("initialIntervalMs", initialIntervalMs)
        .put("backoffFactor", backoffFactor).put("maxIntervalMs", maxIntervalMs).put("jitterMs", jitterMs);
    if (retryOnNames != null) {
      json.put("retryOn", new JsonArray(new ArrayList<>(retryOnNames)));
    } else if (retryOn != null) {
      json.put("retryOn", "custom");
    }
    return json;
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  public long initialIntervalMs() {
    return initialIntervalMs;
  }

  public double backoffFactor() {
    return backoffFactor;
  }

  public long maxIntervalMs() {
    return maxIntervalMs;
  }

  public long jitterMs() {
    return jitterMs;
  }

  /**
   * The delay before the next attempt after attempt {@code failedAttempt} (from 1) failed with {@code failure},
   * or {@link #NO_RETRY}.
   *
   * @param random a source of uniform numbers in [0, 1), for the jitter (injected so tests are exact)
   */
  public long nextDelayMs(int failedAttempt, Throwable failure, DoubleSupplier random) {
    if (members != null) { // LangGraph's run_with_retry: the first policy that matches the failure decides
      for (RetryPolicy member : members) {
        if (member.isRetryable(failure)) {
          return member.nextDelayMs(failedAttempt, failure, random);
        }
      }
      return NO_RETRY;
    }
    if (failedAttempt >= maxAttempts || !isRetryable(failure)) {
      return NO_RETRY;
    }
    double backoff = initialIntervalMs * Math.pow(backoffFactor, failedAttempt - 1);
    long delay = (long) Math.min(maxIntervalMs, backoff);
    return jitterMs == 0 ? delay : delay + (long) (random.getAsDouble() * jitterMs);
  }

  /** Like {@link #nextDelayMs(int, Throwable, DoubleSupplier)} with a thread-local random source. */
  public long nextDelayMs(int failedAttempt, Throwable failure) {
    return nextDelayMs(failedAttempt, failure, () -> ThreadLocalRandom.current().nextDouble());
  }

  /** Whether {@code failure} may be retried at all (attempts aside). */
  public boolean isRetryable(Throwable failure) {
    if (members != null) {
      return members.stream().anyMatch(member -> member.isRetryable(failure));
    }
    if (failure instanceof GraphloopException && NEVER_RETRIED.contains(((GraphloopException) failure).code())) {
      return false;
    }
    Throwable subject = failure;
    if (failure instanceof NodeFailedException && !(failure instanceof NodeTimeoutException)
        && failure.getCause() != null) {
      subject = failure.getCause();
      if (subject instanceof GraphloopException && NEVER_RETRIED.contains(((GraphloopException) subject).code())) {
        return false; // e.g. a subgraph's invalid update: retrying the node cannot help
      }
    }
    if (retryOn != null) {
      return retryOn.test(subject);
    }
    for (Class<? extends Throwable> type : PROGRAMMING_ERRORS) {
      if (ExceptionTypes.isA(subject, type)) {
        return false;
      }
    }
    return true;
  }

  /** Equal when every setting is: the same {@code retryOn} class names, or the same {@code retryIf} predicate. */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RetryPolicy)) {
      return false;
    }
    RetryPolicy other = (RetryPolicy) o;
    if (members != null || other.members != null) {
      return java.util.Objects.equals(members, other.members);
    }
    return maxAttempts == other.maxAttempts && initialIntervalMs == other.initialIntervalMs
        && Double.compare(backoffFactor, other.backoffFactor) == 0 && maxIntervalMs == other.maxIntervalMs
        && jitterMs == other.jitterMs && java.util.Objects.equals(retryOnNames, other.retryOnNames)
        && (retryOnNames != null || retryOn == other.retryOn);
  }

  @Override
  public int hashCode() {
    return members != null ? members.hashCode() : java.util.Objects.hash(maxAttempts, initialIntervalMs,
        backoffFactor, maxIntervalMs, jitterMs, retryOnNames);
  }

  @Override
  public String toString() {
    return "RetryPolicy" + toJson().encode();
  }

  /** Builds a {@link RetryPolicy}; every setter rejects a value that breaks its rule, saying the rule. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private long initialIntervalMs = DEFAULT_INITIAL_INTERVAL_MS;
    private double backoffFactor = DEFAULT_BACKOFF_FACTOR;
    private long maxIntervalMs = DEFAULT_MAX_INTERVAL_MS;
    private long jitterMs = DEFAULT_JITTER_MS;
    private Predicate<Throwable> retryOn;
    private List<String> retryOnNames;

    private Builder() {
    }

    /** Attempts in all, the first included; at least 1 (1 = no retry). */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be greater than or equal to 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Delay before the second attempt, in ms; at least 0. */
    public Builder initialIntervalMs(long initialIntervalMs) {
      if (initialIntervalMs < 0) {
        throw new IllegalArgumentException("initialIntervalMs must be greater than or equal to 0, was "
            + initialIntervalMs);
      }
      this.initialIntervalMs = initialIntervalMs;
      return this;
    }

    /** Multiplier of the delay after each further failure; at least 1.0. */
    public Builder backoffFactor(double backoffFactor) {
      if (!(backoffFactor >= 1.0) || Double.isInfinite(backoffFactor)) {
        throw new IllegalArgumentException("backoffFactor must be a finite number greater than or equal to 1.0, was "
            + backoffFactor);
      }
      this.backoffFactor = backoffFactor;
      return this;
    }

    /** Cap of the delay (before jitter), in ms; at least the initial interval. */
    public Builder maxIntervalMs(long maxIntervalMs) {
      if (maxIntervalMs < 0) {
        throw new IllegalArgumentException("maxIntervalMs must be greater than or equal to 0, was " + maxIntervalMs);
      }
      this.maxIntervalMs = maxIntervalMs;
      return this;
    }

    /** Largest random extra delay, in ms; 0 for none; at least 0. */
    public Builder jitterMs(long jitterMs) {
      if (jitterMs < 0) {
        throw new IllegalArgumentException("jitterMs must be greater than or equal to 0, was " + jitterMs);
      }
      this.jitterMs = jitterMs;
      return this;
    }

    /** Retry only failures of these types (a node's exception, or Graphloop's timeout/limit exceptions). */
    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      if (types.length == 0) {
        throw new IllegalArgumentException("retryOn needs at least one exception type");
      }
      List<String> names = new ArrayList<>();
      for (Class<? extends Throwable> type : types) {
        names.add(type.getName());
      }
      List<Class<? extends Throwable>> list = List.of(types);
      this.retryOn = failure -> list.stream().anyMatch(type -> ExceptionTypes.isA(failure, type));
      this.retryOnNames = names;
      return this;
    }

    /** Retry only failures of the named exception types (class names, for JSON configuration). */
    public Builder retryOnClassNames(List<String> classNames) {
      if (classNames.isEmpty()) {
        throw new IllegalArgumentException("retryOn needs at least one exception class name");
      }
      List<String> names = List.copyOf(classNames);
      this.retryOn = failure -> names.stream().anyMatch(name -> ExceptionTypes.isA(failure, name));
      this.retryOnNames = names;
      return this;
    }

    /** Retry only failures {@code predicate} accepts. */
    public Builder retryIf(Predicate<Throwable> predicate) {
      this.retryOn = java.util.Objects.requireNonNull(predicate, "predicate");
      this.retryOnNames = null;
      return this;
    }

    /**
     * @throws IllegalArgumentException when maxIntervalMs is below initialIntervalMs
     */
    public RetryPolicy build() {
      if (maxIntervalMs < initialIntervalMs) {
        throw new IllegalArgumentException("maxIntervalMs (" + maxIntervalMs
            + ") must be greater than or equal to initialIntervalMs (" + initialIntervalMs + ")");
      }
      return new RetryPolicy(this);
    }
  }
}
