package io.graphloop.ops;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code ops} configuration section, and readiness's redaction of what a store says of itself. */
class OpsOptionsTest {

  @Test
  void theSectionIsReadWithDefaultsAndBadValuesAreNamed() {
    OpsOptions defaults = new OpsOptions(new JsonObject());
    assertTrue(defaults.isMetrics());
    assertNull(defaults.getPort());
    assertEquals(OpsOptions.DEFAULT_DRAIN_TIMEOUT_MS, defaults.getDrainTimeoutMs());
    OpsOptions set = new OpsOptions(new JsonObject().put("metrics", false).put("port", 9090)
        .put("drainTimeoutMs", 5000).put("readinessTimeoutMs", 100));
    assertEquals(new JsonObject().put("metrics", false).put("drainTimeoutMs", 5000L).put("readinessTimeoutMs", 100L)
        .put("tracing", new TracingOptions().toJson()).put("port", 9090), set.toJson());
    assertFalse(defaults.getTracing().isEnabled(), "tracing is off unless an endpoint is set");
    assertEquals(set.toJson(), new OpsOptions(set.toJson()).toJson());
    String unknown = assertThrows(IllegalArgumentException.class,
        () -> new OpsOptions(new JsonObject().put("drainTimeout", 5))).getMessage();
    assertTrue(unknown.contains("'drainTimeout'") && unknown.contains("drainTimeoutMs"), unknown);
    String port = assertThrows(IllegalArgumentException.class,
        () -> new OpsOptions(new JsonObject().put("port", 70000))).getMessage();
    assertTrue(port.contains("0 to 65535"), port);
    String drain = assertThrows(IllegalArgumentException.class,
        () -> new OpsOptions(new JsonObject().put("drainTimeoutMs", -1))).getMessage();
    assertTrue(drain.contains("drainTimeoutMs is 0 to"), drain);
    String fraction = assertThrows(IllegalArgumentException.class,
        () -> new OpsOptions(new JsonObject().put("drainTimeoutMs", 2.5))).getMessage();
    assertTrue(fraction.contains("whole number"), fraction);
    String metrics = assertThrows(IllegalArgumentException.class,
        () -> new OpsOptions(new JsonObject().put("metrics", "yes"))).getMessage();
    assertTrue(metrics.contains("true or false"), metrics);
  }

  @Test
  void theTracingFieldIsReadAndBadValuesAreNamed() {
    TracingOptions tracing = new OpsOptions(new JsonObject().put("tracing", new JsonObject()
        .put("otlpEndpoint", "http://127.0.0.1:4318/v1/traces").put("serviceName", "api").put("sampleRatio", 0.25)
        .put("maxQueuedSpans", 100).put("exportTimeoutMs", 500))).getTracing();
    assertTrue(tracing.isEnabled());
    assertEquals("http://127.0.0.1:4318/v1/traces", tracing.getOtlpEndpoint());
    assertEquals("api", tracing.getServiceName());
    assertEquals(0.25, tracing.getSampleRatio());
    assertEquals(100, tracing.getMaxQueuedSpans());
    assertEquals(500, tracing.getExportTimeoutMs());
    assertEquals(tracing.toJson(), new TracingOptions(tracing.toJson()).toJson());
    for (Object[] bad : new Object[][] {
        {new JsonObject().put("endpoint", "x"), "Unknown tracing option 'endpoint'"},
        {new JsonObject().put("otlpEndpoint", "127.0.0.1:4318"), "http:// or https:// URL"},
        {new JsonObject().put("sampleRatio", 2), "'sampleRatio' is 0 to 1"},
        {new JsonObject().put("sampleRatio", "all"), "'sampleRatio' is a number"},
        {new JsonObject().put("maxQueuedSpans", 0), "'maxQueuedSpans' is 1 to"},
        {new JsonObject().put("exportTimeoutMs", 1.5), "whole number"},
        {new JsonObject().put("serviceName", " "), "'serviceName' must not be blank"}}) {
      String message = assertThrows(IllegalArgumentException.class,
          () -> new OpsOptions(new JsonObject().put("tracing", bad[0]))).getMessage();
      assertTrue(message.contains((String) bad[1]), message);
    }
    String notAnObject = assertThrows(IllegalArgumentException.class,
        () -> new OpsOptions(new JsonObject().put("tracing", "http://x"))).getMessage();
    assertTrue(notAnObject.contains("'tracing' is an object"), notAnObject);
  }

  @Test
  void readinessRedactsPasswordsAndTokensFromAStoresDescription() {
    for (String leaky : new String[] {"postgres://graphloop:s3cret@db:5432/graphloop",
        "store host=db password=s3cret user=x", "{\"user\":\"x\",\"password\":\"s3cret\"}",
        "jdbc:postgresql://db/g?user=x&password=s3cret&ssl=true", "api token: s3cret"}) {
      String redacted = Readiness.redact(leaky);
      assertFalse(redacted.contains("s3cret"), redacted);
      assertTrue(redacted.contains("***"), redacted);
    }
    assertEquals("PostgreSQL checkpoint store graphloop@db:5432/graphloop",
        Readiness.redact("PostgreSQL checkpoint store graphloop@db:5432/graphloop"), "nothing to hide: unchanged");
    assertEquals("SQLite checkpoint store /data/x.db", Readiness.redact("SQLite checkpoint store /data/x.db"));
  }
}
