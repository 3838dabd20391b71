package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.internal.bus.SecureIds;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.RunRequest;
import io.graphloop.protocol.StreamSpec;
import io.graphloop.run.RunOptions;
import io.graphloop.run.StreamMode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * Starts a client's streamed runs: opens the {@link RunEventStream} on a one-off address, sends the run request
 * naming it (with a capability token, kept for {@link GraphClient#cancel(String)} while the stream lasts: from the
 * submission on when the options name the run's id, else from the acknowledgement), and hands
 * the coordinator's acknowledgement (run id, control address) or refusal to the stream. The run may go to the
 * coordinator on the caller's event loop ({@link #route}).
 *
 * <p>Stateless and thread-safe; call it on the context that will consume the stream.
 */
final class RunStreams {

  /** How long the coordinator's acknowledgement of a streamed run may take. */
  static final long ACK_TIMEOUT_MS = GraphClient.REPLY_GRACE_MS * 6;

  private RunStreams() {
  }

  /** See {@link GraphClient#stream(Map, RunOptions, StreamMode...)}; {@code timeout} is the run's deadline. */
  static RunEventStream open(Vertx vertx, String graph, RunTransport transport, Map<String, ?> input, Object resume,
                             RunOptions options, long timeout, long idleTimeoutMs, StreamMode... modes) {
    if (modes.length == 0) {
      throw new IllegalArgumentException("stream needs at least one stream mode: " + StreamMode.names());
    }
    int limit = GraphClient.localStreams(); // read first: a bad setting fails the call before anything is made
    int margin = LocalStreams.margin();
    // unguessable (events sent there are taken as the run's), from the loop's own generator: no shared lock, no read
    // of the kernel's pool per stream as UUID.randomUUID
    String address = Addresses.run(graph) + ".stream." + SecureIds.uuid();
    ClientChannel local = localChannel(vertx, graph, limit, margin); // decided here, on the caller's thread
    String target = local == null ? Addresses.run(graph) : local.routeTo(Addresses.run(graph)).address();
    // a run coordinated on this loop sends its events to the stream's inbox: no bus consumer for them
    RunEventStream stream = new RunEventStream(vertx, address, StreamSpec.DEFAULT_WINDOW,
        GraphClient.plus(timeout, GraphClient.REPLY_GRACE_MS), idleTimeoutMs, local == null);
    if (local != null) {
      local.localStreamStarted();
      stream.whenEnded(local::localStreamEnded);
    }
    RunOptions effective = new RunOptions(options).setTimeoutMs(timeout);
    if (effective.getControlToken() == null) {
      effective.setControlToken(SecureIds.token());
    }
    String token = effective.getControlToken();
    String knownId = effective.getRunId();
    if (knownId != null) {
      // for cancel(runId) from this JVM from the submission on: a cancel sent before the coordinator has the run is
      // kept there until the run comes (RunCancellation), so it still ends the run
      ControlTokens.remember(vertx, graph, knownId, token);
      stream.onFinish(() -> ControlTokens.forget(vertx, graph, knownId, token));
    }
    stream.ready().onComplete(ready -> {
      if (ready.failed()) {
        stream.rejected(new GraphloopException(FailureCode.INTERNAL, "Could not listen for the run's events: "
            + ready.cause(), graph, null, null, null, ready.cause()));
        return;
      }
      RunRequest request;
      try {
        request = RunRequests.request(input, resume, effective,
            new StreamSpec(address, EnumSet.copyOf(List.of(modes)), StreamSpec.DEFAULT_WINDOW), null, 0, 0);
      } catch (IllegalArgumentException e) {
        stream.rejected(RunRequests.badInput(graph, e));
        return;
      }
      vertx.eventBus().<Object>request(target, request, transport.delivery(ACK_TIMEOUT_MS))
          .onSuccess(ack -> {
            JsonObject body = (JsonObject) ack.body();
            String runId = body.getString("runId");
            if (knownId == null) {
              ControlTokens.remember(vertx, graph, runId, token);
              stream.onFinish(() -> ControlTokens.forget(vertx, graph, runId, token));
            }
            stream.accepted(runId, body.getString("control"), token);
          })
          .onFailure(failure -> stream.rejected(transport.failure(failure, ACK_TIMEOUT_MS)));
    });
    return stream;
  }

  /**
   * Where a stream's run goes: to the coordinator on the consumer's own event loop when there is one in this JVM and
   * {@link LocalStreams}' rule admits it (fewer than {@link GraphClient#localStreams()} unended there, and the loop
   * not above the loops' mean by {@link LocalStreams#margin()}), so that the run's nodes, the model connections they
   * open ({@code NodeContext.webClient()} is the loop's own) and the consumer share a thread and each event is handed
   * over without waking another loop; else to the graph's run address, which spreads runs over every coordinator of
   * the cluster. Returns the loop's channel when the run stays on the loop (the caller counts the stream there until
   * it ends), else {@code null}.
   */
  private static ClientChannel localChannel(Vertx vertx, String graph, int limit, int margin) {
    String runAddress = Addresses.run(graph);
    io.vertx.core.Context context = Vertx.currentContext();
    if (limit < 1 || context == null || !context.isEventLoopContext() || context.owner() != vertx
        || !io.vertx.core.Context.isOnEventLoopThread()) {
      return null;
    }
    ClientChannel channel = ClientChannel.onThisLoop(vertx);
    ClientChannel.LoopRoute route = channel.routeTo(runAddress);
    if (!channel.keepStreamLocal(limit, margin)
        || io.graphloop.internal.bus.LoopAffinity.of(vertx).choose(route.address(), null) == null) {
      return null;
    }
    return channel;
  }
}
