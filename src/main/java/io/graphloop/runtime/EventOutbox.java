package io.graphloop.runtime;

import io.graphloop.internal.bus.LoopAffinity;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Delivers one run's stream events ({@link RunEvents}') to its consumer's address under credit-based flow control.
 * The consumer grants credits as it consumes; without credits, events wait in a bounded buffer and the run does not
 * start its next step until the buffer has drained below half ({@link #readyForStep}), so a slow consumer slows its own
 * run instead of growing memory. A consumer that never grants again is dropped after {@code idleTimeoutMs}: the outbox
 * closes (the run goes on to its end) and nothing else is disturbed.
 *
 * <p>What a full buffer drops: custom events, oldest first, never values, updates or the terminal event. Message
 * chunks are held back instead: while the buffer holds {@code maxBuffered} events the coordinator withholds the nodes'
 * emit-window acknowledgements ({@link #holdAck}); past twice {@code maxBuffered} the oldest chunk is dropped, counted
 * ({@link #messageChunksDropped}) and handed to {@code onChunkDropped} (its message is then sent whole).
 *
 * <p>Thread rules: confined to the coordinator's event loop, as its {@link RunEvents}.
 */
final class EventOutbox {

  private final Vertx vertx;
  private final EventBus bus;
  private final String to;
  /** The consumer's stream when it is in this JVM ({@code RunEventStream}'s inbox): events go to it by reference. */
  private final LoopAffinity.LocalTarget inbox;
  private final int maxBuffered;
  private final long idleTimeoutMs;
  private final Runnable onClosed;
  private final Consumer<Map<String, Object>> onChunkDropped;
  private final ArrayDeque<StreamEvent> buffer = new ArrayDeque<>();
  private final ArrayDeque<Runnable> heldAcks = new ArrayDeque<>();
  private long credits;
  private Runnable waiting;
  private boolean ended;
  private boolean closed;
  private long idleTimer = -1;
  private long messageChunksDropped;
  private LongAdder depth; // the deployment's buffered events, or null

  /**
   * An outbox to address {@code to} with {@code credits} to start with; {@code onClosed} runs once when it closes (the
   * stream ended and drained, or its consumer idled out), {@code onChunkDropped} with each message chunk dropped.
   */
  EventOutbox(Vertx vertx, String to, long credits, int maxBuffered, long idleTimeoutMs, Runnable onClosed,
              Consumer<Map<String, Object>> onChunkDropped) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.to = to;
    this.inbox = LoopAffinity.of(vertx).inbox(to);
    this.credits = credits;
    this.maxBuffered = maxBuffered;
    this.idleTimeoutMs = idleTimeoutMs;
    this.onClosed = onClosed;
    this.onChunkDropped = onChunkDropped;
  }

  /** Counts the buffered events in {@code total} (the deployment's stream buffer depth) from now on. */
  void countBufferedIn(LongAdder total) {
    this.depth = total;
  }

  /** Whether the stream has ended (its terminal event is sent or buffered). */
  boolean ended() {
    return ended;
  }

  /** Whether the outbox is closed: nothing more is delivered. */
  boolean closed() {
    return closed;
  }

  /** Whether the buffer has room for more message chunks before emit windows are held ({@link #holdAck}). */
  boolean hasRoom() {
    return buffer.size() < maxBuffered;
  }

  /** Runs {@code ack} once the buffer has drained below half, or at the close. */
  void holdAck(Runnable ack) {
    if (closed) {
      ack.run();
    } else {
      heldAcks.add(ack);
    }
  }

  /** Message chunks dropped because the buffer reached twice {@code maxBuffered}. */
  long messageChunksDropped() {
    return messageChunksDropped;
  }

  /** The consumer consumed {@code count} more events. */
  void grant(long count) {
    if (closed || count <= 0) {
      return;
    }
    credits = credits + count < 0 ? Long.MAX_VALUE : credits + count; // saturating: a huge grant must not wrap
    cancelIdleTimer(); // the consumer is alive: its idle clock restarts, even if the buffer does not empty
    flush();
    if (!closed && !buffer.isEmpty()) {
      armIdleTimer();
    }
  }

  /** Whether the run may start its next step; when not, {@code resume} runs once the buffer has drained below half. */
  boolean readyForStep(Runnable resume) {
    if (closed || buffer.size() < Math.max(1, maxBuffered / 2)) {
      return true;
    }
    waiting = resume;
    return false;
  }

  /** Sends {@code event} now when there is credit and nothing waits before it, else buffers it (or drops it). */
  void offer(StreamEvent event) {
    if (closed) {
      return;
    }
    if (credits > 0 && buffer.isEmpty()) {
      credits--;
      send(event);
      return;
    }
    if (buffer.size() >= maxBuffered && !event.isTerminal() && !dropOldestCustom()
        && event.event() == StreamEventType.CUSTOM) {
      // A node emits faster than the consumer takes, within one step: custom events are dropped (oldest first),
      // never values, updates or the terminal event, so memory stays bounded and no result is lost. Other events
      // are bounded by the step: the run does not start its next step while the buffer is over half full.
      return;
    }
    if (buffer.size() >= 2 * maxBuffered && event.event() == StreamEventType.MESSAGES) {
      dropOldestChunk();
    }
    buffer.add(event);
    buffered(1);
    armIdleTimer();
  }

  /** The stream's terminal event was offered: the outbox closes once its buffer has drained. */
  void end() {
    ended = true;
    if (buffer.isEmpty()) {
      close();
    }
  }

  private void buffered(int change) {
    if (depth != null && change != 0) {
      depth.add(change);
    }
  }

  private void clearBuffer() {
    buffered(-buffer.size());
    buffer.clear();
  }

  /** To the consumer: through its inbox when it is in this JVM (no bus message per event), else by the bus. */
  private void send(StreamEvent event) {
    if (inbox != null) {
      inbox.deliver(event);
    } else {
      bus.send(to, event);
    }
  }

  /** Drops the oldest buffered message chunk; its message will be sent whole when its task writes it. */
  private void dropOldestChunk() {
    for (var it = buffer.iterator(); it.hasNext(); ) {
      StreamEvent buffered = it.next();
      if (buffered.event() == StreamEventType.MESSAGES && MessageStream.isChunk(buffered.data())) {
        it.remove();
        buffered(-1);
        onChunkDropped.accept(buffered.data());
        messageChunksDropped++;
        return;
      }
    }
  }

  private void releaseAcks() {
    while (!heldAcks.isEmpty()) {
      heldAcks.poll().run();
    }
  }

  private boolean dropOldestCustom() {
    for (var it = buffer.iterator(); it.hasNext(); ) {
      if (it.next().event() == StreamEventType.CUSTOM) {
        it.remove();
        buffered(-1);
        return true;
      }
    }
    return false;
  }

  private void flush() {
    while (credits > 0 && !buffer.isEmpty()) {
      credits--;
      send(buffer.poll());
      buffered(-1);
    }
    if (buffer.isEmpty()) {
      cancelIdleTimer();
      if (ended) {
        close();
      }
    }
    if (!heldAcks.isEmpty() && buffer.size() < Math.max(1, maxBuffered / 2)) {
      releaseAcks();
    }
    if (waiting != null && buffer.size() < Math.max(1, maxBuffered / 2)) {
      Runnable resume = waiting;
      waiting = null;
      resume.run();
    }
  }

  private void armIdleTimer() {
    if (idleTimer < 0) {
      idleTimer = vertx.setTimer(idleTimeoutMs, id -> {
        idleTimer = -1;
        clearBuffer();
        close();
      });
    }
  }

  private void cancelIdleTimer() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  private void close() {
    if (closed) {
      return;
    }
    closed = true;
    cancelIdleTimer();
    clearBuffer();
    releaseAcks();
    Runnable resume = waiting;
    waiting = null;
    onClosed.run();
    if (resume != null) {
      resume.run();
    }
  }
}
