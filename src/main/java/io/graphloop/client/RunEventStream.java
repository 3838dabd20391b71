package io.graphloop.client;

import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.Failures;
import io.graphloop.protocol.StreamEvent;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
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
 * <p>Thread rules: handlers run on the context that created the stream; call {@code pause/resume/fetch} from it.
 */
public final class RunEventStream implements ReadStream<StreamEvent> {

  private final EventBus bus;
  private final MessageConsumer<Object> consumer;
  private final int window;
  private final ArrayDeque<StreamEvent> queue = new ArrayDeque<>();
  private final Promise<String> runId = Promise.promise();
  private Handler<StreamEvent> handler;
  private Handler<Void> endHandler;
  private Handler<Throwable> exceptionHandler;
  private long demand = Long.MAX_VALUE;
  private long consumedSinceGrant;
  private String controlAddress;
  private boolean ended;
  private boolean delivering;

  RunEventStream(EventBus bus, String address, int window) {
    this.bus = bus;
    this.window = window;
    this.consumer = bus.localConsumer(address);
    this.consumer.handler(this::onMessage);
  }

  /** Registers the private address; the run request is sent once this completes. */
  Future<Void> ready() {
    return consumer.completion();
  }

  /** Called with the coordinator's acknowledgement: the run's id and where to send credits. */
  void accepted(String id, String control) {
    this.controlAddress = control;
    runId.tryComplete(id);
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

  private void onMessage(Message<Object> message) {
    Object body = message.body();
    StreamEvent event = body instanceof StreamEvent ? (StreamEvent) body : StreamEvent.fromJson((JsonObject) body);
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
      bus.send(controlAddress, new JsonObject().put("runId", runId.future().result()).put("credits",
          consumedSinceGrant));
      consumedSinceGrant = 0;
    }
  }

  private void finish(GraphloopException failure) {
    if (ended) {
      return;
    }
    ended = true;
    queue.clear();
    consumer.unregister();
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
    return consumer.unregister();
  }
}
