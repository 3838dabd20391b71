package io.graphloop.examples;

import io.graphloop.client.GraphClient;
import io.graphloop.runtime.GraphRuntime;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The crash graph's gate ({@link CrashDemo#GATE_ENV}): a node waits while the file exists, and fails naming it. */
@ExtendWith(VertxExtension.class)
@Timeout(value = 30, timeUnit = TimeUnit.SECONDS)
class CrashGateTest {

  @TempDir
  Path dir;

  @Test
  void aRunHeldAtItsFirstNodeGoesOnOnceTheGateIsRemoved(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path log = dir.resolve("log");
    Path gate = Files.writeString(dir.resolve("gate"), "held");
    GraphRuntime.deploy(vertx, CrashDemo.graph(log, gate, 20_000)).onComplete(ctx.succeeding(runtime -> {
      GraphClient client = runtime.client();
      client.invoke(Map.of("delayMs", 1)).onComplete(ctx.succeeding(state -> ctx.verify(() -> {
        assertEquals(CrashDemo.NODES, state.asMap().get("trail"));
        ctx.completeNow();
      })));
      // the first node has logged and waits at the gate: 200 ms later it is still alone in the log; then the gate
      // is removed and the run goes on to its end
      java.util.concurrent.atomic.AtomicBoolean seen = new java.util.concurrent.atomic.AtomicBoolean();
      vertx.setPeriodic(20, id -> vertx.fileSystem().exists(log.toString()).onSuccess(exists -> {
        if (exists && seen.compareAndSet(false, true)) {
          vertx.cancelTimer(id);
          vertx.setTimer(200, t -> vertx.fileSystem().readFile(log.toString()).onComplete(ctx.succeeding(lines -> {
            ctx.verify(() -> assertEquals(List.of("s1"),
                lines.toString().lines().map(line -> line.split(" ")[0]).toList(), "still held at s1 200 ms later"));
            vertx.fileSystem().delete(gate.toString()).onComplete(ctx.succeeding(deleted -> { }));
          })));
        }
      }));
    }));
  }

  @Test
  void aGateLeftInPlaceFailsTheNodeNamingTheFile(Vertx vertx, VertxTestContext ctx) throws IOException {
    Path gate = Files.writeString(dir.resolve("stuck-gate"), "held");
    GraphRuntime.deploy(vertx, CrashDemo.graph(null, gate, 100)).onComplete(ctx.succeeding(runtime ->
        runtime.client().invoke(Map.of("delayMs", 1)).onComplete(ctx.failing(failure -> ctx.verify(() -> {
          String message = String.valueOf(failure.getMessage()) + " / " + failure.getCause();
          assertTrue(message.contains(gate.toString()) && message.contains(CrashDemo.GATE_ENV), message);
          ctx.completeNow();
        })))));
  }
}
