package io.graphloop.runtime;

import io.graphloop.internal.bus.LoopAffinity;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonObject;

/**
 * A coordinator's control address as seen by the nodes of the same JVM (recorded with
 * {@link LoopAffinity#registerInbox}): a node's emit window on the coordinator's own event loop hands it a message
 * chunk directly ({@link #take}), handled at once on the coordinator's context, instead of a bus message queued as a
 * task behind whatever that loop has queued (issue 15: one queued task fewer per token between the model's socket and
 * the stream's consumer). Anything else (another thread, a chunk the coordinator is not free to take now) goes by the
 * bus as before: {@link #take} says so and the window sends it there.
 *
 * <p>{@link #deliver} (the {@link LoopAffinity.LocalTarget} contract) takes a control message from any thread and
 * queues it on the coordinator's context, as the bus would.
 *
 * <p>Thread rules: {@link #take} is called on any thread and takes the chunk only on the coordinator's event-loop
 * thread; {@link #deliver} on any thread. The coordinator's state is only ever touched on its own context.
 */
final class ControlInbox implements LoopAffinity.LocalTarget {

  private final ContextInternal context;
  private final StreamControl streams;
  /** True while a chunk is being taken: a second one arriving from inside that handling goes by the bus. */
  private boolean taking;

  ControlInbox(ContextInternal context, StreamControl streams) {
    this.context = context;
    this.streams = streams;
  }

  /**
   * Takes a node's message chunk {@code event} at once when the calling thread is the coordinator's event loop and the
   * coordinator is not already taking one further up the stack. Returns {@code null} when it did not (send it by the
   * bus then), {@link Boolean#TRUE} when it took it and the run's stream buffer has room, {@link Boolean#FALSE} when
   * it took it and the buffer is full: {@code window}'s acknowledgement of {@code seq} then runs, as a task of the
   * coordinator's context, once the buffer has drained below half or the stream has closed (as the answer to a bus
   * request is held back).
   */
  Boolean take(JsonObject event, EmitWindow window, long seq) {
    if (!context.nettyEventLoop().inEventLoop() || taking) { // (taking is read on the loop only)
      return null;
    }
    taking = true;
    ContextInternal previous = context.beginDispatch();
    try {
      RunEvents full = streams.take(event);
      if (full == null) {
        return Boolean.TRUE;
      }
      full.holdAck(() -> context.runOnContext(v -> window.acknowledge(seq)));
      return Boolean.FALSE;
    } catch (Throwable t) {
      context.reportException(t); // as a failure of a bus handler would be: the chunk is taken (and lost)
      return Boolean.TRUE;
    } finally {
      context.endDispatch(previous);
      taking = false;
    }
  }

  /** Whether the calling thread is the coordinator's event loop. Any thread. */
  boolean onItsLoop() {
    return context.nettyEventLoop().inEventLoop();
  }

  @Override
  public void deliver(Object body) {
    context.runOnContext(v -> streams.take(body));
  }
}
