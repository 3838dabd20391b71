package io.graphloop.client;

import io.graphloop.internal.bus.LoopAffinity;
import io.graphloop.internal.bus.PendingReplies;
import io.graphloop.protocol.RunOutcome;
import io.graphloop.run.RunResult;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.eventbus.MessageProducer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Where run outcomes come back to callers on one event loop: one address per event loop of a Vert.x instance,
 * shared by every {@link GraphClient} of it, with the waits kept by correlation id in {@link PendingReplies}
 * (one timer for all of them). This spares a Vert.x reply handler, a timer and, for replies, a fresh context per
 * run.
 *
 * <p>The channel lives on a context of its own on its event loop, made for it and closed only with the Vert.x
 * instance: its consumer and its timers must outlive whichever verticle happened to call first (undeploying that
 * verticle would otherwise unregister the consumer and cancel the timer, and later runs from the loop would never
 * complete nor time out).
 *
 * <p>Thread rules: each channel is created on its event loop and used only there; the registry is a Vert.x local
 * shared map, keyed by the event-loop thread.
 */
final class ClientChannel implements Shareable {

  private static final String REGISTRY = "graphloop.client.channels";

  /** A coordinator address's local-only twin on this channel's loop, and a sender to it. */
  record LoopRoute(String address, MessageProducer<Object> sender) {
  }

  private final Vertx vertx;
  private final ContextInternal context;
  private final String address;
  private final PendingReplies<RunResult> pending;
  /** The deadline and idle checks of the event streams consumed on this loop ({@link #watch}). */
  private final PendingReplies<Void> watches;
  private final Map<String, LoopRoute> routes = new HashMap<>();
  private final Future<Void> ready;
  private int localInFlight;
  /** Streams consumed on this loop whose run went to this loop's coordinator and that have not ended. */
  private int localStreams;
  /** Every loop's local streams of this Vert.x (the mean {@link #keepStreamLocal} compares with). */
  private final LocalStreams sharedLocalStreams;

  private ClientChannel(Vertx vertx, ContextInternal context) {
    this.vertx = vertx;
    this.context = context;
    this.address = "graphloop.client." + UUID.randomUUID();
    this.pending = new PendingReplies<>(vertx);
    this.watches = new PendingReplies<>(vertx);
    this.sharedLocalStreams = LocalStreams.of(vertx);
    ContextInternal previous = context.beginDispatch(); // the consumer belongs to the channel's own context
    try {
      MessageConsumer<Object> consumer = vertx.eventBus().consumer(address, message -> onOutcome(message.body()));
      this.ready = consumer.completion();
    } finally {
      context.endDispatch(previous);
    }
  }

  /** The channel of the calling event-loop thread, created on first use. Call only on an event loop of {@code vertx}. */
  static ClientChannel onThisLoop(Vertx vertx) {
    LocalMap<String, ClientChannel> registry = vertx.sharedData().getLocalMap(REGISTRY);
    String loop = Thread.currentThread().getName();
    ClientChannel channel = registry.get(loop);
    if (channel == null) {
      ContextInternal lasting = ((VertxInternal) vertx).contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
          .withEventLoop(((ContextInternal) Vertx.currentContext()).nettyEventLoop()).build();
      channel = new ClientChannel(vertx, lasting);
      registry.put(loop, channel);
    }
    return channel;
  }

  /**
   * The route to the coordinator of {@code runAddress} on this loop, made once per address (a run would otherwise
   * build the address string and a producer each time).
   */
  LoopRoute routeTo(String runAddress) {
    LoopRoute route = routes.get(runAddress);
    if (route == null) {
      String loopAddress = LoopAffinity.onThisLoop(runAddress);
      route = new LoopRoute(loopAddress, vertx.eventBus().sender(loopAddress));
      routes.put(runAddress, route);
    }
    return route;
  }

  /** The address outcomes come back to. */
  String address() {
    return address;
  }

  /** Completes once the address is registered (at once after the first use). */
  Future<Void> ready() {
    return ready;
  }

  /**
   * Whether a new run should go to the coordinator on this loop: yes while fewer than {@code limit} runs this loop's
   * callers sent there are unfinished. Counted here, at the sender, so a burst sent in one task sees its own runs.
   */
  boolean keepLocal(int limit) {
    return localInFlight < limit;
  }

  /** A run was sent to this loop's coordinator; {@link #localEnded()} when its outcome is in. */
  void localStarted() {
    localInFlight++;
  }

  void localEnded() {
    localInFlight--;
  }

  /**
   * Whether a new stream consumed on this loop should have its run coordinated on this loop: {@link LocalStreams}'
   * rule (fewer than {@code limit} such streams unended here, and this loop's count below the loops' mean plus
   * {@code margin}).
   */
  boolean keepStreamLocal(int limit, int margin) {
    return sharedLocalStreams.admits(localStreams, limit, margin);
  }

  /** A stream's run went to this loop's coordinator; {@link #localStreamEnded()} once the stream has ended. */
  void localStreamStarted() {
    localStreams++;
    sharedLocalStreams.started();
  }

  void localStreamEnded() {
    localStreams--;
    sharedLocalStreams.ended();
  }

  /** The streams counted by {@link #keepStreamLocal} now. */
  int localStreams() {
    return localStreams;
  }

  PendingReplies<RunResult> pending() {
    return pending;
  }

  /**
   * Registers a wait ({@link PendingReplies#add(long, long, io.vertx.core.Completable)}) on the channel's own
   * context, so that the timer it may arm belongs to the channel, not to the calling verticle.
   */
  long await(long timeoutMs, long tag, io.vertx.core.Completable<RunResult> waiter) {
    ContextInternal previous = context.beginDispatch();
    try {
      return pending.add(timeoutMs, tag, waiter);
    } finally {
      context.endDispatch(previous);
    }
  }

  /**
   * Calls {@code due} (on this channel's context, on this loop) once {@code delayMs} has passed, unless
   * {@link #unwatch} comes first; returns the watch's id. The event streams' deadline and idle checks
   * ({@link RunEventStream}) are watches: all of a loop's share {@link PendingReplies}' one Vert.x timer, armed for the
   * earliest, where each stream had two timers of its own. Call on this channel's loop.
   */
  long watch(long delayMs, Runnable due) {
    ContextInternal previous = context.beginDispatch();
    try {
      return watches.add(delayMs, (ignored, expired) -> due.run());
    } finally {
      context.endDispatch(previous);
    }
  }

  /** Drops watch {@code id} (unknown ids are ignored). Call on this channel's loop. */
  void unwatch(long id) {
    watches.forget(id);
  }

  /** The watches pending (for tests). */
  int watches() {
    return watches.size();
  }

  private void onOutcome(Object body) {
    RunOutcome outcome;
    try {
      outcome = body instanceof RunOutcome ? (RunOutcome) body : RunOutcome.fromJson((JsonObject) body);
    } catch (RuntimeException e) {
      return; // not an outcome: nothing to correlate it with
    }
    // a wrong tag (a forged outcome) or an unknown key (after its deadline) leaves every wait as it is
    pending.answer(outcome.correlation(), outcome.tag(), outcome.result(), outcome.failure());
  }
}
