package io.graphloop.graph;

import io.graphloop.errors.GraphRecursionException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.errors.LimitReachedException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.errors.RemoteCause;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The retry decision: delays (backoff, cap, jitter from an injected random), attempts, what is retryable, rules. */
class RetryPolicyTest {

  private static final DoubleSupplier NO_RANDOM = () -> {
    throw new AssertionError("no jitter configured, so the random source must not be used");
  };
  private static final IOException IO = new IOException("connection reset");

  private static RetryPolicy.Builder noJitter() {
    return RetryPolicy.builder().jitterMs(0);
  }

  private static NodeFailedException nodeFailed(Throwable cause) {
    return new NodeFailedException("g", "run-1", 2, "llm", 1, 3, cause);
  }

  @Test
  void delaysGrowByTheBackoffFactorUpToTheCap() {
    RetryPolicy policy = noJitter().maxAttempts(6).initialIntervalMs(100).backoffFactor(2).maxIntervalMs(500).build();
    List<Long> delays = new ArrayList<>();
    for (int failed = 1; failed <= 5; failed++) {
      delays.add(policy.nextDelayMs(failed, IO, NO_RANDOM));
    }
    assertEquals(List.of(100L, 200L, 400L, 500L, 500L), delays);
    assertEquals(RetryPolicy.NO_RETRY, policy.nextDelayMs(6, IO, NO_RANDOM), "the 6th attempt was the last");
  }

  @Test
  void fractionalBackoffFactorIsApplied() {
    RetryPolicy policy = noJitter().maxAttempts(4).initialIntervalMs(1000).backoffFactor(1.5).maxIntervalMs(10_000)
        .build();
    assertEquals(1000, policy.nextDelayMs(1, IO, NO_RANDOM));
    assertEquals(1500, policy.nextDelayMs(2, IO, NO_RANDOM));
    assertEquals(2250, policy.nextDelayMs(3, IO, NO_RANDOM));
  }

  @Test
  void aFactorOfOneKeepsTheDelayConstant() {
    RetryPolicy policy = noJitter().maxAttempts(10).initialIntervalMs(30).backoffFactor(1.0).maxIntervalMs(30).build();
    for (int failed = 1; failed < 10; failed++) {
      assertEquals(30, policy.nextDelayMs(failed, IO, NO_RANDOM));
    }
  }

  @Test
  void manyFailuresNeverOverflowTheCap() {
    RetryPolicy policy = noJitter().maxAttempts(Integer.MAX_VALUE).initialIntervalMs(500).backoffFactor(10)
        .maxIntervalMs(60_000).build();
    assertEquals(60_000, policy.nextDelayMs(5_000, IO, NO_RANDOM));
  }

  @Test
  void jitterAddsTheInjectedRandomFractionOfJitterMs() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).initialIntervalMs(100).backoffFactor(2)
        .maxIntervalMs(300).jitterMs(50).build();
    assertEquals(100, policy.nextDelayMs(1, IO, () -> 0.0));
    assertEquals(125, policy.nextDelayMs(1, IO, () -> 0.5));
    assertEquals(149, policy.nextDelayMs(1, IO, () -> 0.999));
    assertEquals(210, policy.nextDelayMs(2, IO, () -> 0.2));
    assertEquals(340, policy.nextDelayMs(3, IO, () -> 0.8), "jitter is added after the cap: 300 + 40");
  }

  @Test
  void jitterUsesOneRandomNumberPerDecision() {
    RetryPolicy policy = RetryPolicy.builder().initialIntervalMs(0).maxIntervalMs(0).jitterMs(1000).build();
    double[] sequence = {0.1, 0.7};
    int[] next = {0};
    DoubleSupplier random = () -> sequence[next[0]++];
    assertEquals(100, policy.nextDelayMs(1, IO, random));
    assertEquals(700, policy.nextDelayMs(2, IO, random));
    assertEquals(2, next[0]);
  }

  @Test
  void defaultRandomStaysWithinTheJitter() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(2).initialIntervalMs(10).maxIntervalMs(10).jitterMs(5)
        .build();
    for (int i = 0; i < 200; i++) {
      long delay = policy.nextDelayMs(1, IO);
      assertTrue(delay >= 10 && delay < 15, "delay " + delay);
    }
  }

  @Test
  void maxAttemptsCountsTheFirstAttempt() {
    RetryPolicy policy = noJitter().maxAttempts(3).initialIntervalMs(5).build();
    assertEquals(3, policy.maxAttempts());
    assertEquals(5, policy.nextDelayMs(1, IO, NO_RANDOM));
    assertEquals(10, policy.nextDelayMs(2, IO, NO_RANDOM));
    assertEquals(RetryPolicy.NO_RETRY, policy.nextDelayMs(3, IO, NO_RANDOM));
    assertEquals(RetryPolicy.NO_RETRY, policy.nextDelayMs(4, IO, NO_RANDOM));
  }

  @Test
  void nonRetryableFailuresGetNoDelay() {
    RetryPolicy policy = noJitter().maxAttempts(5).build();
    assertEquals(RetryPolicy.NO_RETRY, policy.nextDelayMs(1, new IllegalArgumentException("bad"), NO_RANDOM));
    assertEquals(RetryPolicy.NO_RETRY, policy.nextDelayMs(1, nodeFailed(new NullPointerException()), NO_RANDOM));
  }

  @Test
  void defaultRetriesIoButNotProgrammingErrors() {
    RetryPolicy policy = RetryPolicy.builder().build();
    assertTrue(policy.isRetryable(IO));
    assertTrue(policy.isRetryable(new IllegalStateException("remote busy")));
    assertTrue(policy.isRetryable(nodeFailed(IO)), "a node's failure is judged by its cause");
    assertFalse(policy.isRetryable(new IllegalArgumentException("bad")));
    assertFalse(policy.isRetryable(new NumberFormatException("x")), "subclasses of programming errors too");
    assertFalse(policy.isRetryable(new NullPointerException()));
    assertFalse(policy.isRetryable(nodeFailed(new IllegalArgumentException("bad"))));
    assertFalse(policy.isRetryable(nodeFailed(new NullPointerException())));
    assertFalse(policy.isRetryable(nodeFailed(new ClassCastException())));
  }

  @Test
  void timeoutsAndFullLimitsAreRetryable() {
    RetryPolicy policy = RetryPolicy.builder().build();
    assertTrue(policy.isRetryable(new NodeTimeoutException("g", "r", 1, "llm", 1, 3, 100)));
    assertTrue(policy.isRetryable(new LimitReachedException("full", "g", "r", 1, "llm", "maxConcurrency", 8)));
    assertEquals(500, policy.nextDelayMs(1, new NodeTimeoutException("g", "r", 1, "llm", 1, 3, 100), () -> 0.0));
  }

  @Test
  void invalidUpdatesAreNeverRetriedWhateverThePredicate() {
    InvalidUpdateException invalid = new InvalidUpdateException("two writes", "g", "r", 1, "x", List.of("a", "b"));
    assertFalse(RetryPolicy.builder().build().isRetryable(invalid));
    assertFalse(RetryPolicy.builder().retryIf(failure -> true).build().isRetryable(invalid));
    assertFalse(RetryPolicy.builder().retryOn(InvalidUpdateException.class).build().isRetryable(invalid));
    assertFalse(RetryPolicy.builder().retryIf(failure -> true).build()
        .isRetryable(new GraphRecursionException("g", "r", 3, 3)));
    assertEquals(RetryPolicy.NO_RETRY, RetryPolicy.builder().retryIf(failure -> true).build()
        .nextDelayMs(1, invalid, () -> 0.0));
  }

  @Test
  void remoteCausesAreJudgedByTheirClassName() {
    RetryPolicy policy = RetryPolicy.builder().build();
    assertTrue(policy.isRetryable(new RemoteCause("java.io.IOException", "reset")));
    assertTrue(policy.isRetryable(nodeFailed(new RemoteCause("java.io.IOException", "reset"))));
    assertTrue(policy.isRetryable(new RemoteCause("com.example.NotOnThisClasspath", "?")));
    assertFalse(policy.isRetryable(new RemoteCause("java.lang.IllegalArgumentException", "bad")));
    assertFalse(policy.isRetryable(nodeFailed(new RemoteCause("java.lang.NullPointerException", null))));

    RetryPolicy ioOnly = RetryPolicy.builder().retryOn(IOException.class).build();
    assertTrue(ioOnly.isRetryable(new RemoteCause("java.io.FileNotFoundException", "gone")), "a subclass, looked up");
    assertFalse(ioOnly.isRetryable(new RemoteCause("java.util.concurrent.TimeoutException", "slow")));

    RetryPolicy byName = RetryPolicy.builder().retryOnClassNames(List.of("com.example.RateLimited")).build();
    assertTrue(byName.isRetryable(nodeFailed(new RemoteCause("com.example.RateLimited", "429"))));
    assertFalse(byName.isRetryable(nodeFailed(new RemoteCause("com.example.Other", "?"))));
    assertFalse(byName.isRetryable(IO));
  }

  @Test
  void retryOnTypesRetriesOnlyThoseAndTheirSubclasses() {
    RetryPolicy policy = RetryPolicy.builder().retryOn(IOException.class, TimeoutException.class).build();
    assertTrue(policy.isRetryable(IO));
    assertTrue(policy.isRetryable(new FileNotFoundException("x")));
    assertTrue(policy.isRetryable(nodeFailed(new TimeoutException("slow"))));
    assertFalse(policy.isRetryable(new IllegalStateException("not listed")));
    assertFalse(policy.isRetryable(nodeFailed(new IllegalStateException("not listed"))));
    assertFalse(policy.isRetryable(new NodeTimeoutException("g", "r", 1, "llm", 1, 3, 100)),
        "retryOn replaces the default; list NodeTimeoutException to retry timeouts as well");
    assertTrue(RetryPolicy.builder().retryOn(IOException.class, NodeTimeoutException.class).build()
        .isRetryable(new NodeTimeoutException("g", "r", 1, "llm", 1, 3, 100)));
  }

  @Test
  void retryIfUsesThePredicateOnTheNodesOwnException() {
    List<Throwable> seen = new ArrayList<>();
    Predicate<Throwable> transientOnly = failure -> {
      seen.add(failure);
      return String.valueOf(failure.getMessage()).contains("transient");
    };
    RetryPolicy policy = RetryPolicy.builder().retryIf(transientOnly).build();
    IllegalStateException transientFailure = new IllegalStateException("transient glitch");
    assertTrue(policy.isRetryable(nodeFailed(transientFailure)));
    assertEquals(List.of(transientFailure), seen, "the predicate sees the cause, not the wrapper");
    assertFalse(policy.isRetryable(nodeFailed(new IllegalStateException("permanent"))));
    assertTrue(RetryPolicy.builder().retryIf(failure -> true).build()
        .isRetryable(new IllegalArgumentException("a predicate may accept anything but invalid updates")));
  }

  @Test
  void builderRejectsNonsenseWithTheRule() {
    assertRule("maxAttempts must be greater than or equal to 1, was 0", () -> RetryPolicy.builder().maxAttempts(0));
    assertRule("maxAttempts must be greater than or equal to 1, was -3", () -> RetryPolicy.builder().maxAttempts(-3));
    assertRule("backoffFactor must be a finite number greater than or equal to 1.0, was 0.5",
        () -> RetryPolicy.builder().backoffFactor(0.5));
    assertRule("backoffFactor must be a finite number greater than or equal to 1.0, was NaN",
        () -> RetryPolicy.builder().backoffFactor(Double.NaN));
    assertRule("backoffFactor must be a finite number greater than or equal to 1.0, was Infinity",
        () -> RetryPolicy.builder().backoffFactor(Double.POSITIVE_INFINITY));
    assertRule("initialIntervalMs must be greater than or equal to 0, was -1",
        () -> RetryPolicy.builder().initialIntervalMs(-1));
    assertRule("maxIntervalMs must be greater than or equal to 0, was -5",
        () -> RetryPolicy.builder().maxIntervalMs(-5));
    assertRule("jitterMs must be greater than or equal to 0, was -2", () -> RetryPolicy.builder().jitterMs(-2));
    assertRule("maxIntervalMs (100) must be greater than or equal to initialIntervalMs (200)",
        () -> RetryPolicy.builder().initialIntervalMs(200).maxIntervalMs(100).build());
    assertRule("retryOn needs at least one exception type", () -> RetryPolicy.builder().retryOn());
    assertRule("retryOn needs at least one exception class name",
        () -> RetryPolicy.builder().retryOnClassNames(List.of()));
    assertThrows(NullPointerException.class, () -> RetryPolicy.builder().retryIf(null));
  }

  @Test
  void fromJsonRejectsNonsenseWithTheRule() {
    assertRule("maxAttempts must be greater than or equal to 1, was 0",
        () -> RetryPolicy.fromJson(new JsonObject().put("maxAttempts", 0)));
    assertRule("backoffFactor must be a finite number greater than or equal to 1.0, was 0.5",
        () -> RetryPolicy.fromJson(new JsonObject().put("backoffFactor", 0.5)));
    assertRule("maxIntervalMs (10) must be greater than or equal to initialIntervalMs (500)",
        () -> RetryPolicy.fromJson(new JsonObject().put("maxIntervalMs", 10)));
    assertRule("retryOn must be a list of exception class names, was custom (a retryIf predicate given in code "
        + "cannot be read from JSON", () -> RetryPolicy.fromJson(new JsonObject().put("retryOn", "custom")));
  }

  @Test
  void jsonRoundTripKeepsEverySetting() {
    RetryPolicy policy = RetryPolicy.builder().maxAttempts(4).initialIntervalMs(20).backoffFactor(1.5)
        .maxIntervalMs(90).jitterMs(7).retryOn(IOException.class, NodeTimeoutException.class).build();
    JsonObject json = policy.toJson();
    assertEquals(new JsonObject().put("maxAttempts", 4).put("initialIntervalMs", 20L).put("backoffFactor", 1.5)
        .put("maxIntervalMs", 90L).put("jitterMs", 7L)
        .put("retryOn", new JsonArray().add("java.io.IOException").add(NodeTimeoutException.class.getName())), json);
    RetryPolicy back = RetryPolicy.fromJson(new JsonObject(json.encode()));
    assertEquals(policy, back);
    assertEquals(policy.hashCode(), back.hashCode());
    assertEquals(json, back.toJson());
    assertTrue(back.isRetryable(new FileNotFoundException("x")));
    assertFalse(back.isRetryable(new IllegalStateException("x")));
    for (int failed = 1; failed <= 4; failed++) {
      assertEquals(policy.nextDelayMs(failed, IO, () -> 0.5), back.nextDelayMs(failed, IO, () -> 0.5));
    }
  }

  @Test
  void jsonWithoutFieldsGivesTheDefaults() {
    RetryPolicy policy = RetryPolicy.fromJson(new JsonObject());
    assertEquals(RetryPolicy.DEFAULT_MAX_ATTEMPTS, policy.maxAttempts());
    assertEquals(RetryPolicy.DEFAULT_INITIAL_INTERVAL_MS, policy.initialIntervalMs());
    assertEquals(RetryPolicy.DEFAULT_BACKOFF_FACTOR, policy.backoffFactor());
    assertEquals(RetryPolicy.DEFAULT_MAX_INTERVAL_MS, policy.maxIntervalMs());
    assertEquals(RetryPolicy.DEFAULT_JITTER_MS, policy.jitterMs());
    assertEquals(RetryPolicy.builder().build(), policy);
  }

  @Test
  void aPredicatePolicyIsWrittenAsCustomAndEqualOnlyToItself() {
    Predicate<Throwable> predicate = failure -> true;
    RetryPolicy policy = RetryPolicy.builder().retryIf(predicate).build();
    assertEquals("custom", policy.toJson().getString("retryOn"));
    assertEquals(policy, RetryPolicy.builder().retryIf(predicate).build());
    assertNotEquals(policy, RetryPolicy.builder().retryIf(failure -> true).build());
    assertNotEquals(policy, RetryPolicy.builder().build());
  }

  @Test
  void noneMeansOneAttempt() {
    RetryPolicy none = RetryPolicy.none();
    assertEquals(1, none.maxAttempts());
    assertEquals(RetryPolicy.NO_RETRY, none.nextDelayMs(1, IO, NO_RANDOM));
    assertEquals(RetryPolicy.NO_RETRY, none.nextDelayMs(1, new NodeTimeoutException("g", "r", 0, "n", 1, 1, 5),
        NO_RANDOM));
    assertEquals(none, new NodeOptions().getRetry(), "nodes do not retry by default");
    assertEquals(none, RetryPolicy.fromJson(none.toJson()));
  }

  private static void assertRule(String expectedStart, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
  }
}
