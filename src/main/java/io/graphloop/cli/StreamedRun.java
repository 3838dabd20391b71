package io.graphloop.cli;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.State;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code run} with progress: the run is streamed in LangGraph's {@code tasks} and {@code messages} modes, and its events are handed to the
 * CLI's main thread, which shows them ({@link RunProgress}) and builds the run's result from the stream's
 * {@code end} event, as {@link GraphClient#run} would have answered it.
 *
 * <p>Thread rules: the stream lives on an event-loop context of its own, which only moves events into a bounded
 * queue ({@value #WINDOW} events plus the end); the stream's demand never exceeds the room left (it is pulled with
 * {@code fetch} as the main thread takes events), so the queue never overflows and the run waits between steps,
 * rather than losing events, when the terminal is slow. Printing happens on the main thread only.
 */
final class StreamedRun {

  /** Events the stream may hand over before the main thread has taken them. */
  static final int WINDOW = 64;
  /** How often the main thread wakes while it waits, to refresh a terminal's status line. */
  static final long TICK_MS = 200;

  private static final Object ENDED = new Object();

  private StreamedRun() {
  }

  /**
   * Runs {@code input} (or, with {@code proceed}, continues the thread of {@code options}) and waits at most
   * {@code waitSeconds} for its end, showing progress. {@code runTimeoutMs} is the run's deadline.
   *
   * @throws GraphloopException the run's failure
   * @throws IllegalStateException when the run has not ended in time
   */
  static RunResult await(Vertx vertx, GraphClient client, Map<String, Object> input, boolean proceed,
      RunOptions options, long runTimeoutMs, long waitSeconds, String what, RunProgress progress) {
    BlockingQueue<Object> queue = new ArrayBlockingQueue<>(WINDOW + 2);
    AtomicReference<RunEventStream> opened = new AtomicReference<>();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      RunEventStream stream;
      try {
        // A node may be silent for as long as the run may last: only the run's deadline bounds the wait, as for a
        // run that is not streamed (GraphClient.run), not the stream's idle timeout.
        long idleMs = Math.max(GraphClient.DEFAULT_STREAM_IDLE_TIMEOUT_MS, Math.min(runTimeoutMs, Long.MAX_VALUE / 4));
        stream = client.withStreamIdleTimeoutMs(idleMs).stream(proceed ? null : input, options, StreamMode.TASKS,
            StreamMode.MESSAGES);
      } catch (RuntimeException e) {
        queue.offer(e);
        return;
      }
      stream.pause();
      stream.handler(queue::offer);          // within the demand, so there is room
      stream.exceptionHandler(queue::offer);
      stream.endHandler(end -> queue.offer(ENDED));
      opened.set(stream);
      stream.fetch(WINDOW);
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.min(waitSeconds, Long.MAX_VALUE / 2_000_000_000L));
    StreamEvent end = null;
    int taken = 0;
    try {
      for (;;) {
        Object item = queue.poll(TICK_MS, TimeUnit.MILLISECONDS);
        if (item == null) {
          if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("Could not " + what + " within " + waitSeconds + " s.");
          }
          progress.tick();
          continue;
        }
        if (item instanceof RuntimeException e) {
          throw e;
        }
        if (item instanceof Throwable t) {
          throw new GraphloopException(FailureCode.INTERNAL, "The run's stream failed: " + t);
        }
        if (item == ENDED) {
          if (end == null) {
            throw new IllegalStateException("The run's stream ended without its final state.");
          }
          return result(end, options);
        }
        StreamEvent event = (StreamEvent) item;
        if (event.event() == StreamEvent.END) {
          end = event;
          continue;
        }
        progress.onEvent(event);
        if (++taken >= WINDOW / 2) {
          int more = taken;
          taken = 0;
          context.runOnContext(v -> {
            RunEventStream stream = opened.get();
            if (stream != null) {
              stream.fetch(more);
            }
          });
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting to " + what + ".");
    } finally {
      progress.finish();
      context.runOnContext(v -> {
        RunEventStream stream = opened.get();
        if (stream != null) {
          stream.close();
        }
      });
    }
  }

  /** The run's result from its stream's {@code end} event ({@code values}, {@code status}, {@code interrupts}...). */
  @SuppressWarnings("unchecked")
  static RunResult result(StreamEvent end, RunOptions options) {
    Map<String, Object> data = end.data();
    Object values = data.get("values");
    RunStatus status = "interrupted".equals(data.get("status")) ? RunStatus.INTERRUPTED : RunStatus.SUCCESS;
    Object interrupts = data.get("interrupts");
    Object checkpointId = data.get("checkpointId");
    return new RunResult(end.runId(), status, State.of(values instanceof Map<?, ?> map ? (Map<String, ?>) map
        : Map.of()), options.getThreadId(), checkpointId == null ? null : checkpointId.toString(),
        interrupts instanceof List<?> list ? (List<Map<String, Object>>) list : List.of());
  }
}
