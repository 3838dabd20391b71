package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.internal.bus.ReplyFailures;
import io.graphloop.protocol.FailureReply;
import io.graphloop.protocol.RunOutcome;
import io.graphloop.protocol.RunRequest;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.vertx.core.AsyncResult;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/**
 * How a coordinator answers a run request, in the three ways a request may ask: a {@link RunOutcome} sent to the
 * request's {@code replyTo} address (with its correlation), the message's reply (a {@link RunResult}, or its JSON for
 * a JSON request), or a {@link FailureReply} with a stable code. A streamed run's outcome goes down its stream, not
 * here; its refusal (before it streams) is the message's reply.
 *
 * <p>Thread rules: confined to its coordinator's event loop.
 */
final class RunReplies {

  /** Default delivery, shared: Vert.x only reads it, and {@code send(address, body)} would allocate one per call. */
  private static final DeliveryOptions PLAIN = new DeliveryOptions();

  private final EventBus bus;
  private final String graph;
  private final io.graphloop.graph.CompiledGraph compiled;

  RunReplies(EventBus bus, io.graphloop.graph.CompiledGraph graph) {
    this.bus = bus;
    this.graph = graph.name();
    this.compiled = graph;
  }

  /**
   * The outcome of run {@code runId} that ended with {@code result}, as its request asked: to {@code replyTo} with the
   * request's correlation id when it named one, else as the reply to {@code message}. (The request's parts rather than
   * the request: a run in flight keeps only these, not the request and its copy of the run options.)
   */
  void outcome(Message<Object> message, String replyTo, long correlation, long correlationTag, boolean json,
               String runId, RunCheckpoints checkpoints, AsyncResult<RunEnd> result) {
    GraphloopException failure = result.failed() ? ReplyFailures.ofRun(result.cause(), graph, runId) : null;
    RunResult runResult = null;
    if (failure == null) {
      RunEnd end = result.result();
      // a run's result is its output keys (LangGraph's invoke reads its output channels)
      runResult = new RunResult(runId, end.interrupted() ? RunStatus.INTERRUPTED : RunStatus.SUCCESS,
          compiled.outputOf(end.values()),
          checkpoints == null ? null : checkpoints.threadId(), end.checkpointId(), end.interrupts());
    }
    if (replyTo != null) {
      RunOutcome outcome = new RunOutcome(correlation, correlationTag, runResult, failure);
      bus.send(replyTo, json ? outcome.toJson() : outcome, PLAIN);
    } else if (failure == null) {
      message.reply(json ? runResult.toJson() : runResult);
    } else {
      message.reply(new FailureReply(failure));
    }
  }

  /** Refuses a readable request: to its replyTo address when it names one (and does not stream), else as the reply. */
  void refuse(Message<Object> message, RunRequest request, boolean json, GraphloopException failure) {
    if (request.replyTo() != null && request.stream() == null) {
      RunOutcome outcome = new RunOutcome(request.correlation(), request.correlationTag(), null, failure);
      bus.send(request.replyTo(), json ? outcome.toJson() : outcome, PLAIN);
    } else {
      message.reply(new FailureReply(failure));
    }
  }

  /** Refuses a request that could not be read (so it has no replyTo): the message's reply. */
  void reject(Message<Object> message, FailureCode code, String text) {
    message.reply(new FailureReply(new GraphloopException(code, text, graph, null, null, null, null)));
  }
}
