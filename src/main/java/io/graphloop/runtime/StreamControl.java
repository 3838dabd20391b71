package io.graphloop.runtime;

import io.graphloop.internal.bus.SecureIds;
import io.graphloop.run.StreamEvent;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * A coordinator's stream control: the streams of its streamed runs, and what arrives on its control address for
 * them: credits from a stream's consumer (taken only with the run's capability token), custom events and message
 * chunks from nodes, and events forwarded from a subgraph's run. A node's emit window asks for an acknowledgement now
 * and then; it is held back while the run's stream buffer is full (the node then waits), else given at once.
 *
 * <p>Thread rules: confined to its coordinator's event loop.
 */
final class StreamControl {

  private final Map<String, RunEvents> streams = new HashMap<>();
  /** The token of each stream in {@link #streams}, which may outlive its run while a slow consumer drains it. */
  private final Map<String, String> tokens = new HashMap<>();
  private final DroppedResults dropped;

  StreamControl(DroppedResults dropped) {
    this.dropped = dropped;
  }

  /** Starts taking control messages for run {@code runId}'s stream, which shows {@code token}. */
  void open(String runId, String token, RunEvents events) {
    streams.put(runId, events);
    tokens.put(runId, token);
  }

  /** Run {@code runId}'s stream ended (drained, or given up): control messages for it are ignored from now on. */
  void close(String runId, String token) {
    streams.remove(runId);
    tokens.remove(runId, token);
  }

  /** Credits from a stream's consumer, and custom events from nodes, for runs this coordinator owns. */
  void onControl(Message<Object> message) {
    RunEvents full = null;
    try {
      full = control(message.body());
    } finally {
      if (message.replyAddress() != null) { // a node's emit window asks now and then: this and every earlier event
        if (full != null) {                 // are taken, answered once the run's stream buffer has room again
          full.holdAck(() -> message.reply(null));
        } else {
          message.reply(null);
        }
      }
    }
  }

  /**
   * A control message handed over in this JVM without the bus ({@link ControlInbox}): a node's message chunk on this
   * coordinator's loop. Returns null when the run's stream buffer has room for more, else the run's events, on which
   * the caller holds back the window's acknowledgement ({@link RunEvents#holdAck}).
   */
  RunEvents take(Object body) {
    return control(body);
  }

  /** Reads a control message; returns the run's events when it was a message chunk that filled their buffer. */
  private RunEvents control(Object message) {
    if (!(message instanceof JsonObject)) {
      return null;
    }
    JsonObject body = (JsonObject) message;
    Object runId = body.getValue("runId");
    RunEvents events = runId instanceof String ? streams.get(runId) : null;
    if (events == null) {
      return null;
    }
    Object credits = body.getValue("credits");
    if (credits instanceof Number) {
      if (SecureIds.sameToken(tokens.get(runId), body.getValue("token"))) {
        events.grant(((Number) credits).longValue());
      } else {
        dropped.refusedControl("stream credits", (String) runId);
      }
    }
    Object custom = body.getValue("custom");
    if (custom instanceof JsonObject) {
      Object node = body.getValue("node");
      Object step = body.getValue("step");
      events.custom(node instanceof String ? (String) node : null, step instanceof Integer ? (Integer) step : -1,
          ((JsonObject) custom).getMap());
    }
    Object chunk = body.getValue("message");
    if (chunk instanceof JsonObject) {
      Object node = body.getValue("node");
      Object step = body.getValue("step");
      Object meta = body.getValue("meta");
      boolean room = events.message(node instanceof String ? (String) node : null,
          step instanceof Integer ? (Integer) step : -1, ((JsonObject) chunk).getMap(),
          meta instanceof JsonObject ? ((JsonObject) meta).getMap() : Map.of());
      if (!room) {
        return events;
      }
    }
    Object forward = body.getValue("forward");
    if (forward instanceof JsonObject) {
      try {
        events.forward(StreamEvent.fromJson((JsonObject) forward), body.getString("ns", ""));
      } catch (IllegalArgumentException e) {
        // a malformed forwarded event is dropped: it must not end the parent's stream
      }
    }
    return null;
  }
}
