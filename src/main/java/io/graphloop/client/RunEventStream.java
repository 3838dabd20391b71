package io.graphloop.client;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.internal.bus.LoopAffinity;
import io.graphloop.protocol.Failures;
import io.graphloop.run.StreamEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;

/**
 * The events of one streamed run, as a Vert.x {@link ReadStream} with backpressure. Events arrive on a
 * private address; the stream tells the run's coordinator how many more it may send (credits) only as
 * events are delivered to the handler, so {@link #pause()} (or a {@link #fetch} demand) stops delivery at the
 * source: at most {@code window} events ever wait here, and the run itself waits between steps when its own
 * bounded buffer is full. The stream ends after the run's terminal event: {@code end} (the handler sees it,
 * then the end handler runs) or {@code error} (the exception handler gets the {@link GraphloopException}).
 *
 * <p>The private address is a clustered consumer, so a coordinator on another member reaches it; a coordinator in
 * this JVM hands the events to the stream's inbox instead, and a stream whose run goes to the coordinator on its own
 * loop has no bus consumer at all. The stream never
 * waits forever: it fails with a {@code TIMEOUT} {@link GraphloopException} when no terminal event has come by its
 * deadline (the run's, plus a grace period), or when nothing at all has come from the coordinator for its idle
 * timeout while the stream is waiting for events (not paused, nothing queued): the coordinator may have left, or
 * dropped the stream.
 *
 * <p>The deadline and the idle checks of a stream created on an event loop are watches of the loop's
 * {@link ClientChannel}, which share one Vert.x timer (a server streaming 10,000 runs would otherwise keep 20,000
 * timers); elsewhere they are Vert.x timers. Either way they fire on the stream's context.
 *
 * <p>Thread rules: handlers run on the context that created the stream; call {@code pause/resume/fetch} from it.
 */
public final class RunEventStream implements ReadStream<StreamEvent> {

  private final Vertx vertx;
  private final EventBus bus;
  /**
   * The private address's event-bus consumer, for a coordinator on another member (or one in this JVM that finds no
   * inbox), or {@code null} when the stream's run goes to the coordinator on this stream's own loop: that coordinator
   * is in this JVM and hands every event to {@link #inbox}, so a bus registration (a handler-map entry added and
   * removed, a consumer and its completion per stream) would never be used.
   */
  private final MessageConsumer<Object> consumer;
  /**
   * The private address's listener for a coordinator in this JVM ({@link LoopAffinity#registerInbox}): called on the
   * coordinator's loop, it queues the event as a task of this stream's context, as the bus would deliver it, sparing
   * the bus's message, delivery contexts and duplicated context per event (per token, for a streamed answer); a token
   * on this stream's own thread is delivered at once ({@link #fromInbox}).
   */
  private final LoopAffinity.LocalTarget inbox;
  private final LoopAffinity affinity;
  private final String address;
  private final long idleTimeoutMs;
  private final long deadlineMs;
  /** The loop's channel whose watches time this stream, or {@code null}: Vert.x timers (not on an event loop). */
  private final ClientChannel watcher;
  /** The context the stream was created on, where its handlers (and its timeouts) run. */
  private final Context context;
  private long deadlineTimer = -1;
  private long idleTimer = -1;
  private long lastHeardNanos = System.nanoTime();
  private final int window;
  private final ArrayDeque<StreamEvent> queue = new ArrayDeque<>();
  private final Promise<String> runId = Promise.promise();
  private Handler<StreamEvent> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private long consumedSinceGrant;
  private String controlAddress;
  private String controlToken;
  private Runnable onFinish;
  /** Run once when the stream ends, however ({@link #whenEnded}), or {@code null}. */
  private Runnable whenEnded;
  private boolean ended;
  private boolean delivering;
  /** Events from {@link #inbox} queued as tasks of {@link #context} and not yet delivered (any thread). */
  private final java.util.concurrent.atomic.AtomicInteger queuedFromInbox = new java.util.concurrent.atomic.AtomicInteger();

  RunEventStream(Vertx vertx, String address, int window, long deadlineMs, long idleTimeoutMs) {
    this(vertx, address, window, deadlineMs, idleTimeoutMs, true);
  }

  /**
   * @param onTheBus whether the private address listens on the event bus too; {@code false} only when the run goes to
   *                 a coordinator in this JVM, which then finds {@link #inbox} (registered here, before the run is sent)
   */
  RunEventStream(Vertx vertx, String address, int window, long deadlineMs, long idleTimeoutMs, boolean onTheBus) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.window = window;
    this.idleTimeoutMs = idleTimeoutMs;
    this.address = address;
    if (onTheBus) {
      this.consumer = bus.consumer(address); // clustered: the run's coordinator may be on another member
      this.consumer.handler(message -> onEvent(message.body()));
    } else {
      this.consumer = null;
    }
    this.deadlineMs = deadlineMs;
    this.context = vertx.getOrCreateContext(); // the consumer's: handlers run there either way
    this.watcher = Context.isOnEventLoopThread() && context.isEventLoopContext() ? ClientChannel.onThisLoop(vertx)
        : null;
    this.inbox = this::fromInbox;
    this.affinity = LoopAffinity.of(vertx);
    affinity.registerInbox(address, inbox); // a coordinator in this JVM hands events over without the bus
    this.deadlineTimer = later(deadlineMs, this::deadlinePassed);
    armIdle();
  }

  /**
   * Runs {@code action} on the stream's context after {@code delayMs}: a watch of the loop's {@link ClientChannel}
   * (one Vert.x timer for every stream of the loop) when the stream lives on an event loop, else a Vert.x timer.
   * Returns the id to {@link #cancelLater} it with.
   */
  private long later(long delayMs, Runnable action) {
    if (watcher == null) {
      return vertx.setTimer(delayMs, id -> action.run());
    }
    return watcher.watch(delayMs, () -> context.runOnContext(v -> action.run()));
  }

  private void cancelLater(long id) {
    if (watcher == null) {
      vertx.cancelTimer(id);
    } else {
      watcher.unwatch(id);
    }
  }

  private void deadlinePassed() {
    deadlineTimer = -1;
    finish(new GraphloopException(FailureCode.TIMEOUT, "The stream of run " + runIdOrUnknown() + " got no end within "
        + deadlineMs + " ms (the run's deadline and a grace period); raise RunOptions.timeoutMs if the run needs "
        + "longer."));
  }

  private String runIdOrUnknown() {
    return runId.future().succeeded() ? runId.future().result() : "(not yet accepted)";
  }

  /** Checks for silence from the coordinator every {@code idleTimeoutMs}, counting only while events are awaited. */
  private void armIdle() {
    idleTimer = later(idleTimeoutMs, () -> {
      idleTimer = -1;
      if (ended) {
        return;
      }
      long silentMs = (System.nanoTime() - lastHeardNanos) / 1_000_000;
      boolean waitingForEvents = queue.isEmpty() && demand > 0;
      if (waitingForEvents && silentMs >= idleTimeoutMs) {
        finish(new GraphloopException(FailureCode.TIMEOUT, "The stream of run " + runIdOrUnknown() + " heard nothing "
            + "from the run's coordinator for " + silentMs + " ms (idle timeout " + idleTimeoutMs + " ms): it may have "
            + "left, or dropped the stream; raise GraphClient.withStreamIdleTimeoutMs if a step runs longer without "
            + "events."));
      } else {
        if (!waitingForEvents) {
          lastHeardNanos = System.nanoTime(); // paused or holding events: the silence is the consumer's own doing
        }
        armIdle();
      }
    });
  }

  /** Registers the private address; the run request is sent once this completes. */
  Future<Void> ready() {
    return consumer == null ? Future.succeededFuture() : consumer.completion();
  }

  /** Called with the coordinator's acknowledgement: the run's id, where to send credits, and the run's token. */
  void accepted(String id, String control, String token) {
    this.controlAddress = control;
    this.controlToken = token;
    if (ended && onFinish != null) {
      onFinish.run();
    }
    runId.tryComplete(id);
  }

  /** Runs {@code action} once the stream ends (at once if it has). */
  void onFinish(Runnable action) {
    this.onFinish = action;
  }

  /** Runs {@code action} once, when the stream ends (finished, failed or closed); call before it can end. */
  void whenEnded(Runnable action) {
    this.whenEnded = action;
  }

  private void ended() {
    Runnable action = whenEnded;
    whenEnded = null;
    if (action != null) {
      action.run();
    }
  }

  /**
   * The run's capability token once the run is accepted ({@code null} before): with the run id, it lets any JVM of
   * the bus cancel the run ({@code GraphClient.cancel(runId, token)}). Keep it as secret as the run's control.
   */
  public String controlToken() {
    return controlToken;
  }

  /** The run could not start (bad request, overloaded, ...): the stream fails and ends. */
  void rejected(GraphloopException failure) {
    runId.tryFail(failure);
    finish(failure);
  }

  /** The run's id, once the coordinator has accepted the run (e.g. to cancel it). */
  public Future<String> runId() {
    return runId.future();
  }

  /**
   * An event from a coordinator in this JVM, on the coordinator's thread. A message chunk (a token) handed over on
   * this stream's own thread, with no earlier event still queued for the stream, is delivered at once on this
   * stream's context ({@code dispatch}: the context switched for the handler, its failures reported there), not in a
   * task queued behind the loop's other work; every other event, or any from another thread, is queued as the bus
   * would deliver it. Terminal and other events stay queued so that an end handler never runs inside the
   * coordinator's own handling of the run's end; a token never overtakes an event queued before it.
   */
  private void fromInbox(Object body) {
    if (body instanceof StreamEvent event && event.event() == io.graphloop.run.StreamEventType.MESSAGES
        && queuedFromInbox.get() == 0 && context instanceof io.vertx.core.internal.ContextInternal internal
        && internal.inThread()) {
      internal.dispatch(body, this::onEvent);
      return;
    }
    queuedFromInbox.incrementAndGet();
    context.runOnContext(v -> {
      queuedFromInbox.decrementAndGet();
      onEvent(body);
    });
  }

  private void onEvent(Object body) {
    StreamEvent event = body instanceof StreamEvent ? (StreamEvent) body : StreamEvent.fromJson((JsonObject) body);
    lastHeardNanos = System.nanoTime();
    if (ended) {
      return;
    }
    queue.add(event);
    drain();
  }

  private void drain() {
    if (delivering) {
      return;
    }
    delivering = true;
    try {
      while (!ended && handler != null && demand > 0 && !queue.isEmpty()) {
        StreamEvent event = queue.poll();
        if (demand != Long.MAX_VALUE) {
          demand--;
        }
        consumedSinceGrant++;
        if (consumedSinceGrant >= Math.max(1, window / 2)) {
          grant();
        }
        if (event.isTerminal()) {
          if (StreamEvent.END.equals(event.event()) && handler != null) {
            handler.handle(event);
          }
          finish(StreamEvent.ERROR.equals(event.event()) ? Failures.fromJson(new JsonObject(event.data())) : null);
        } else if (handler != null) {
          handler.handle(event);
        }
      }
    } finally {
      delivering = false;
    }
  }

  private void grant() {
    if (controlAddress != null && consumedSinceGrant > 0) {
      bus.send(controlAddress, new JsonObject().put("runId", runId.future().result()).put("token", controlToken)
          .put("credits", consumedSinceGrant));
      consumedSinceGrant = 0;
    }
  }

  private void finish(GraphloopException failure) {
    if (ended) {
      return;
    }
    ended = true;
    queue.clear();
    cancelTimers();
    affinity.unregisterInbox(address, inbox);
    if (consumer != null) {
      consumer.unregister();
    }
    ended();
    if (onFinish != null) {
      onFinish.run();
    }
    if (!runId.future().isComplete()) { // an accepted run's stream (the usual end) makes no exception to drop
      runId.tryFail(failure != null ? failure : new GraphloopException(FailureCode.INTERNAL, "The stream ended "
          + "before the run was accepted."));
    }
    if (failure != null && exceptionHandler != null) {
      exceptionHandler.handle(failure);
    }
    if (endHandler != null) {
      endHandler.handle(null);
    }
  }

  @Override
  public RunEventStream exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    return this;
  }

  @Override
  public RunEventStream handler(Handler<StreamEvent> handler) {
    this.handler = handler;
    if (handler != null) {
      drain();
    }
    return this;
  }

  @Override
  public RunEventStream pause() {
    demand = 0;
    return this;
  }

  @Override
  public RunEventStream resume() {
    demand = Long.MAX_VALUE;
    drain();
    return this;
  }

  @Override
  public RunEventStream fetch(long amount) {
    if (amount > 0) {
      demand = demand == Long.MAX_VALUE || demand + amount < 0 ? Long.MAX_VALUE : demand + amount;
      drain();
    }
    return this;
  }

  @Override
  public RunEventStream endHandler(Handler<Void> endHandler) {
    this.endHandler = endHandler;
    return this;
  }

  /** Stops listening: the run goes on, its later events are dropped (and the coordinator stops sending). */
  public Future<Void> close() {
    ended = true;
    queue.clear();
    cancelTimers();
    affinity.unregisterInbox(address, inbox);
    ended();
    if (onFinish != null) {
      onFinish.run();
    }
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void cancelTimers() {
    if (deadlineTimer >= 0) {
      cancelLater(deadlineTimer);
      deadlineTimer = -1;
    }
    if (idleTimer >= 0) {
      cancelLater(idleTimer);
      idleTimer = -1;
    }
  }
}
