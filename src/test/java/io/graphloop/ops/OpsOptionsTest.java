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
        .put("port", 9090), set.toJson());
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
