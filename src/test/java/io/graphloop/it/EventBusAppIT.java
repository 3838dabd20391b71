package io.graphloop.it;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.RunCancelledException;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.StateGraph;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.runtime.GraphRuntime;
import io.graphloop.state.Channels;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.graphloop.graph.StateGraph.END;
import static io.graphloop.graph.StateGraph.START;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An ordinary Vert.x application verticle that runs a graph only through the event bus. The test deploys the graph
 * ({@link GraphRuntime#deploy}) and, separately, the {@link App} verticle, which knows nothing but the graph's name:
 * it uses {@link GraphClient#create(Vertx, String)} (invoke, stream with values and updates, batch, cancel) and raw
 * JSON messages on {@code graphloop.<graph>.run}, {@code .control.<id>} and {@code .cancel} (a run, a bad request,
 * a streamed run with a small credit window, a cancellation), then sends what it saw to the test as one JSON report.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class EventBusAppIT {

  private static final String GRAPH = "eventbus-app";
  private static final String REPORT = "it.eventbus-app.report";
  private static final DeliveryOptions WAIT = new DeliveryOptions().setSendTimeout(5_000);

  /** START -> plan -> work -> END; work waits {@code delayMs} (default 1 ms) on a timer, never blocking. */
  private static CompiledGraph graph() {
    return new StateGraph(GRAPH)
        .channel("steps", Channels.append())
        .addNode("plan", state -> Future.succeededFuture(Map.of("steps", List.of("plan:" + state.getString("topic")))))
        .addNode("work", (state, ctx) -> {
          Integer delay = state.getInteger("delayMs");
          return ctx.vertx().timer(delay == null ? 1 : delay).map(t -> Map.of("steps", List.of("work"),
              "result", state.getString("topic").toUpperCase()));
        })
        .addEdge(START, "plan").addEdge("plan", "work").addEdge("work", END)
        .compile();
  }

  @Test
  void anAppVerticleRunsTheGraphThroughTheEventBusOnly(Vertx vertx, VertxTestContext ctx) {
    Promise<JsonObject> report = Promise.promise();
    MessageConsumer<JsonObject> reports = vertx.eventBus().consumer(REPORT, message -> report.tryComplete(message.body()));
    reports.completion()
        .compose(ready -> GraphRuntime.deploy(vertx, graph()))
        .compose(runtime -> vertx.deployVerticle(new App(GRAPH, REPORT)))
        .compose(appId -> report.future())
        .onComplete(ctx.succeeding(seen -> ctx.verify(() -> {
          assertNull(seen.getString("error"), "the app hit an unexpected failure: " + seen.encodePrettily());
          JsonObject expected = state("vert.x");

          assertEquals(expected, seen.getJsonObject("invoke"), "invoke: the final state");

          JsonObject stream = seen.getJsonObject("stream");
          assertEquals(new JsonArray().add("values@0").add("updates@1:plan").add("values@1").add("updates@2:work")
              .add("values@2").add("end@-1"), stream.getJsonArray("events"), "values and updates, in order, then end");
          assertEquals(new JsonArray().add(1).add(2).add(3).add(4).add(5).add(6), stream.getJsonArray("seq"));
          assertEquals(state("streams"), stream.getJsonObject("final"));
          assertEquals(new JsonObject().put("steps", new JsonArray().add("plan:streams")),
              stream.getJsonObject("firstUpdate"), "an update event holds the node's own writes, keyed by node");
          assertEquals(stream.getString("runId"), stream.getString("eventsRunId"));

          assertEquals(new JsonArray().add(state("a")).add(state("b")).add(state("c")), seen.getJsonArray("batch"),
              "batch: one result per input, in input order");

          JsonObject cancel = seen.getJsonObject("cancel");
          assertEquals(true, cancel.getBoolean("confirmed"), "the owning coordinator confirmed the cancellation");
          assertEquals(409, cancel.getInteger("code"));
          assertEquals("RunCancelledException", cancel.getString("type"));
          assertEquals(cancel.getString("runId"), cancel.getString("failedRunId"));
          assertEquals(new JsonObject().put("topic", "slow").put("delayMs", 10_000)
              .put("steps", new JsonArray().add("plan:slow")), cancel.getJsonObject("lastState"),
              "the state of the last completed step travels with the stream's error event");

          JsonObject raw = seen.getJsonObject("raw");
          assertEquals("raw-1", raw.getString("runId"));
          assertEquals("success", raw.getString("status"));
          assertEquals(state("raw"), raw.getJsonObject("values"));

          JsonObject bad = seen.getJsonObject("rawBad");
          assertEquals(400, bad.getInteger("code"));
          assertTrue(bad.getString("message").contains("'input'"), bad.getString("message"));
          assertTrue(bad.getString("message").contains("'" + GRAPH + "'"), bad.getString("message"));

          JsonObject rawStream = seen.getJsonObject("rawStream");
          assertEquals("streaming", rawStream.getJsonObject("ack").getString("status"));
          assertEquals("raw-stream-1", rawStream.getJsonObject("ack").getString("runId"));
          assertTrue(rawStream.getJsonObject("ack").getString("control").startsWith("graphloop." + GRAPH + ".control."),
              rawStream.encode());
          assertTrue(rawStream.getJsonObject("ack").getString("token").matches("[0-9a-f]{32}"),
              "the acknowledgement hands the submitter the run's capability token: " + rawStream.encode());
          JsonArray events = rawStream.getJsonArray("events");
          assertEquals(6, events.size(), "more events than the window of 2: credits were granted on the way");
          for (int i = 0; i < events.size(); i++) {
            JsonObject event = events.getJsonObject(i);
            assertEquals(i + 1L, event.getLong("seq"));
            assertEquals("raw-stream-1", event.getString("runId"));
            assertEquals("", event.getString("ns"));
          }
          assertEquals("values", events.getJsonObject(0).getString("event"));
          assertEquals(0, events.getJsonObject(0).getInteger("step")); // the loop checkpoint's values (LangGraph's step 0)
          // LangGraph initialises a reducer channel (operator.add over a list) to its empty value, so it is in the
          // first values event already: {'topic': 'raw stream', 'steps': []}
          assertEquals(new JsonObject().put("topic", "raw stream").put("steps", new JsonArray()),
              events.getJsonObject(0).getJsonObject("data"));
          assertEquals("plan", events.getJsonObject(1).getString("node"));
          JsonObject end = events.getJsonObject(5);
          assertEquals("end", end.getString("event"));
          assertEquals(new JsonObject().put("values", state("raw stream")).put("status", "success"),
              end.getJsonObject("data"));

          JsonObject rawCancel = seen.getJsonObject("rawCancel");
          assertEquals(new JsonObject().put("runId", "raw-cancel-1").put("cancelled", true), rawCancel.getJsonObject("ack"));
          JsonObject last = rawCancel.getJsonObject("terminal");
          assertEquals("error", last.getString("event"));
          assertEquals(409, last.getJsonObject("data").getInteger("code"));
          assertEquals("RunCancelledException", last.getJsonObject("data").getString("type"));
          assertEquals("raw-cancel-1", last.getJsonObject("data").getString("runId"));

          assertEquals(404, seen.getJsonObject("unknownGraph").getInteger("code"));
          ctx.completeNow();
        })));
  }

  /** The final state of a quick run on {@code topic}. */
  private static JsonObject state(String topic) {
    return new JsonObject().put("topic", topic).put("steps", new JsonArray().add("plan:" + topic).add("work"))
        .put("result", topic.toUpperCase());
  }

  /**
   * The application: knows the graph's name and where to report, nothing else. Runs its scenarios one after the
   * other on its own event loop and sends the report (or the first unexpected failure) to {@code reportTo}.
   */
  static final class App extends VerticleBase {

    private final String graph;
    private final String reportTo;
    private final JsonObject report = new JsonObject();
    private GraphClient client;
    private EventBus bus;

    App(String graph, String reportTo) {
      this.graph = graph;
      this.reportTo = reportTo;
    }

    @Override
    public Future<?> start() {
      client = GraphClient.create(vertx, graph, 10_000);
      bus = vertx.eventBus();
      invoke()
          .compose(v -> stream())
          .compose(v -> batch())
          .compose(v -> cancel())
          .compose(v -> raw())
          .compose(v -> rawBad())
          .compose(v -> rawStream())
          .compose(v -> rawCancel())
          .compose(v -> unknownGraph())
          .onComplete(done -> bus.send(reportTo, done.succeeded() ? report
              : report.put("error", String.valueOf(done.cause()))));
      return Future.succeededFuture();
    }

    private Future<Void> invoke() {
      return client.invoke(Map.of("topic", "vert.x")).map(state -> {
        report.put("invoke", state.toJson());
        return null;
      });
    }

    private Future<Void> stream() {
      Promise<Void> done = Promise.promise();
      JsonArray events = new JsonArray();
      JsonArray seq = new JsonArray();
      JsonObject seen = new JsonObject().put("events", events).put("seq", seq);
      RunEventStream stream = client.stream(Map.of("topic", "streams"), new RunOptions(), StreamMode.VALUES,
          StreamMode.UPDATES);
      stream.handler(event -> {
        events.add(event.event().wireName() + "@" + event.step() + (event.node() == null ? "" : ":" + event.node()));
        seq.add(event.seq());
        seen.put("eventsRunId", event.runId());
        if (event.event().wireName().equals("updates") && !seen.containsKey("firstUpdate")) {
          seen.put("firstUpdate", new JsonObject(event.data()).getJsonObject(event.node()));
        }
        if (event.event().equals(StreamEvent.END)) {
          seen.put("final", new JsonObject(event.data()).getJsonObject("values"));
        }
      });
      stream.exceptionHandler(done::tryFail);
      stream.endHandler(end -> {
        seen.put("runId", stream.runId().result());
        report.put("stream", seen);
        done.tryComplete();
      });
      return done.future();
    }

    private Future<Void> batch() {
      return client.batch(List.of(Map.of("topic", "a"), Map.of("topic", "b"), Map.of("topic", "c")), new RunOptions(), 2)
          .map(states -> {
            JsonArray all = new JsonArray();
            states.forEach(state -> all.add(state.toJson()));
            report.put("batch", all);
            return null;
          });
    }

    /** Streams a slow run (work waits 10 s) for its updates, and cancels it once plan's update shows it in step 1. */
    private Future<Void> cancel() {
      Promise<Boolean> confirmed = Promise.promise();
      Promise<JsonObject> failed = Promise.promise();
      JsonObject seen = new JsonObject();
      RunEventStream stream = client.stream(Map.of("topic", "slow", "delayMs", 10_000), new RunOptions(),
          StreamMode.UPDATES);
      stream.handler(event -> {
        if ("plan".equals(event.node())) {
          seen.put("runId", stream.runId().result());
          client.cancel(stream.runId().result()).onComplete(confirmed);
        }
      });
      stream.exceptionHandler(failure -> {
        JsonObject what = new JsonObject().put("type", failure.getClass().getSimpleName());
        if (failure instanceof GraphloopException) {
          what.put("code", ((GraphloopException) failure).code().code())
              .put("failedRunId", ((GraphloopException) failure).runId());
        }
        if (failure instanceof RunCancelledException) {
          what.put("lastState", new JsonObject(((RunCancelledException) failure).lastState()));
        }
        failed.tryComplete(what);
      });
      stream.endHandler(end -> failed.tryComplete(new JsonObject().put("type", "none: the stream ended normally")));
      return Future.all(confirmed.future(), failed.future()).map(both -> {
        report.put("cancel", seen.put("confirmed", confirmed.future().result()).mergeIn(failed.future().result()));
        return null;
      });
    }

    private Future<Void> raw() {
      JsonObject request = new JsonObject().put("input", new JsonObject().put("topic", "raw"))
          .put("options", new JsonObject().put("runId", "raw-1").put("timeoutMs", 5_000));
      return bus.<JsonObject>request(Addresses.RUN.of(graph), request, WAIT).map(reply -> {
        report.put("raw", reply.body());
        return null;
      });
    }

    private Future<Void> rawBad() {
      return bus.request(Addresses.RUN.of(graph), new JsonObject().put("input", "not an object").encode(), WAIT)
          .transform(reply -> {
            if (reply.succeeded() || !(reply.cause() instanceof ReplyException)) {
              return Future.failedFuture("a bad raw request was not refused: " + reply);
            }
            ReplyException e = (ReplyException) reply.cause();
            report.put("rawBad", new JsonObject().put("code", e.failureCode()).put("message", e.getMessage()));
            return Future.succeededFuture();
          });
    }

    /** A streamed run by raw JSON with a window of 2: grants one credit per event it consumes. */
    private Future<Void> rawStream() {
      JsonObject seen = new JsonObject().put("events", new JsonArray());
      return rawStreamedRun("raw-stream-1", new JsonObject().put("topic", "raw stream"), 2, seen, (ack, event) -> {
      }).map(terminal -> {
        report.put("rawStream", seen);
        return null;
      });
    }

    /**
     * A slow streamed run by raw JSON, cancelled by publishing {@code {runId, replyTo}} on {@code .cancel} once the
     * run is in step 1; the coordinator acknowledges on {@code replyTo} and the stream ends with an error event.
     */
    private Future<Void> rawCancel() {
      JsonObject seen = new JsonObject().put("events", new JsonArray());
      Promise<JsonObject> ack = Promise.promise();
      String replyTo = "it.app.cancel-ack." + UUID.randomUUID();
      MessageConsumer<JsonObject> acks = bus.consumer(replyTo, message -> ack.tryComplete(message.body()));
      return acks.completion()
          .compose(ready -> rawStreamedRun("raw-cancel-1", new JsonObject().put("topic", "slow").put("delayMs", 10_000),
              16, seen, (accepted, event) -> {
                if ("plan".equals(event.getString("node"))) {
                  bus.publish(Addresses.CANCEL.of(graph), new JsonObject().put("runId", "raw-cancel-1")
                      .put("replyTo", replyTo).put("token", accepted.getString("token")));
                }
              }))
          .compose(terminal -> ack.future().map(confirmation -> {
            report.put("rawCancel", new JsonObject().put("ack", confirmation).put("terminal", terminal));
            return (Void) null;
          }))
          .eventually(acks::unregister);
    }

    /**
     * Sends {@code {"input", "options": {"runId"}, "stream": {"to", "modes": ["values", "updates"], "window"}}},
     * reads the acknowledgement {@code {runId, status, control}}, consumes the events (as JSON), grants a credit
     * per event on the control address, and completes with the terminal event.
     */
    private Future<JsonObject> rawStreamedRun(String runId, JsonObject input, int window, JsonObject seen,
                                              java.util.function.BiConsumer<JsonObject, JsonObject> onEvent) {
      String to = "it.app.events." + UUID.randomUUID();
      Promise<JsonObject> terminal = Promise.promise();
      Promise<JsonObject> ack = Promise.promise();
      List<JsonObject> early = new ArrayList<>();
      MessageConsumer<Object> events = bus.localConsumer(to);
      events.handler(message -> {
        Object body = message.body();
        JsonObject event = body instanceof StreamEvent ? ((StreamEvent) body).toJson() : (JsonObject) body;
        seen.getJsonArray("events").add(event);
        if (ack.future().isComplete()) {
          consumed(ack.future().result(), event, onEvent, terminal);
        } else {
          early.add(event);
        }
      });
      JsonObject request = new JsonObject().put("input", input).put("options", new JsonObject().put("runId", runId))
          .put("stream", new JsonObject().put("to", to).put("modes", new JsonArray().add("values").add("updates"))
              .put("window", window));
      return events.completion()
          .compose(ready -> bus.<JsonObject>request(Addresses.RUN.of(graph), request, WAIT))
          .compose(reply -> {
            seen.put("ack", reply.body());
            ack.complete(reply.body());
            early.forEach(event -> consumed(reply.body(), event, onEvent, terminal));
            return terminal.future();
          })
          .eventually(events::unregister);
    }

    private void consumed(JsonObject ack, JsonObject event, java.util.function.BiConsumer<JsonObject, JsonObject> onEvent,
                          Promise<JsonObject> terminal) {
      bus.send(ack.getString("control"), new JsonObject().put("runId", ack.getString("runId"))
          .put("token", ack.getString("token")).put("credits", 1));
      onEvent.accept(ack, event);
      if (event.getString("event").equals("end") || event.getString("event").equals("error")) {
        terminal.tryComplete(event);
      }
    }

    private Future<Void> unknownGraph() {
      return GraphClient.create(vertx, "no-such-graph").invoke(Map.of("topic", "x")).transform(result -> {
        if (result.succeeded() || !(result.cause() instanceof GraphloopException)) {
          return Future.failedFuture("a run of an unknown graph did not fail as it should: " + result);
        }
        report.put("unknownGraph", new JsonObject().put("code", ((GraphloopException) result.cause()).code().code()));
        return Future.succeededFuture();
      });
    }
  }

  /** The addresses an event-bus client needs, spelled out as the protocol page gives them. */
  private enum Addresses {
    RUN(".run"), CANCEL(".cancel");

    private final String suffix;

    Addresses(String suffix) {
      this.suffix = suffix;
    }

    String of(String graph) {
      return "graphloop." + graph + suffix;
    }
  }
}
