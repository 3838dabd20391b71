package io.graphloop.server;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A run record's {@code kwargs} given as a maker ({@link RunRecord#kwargs()}, as a stateless run's are) are made at
 * their first read and then kept: a streamed or awaited stateless run, whose record no one reads, never makes them;
 * one read shows what the maker gives, as an eagerly made record does. Plain objects, no Vert.x context.
 */
class RunRecordKwargsTest {

  private static RunRecord record(java.util.function.Supplier<JsonObject> kwargs) {
    return new RunRecord(Ids.uuid7(), null, "a", "g", null, new JsonObject(), kwargs, "reject", 100, 1 << 20);
  }

  @Test
  void kwargsAreMadeAtTheirFirstReadOnly() {
    AtomicInteger made = new AtomicInteger();
    RunRecord run = record(() -> {
      made.incrementAndGet();
      return new JsonObject().put("input", new JsonObject().put("q", 1));
    });
    run.emit("metadata", "{}");
    run.finish(RunRecord.SUCCESS, new JsonObject(), null, null);
    assertEquals(0, made.get(), "a run whose record is never read never makes its kwargs");
    assertEquals(new JsonObject().put("q", 1), run.toJson().getJsonObject("kwargs").getJsonObject("input"));
    assertEquals(run.toJson().getJsonObject("kwargs"), run.kwargs());
    assertEquals(1, made.get(), "made once, then kept");
  }

  @Test
  void givenKwargsAreTheRecordsAsGiven() {
    JsonObject kwargs = new JsonObject().put("stream_mode", new io.vertx.core.json.JsonArray().add("values"));
    RunRecord run = new RunRecord(Ids.uuid7(), "t", "a", "g", null, new JsonObject(), kwargs, "reject", 100, 1 << 20);
    assertEquals(kwargs, run.toJson().getJsonObject("kwargs"));
  }
}
