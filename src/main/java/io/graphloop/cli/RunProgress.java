package io.graphloop.cli;

import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamEventType;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * What {@code run} shows on stderr while a run goes, from the run's {@code tasks} stream events: each node execution
 * as it starts and ends (done with its duration, failed with its error, interrupted), one plain line per event. On a
 * terminal ({@link Mode#TERMINAL}) only the ends are lines; the nodes running now show on one status line below them,
 * rewritten in place ({@code \r} and erase-line) with the time since they started, and erased at the end.
 *
 * <p>From its {@code messages} events, what a chat model said ({@link ModelOutput}): when a node execution ends, the
 * tool calls its model made ({@code step 1 · agent · calls multiply {"a":6,"b":7}}) and the text it streamed
 * ({@code step 3 · agent · says: The answer is 42.}) are lines before its end; a tool's answer is a line as it comes
 * ({@code step 2 · tools · multiply answered: 42}). On a terminal the status line also shows the end of the text a
 * model is streaming now, token by token.
 *
 * <p>Not thread-safe: the CLI's main thread feeds it ({@link #onEvent}, {@link #tick}, {@link #finish}); it never runs
 * on an event loop, so writing to a slow terminal blocks no one else.
 */
final class RunProgress {

  /** How {@code run} shows progress ({@code --progress}). */
  enum Mode {
    /** A terminal when the CLI writes to one, else plain lines. */
    AUTO,
    /** Lines for ends, a live status line for what runs now. */
    TERMINAL,
    /** One plain line per event. */
    PLAIN,
    /** Nothing. */
    OFF;

    /** The mode named by {@code --progress}, case-insensitive. */
    static Mode of(String name) {
      try {
        return valueOf(name.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--progress takes auto (the default: a live status line on a terminal, "
            + "else a plain line per event), terminal, plain or off; was '" + name + "'.", e);
      }
    }

    /** AUTO worked out: {@code terminal} says whether the CLI's stderr is a terminal. */
    Mode resolve(boolean terminal) {
      return this == AUTO ? (terminal ? TERMINAL : PLAIN) : this;
    }
  }

  /** An error message is cut to this many characters on its line. */
  static final int MAX_ERROR_CHARS = 300;
  private static final String ERASE_LINE = "\r\033[K";

  private final PrintWriter err;
  private final Mode mode;
  private final LongSupplier nanos;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final ModelOutput models = new ModelOutput();
  private boolean statusShown;

  private record Running(String node, int step, long startNanos) {
  }

  /**
   * @param mode  {@link Mode#TERMINAL}, {@link Mode#PLAIN} or {@link Mode#OFF} (resolve AUTO first)
   * @param nanos a monotonic clock in nanoseconds ({@code System::nanoTime})
   */
  RunProgress(PrintWriter err, Mode mode, LongSupplier nanos) {
    if (mode == Mode.AUTO) {
      throw new IllegalArgumentException("resolve AUTO before making the progress");
    }
    this.err = err;
    this.mode = mode;
    this.nanos = nanos;
  }

  /** Whether progress is shown at all (else the run need not stream). */
  boolean enabled() {
    return mode != Mode.OFF;
  }

  /** The characters of a streaming model's text shown at the end of a terminal's status line. */
  static final int STATUS_TEXT_CHARS = 60;

  /**
   * A {@code tasks} event (a node execution started or ended) or a {@code messages} event (a chat model's chunk, a
   * tool's answer). Other events are ignored.
   */
  void onEvent(StreamEvent event) {
    if (mode == Mode.OFF) {
      return;
    }
    if (event.event() == StreamEventType.MESSAGES) {
      String line = models.onMessage(event);
      if (line != null) {
        line(line);
      }
      if (mode == Mode.TERMINAL) {
        status();
      }
      return;
    }
    if (event.event() != StreamEventType.TASKS) {
      return;
    }
    Map<String, Object> data = event.data();
    String id = String.valueOf(data.get("id"));
    String node = String.valueOf(data.getOrDefault("name", event.node()));
    String where = "step " + event.step() + " · " + node;
    if (!data.containsKey("result") && !data.containsKey("error")) {
      running.put(id, new Running(node, event.step(), nanos.getAsLong()));
      if (mode == Mode.PLAIN) {
        line(where + " · started");
      } else {
        status();
      }
      return;
    }
    Running started = running.remove(id);
    models.take(ModelOutput.key(event.step(), node)).forEach(this::line);
    line(where + " · " + outcome(data, started));
    if (mode == Mode.TERMINAL) {
      status();
    }
  }

  /** Refreshes the status line's clock (terminal only); the main thread calls it while it waits. */
  void tick() {
    if (mode == Mode.TERMINAL && !running.isEmpty()) {
      status();
    }
  }

  /** The run ended: shows what models said that no task's end showed, erases the status line. */
  void finish() {
    if (mode != Mode.OFF) {
      models.takeAll().forEach(this::line);
    }
    if (mode == Mode.TERMINAL && statusShown) {
      err.print(ERASE_LINE);
      err.flush();
      statusShown = false;
    }
    running.clear();
  }

  private String outcome(Map<String, Object> data, Running started) {
    String took = took(data, started);
    Object attempt = data.get("attempt");
    String attempts = attempt instanceof Number n && n.intValue() > 1 ? " (attempt " + n.intValue() + ")" : "";
    Object error = data.get("error");
    if (error != null) {
      return "failed" + took + attempts + ": " + errorText(error);
    }
    if (data.get("interrupts") instanceof List<?> interrupts && !interrupts.isEmpty()) {
      return "interrupted, waiting for a person" + attempts;
    }
    return "done" + took + attempts;
  }

  private String took(Map<String, Object> data, Running started) {
    double ms;
    if (data.get("durationMs") instanceof Number n) {
      ms = n.doubleValue();
    } else if (started != null) {
      ms = (nanos.getAsLong() - started.startNanos()) / 1e6;
    } else {
      return "";
    }
    return " in " + duration(ms);
  }

  /** {@code 0.4 ms}, {@code 12 ms}, {@code 2.01 s}. */
  static String duration(double ms) {
    if (ms < 10) {
      return String.format(Locale.ROOT, "%.1f ms", ms);
    }
    if (ms < 1_000) {
      return String.format(Locale.ROOT, "%.0f ms", ms);
    }
    return String.format(Locale.ROOT, "%.2f s", ms / 1_000);
  }

  private static String errorText(Object error) {
    String text = error instanceof Map<?, ?> map && map.get("message") != null
        ? (map.get("error") != null ? map.get("error") + ": " : map.get("code") != null ? map.get("code") + " " : "")
        + map.get("message") : String.valueOf(error);
    text = text.replace('\n', ' ').replace('\r', ' ');
    return text.length() <= MAX_ERROR_CHARS ? text : text.substring(0, MAX_ERROR_CHARS) + "...";
  }

  private void line(String text) {
    if (mode == Mode.TERMINAL && statusShown) {
      err.print(ERASE_LINE);
      statusShown = false;
    }
    err.println(text);
    err.flush();
  }

  /** The terminal's status line: what runs now, and for how long. */
  private void status() {
    if (running.isEmpty()) {
      if (statusShown) {
        err.print(ERASE_LINE);
        err.flush();
        statusShown = false;
      }
      return;
    }
    long now = nanos.getAsLong();
    List<String> nodes = new ArrayList<>();
    int step = -1;
    long oldest = now;
    String streaming = "";
    for (Running r : running.values()) {
      nodes.add(r.node());
      step = Math.max(step, r.step());
      oldest = Math.min(oldest, r.startNanos());
      String text = models.streaming(ModelOutput.key(r.step(), r.node()));
      if (!text.isEmpty()) {
        streaming = text;
      }
    }
    streaming = streaming.replace('\n', ' ').replace('\r', ' ');
    err.print(ERASE_LINE + "step " + step + " · running " + String.join(", ", nodes) + " · "
        + duration((now - oldest) / 1e6) + (streaming.isEmpty() ? "" : " · "
        + (streaming.length() <= STATUS_TEXT_CHARS ? streaming
        : "..." + streaming.substring(streaming.length() - STATUS_TEXT_CHARS))));
    err.flush();
    statusShown = true;
  }
}
