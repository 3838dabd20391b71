package io.graphloop.server;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.streams.ReadStream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The SSE events of one run ({@link RunRecord}'s): numbered, kept in a bounded buffer for {@code join-stream} and
 * {@code Last-Event-ID} resumption, and fanned out to every joined response.
 *
 * <p>Each event is encoded once ({@link Sse.Frame}: its bytes, shared by every response); a response's pending events
 * are written together at the end of the context's current batch of tasks (one write, one flush, for the events that
 * arrived together, e.g. a superstep's: one event's own bytes, or several copied into one buffer of the response's; a
 * task queued on the context, never a timer: no event waits for a clock), except a token's, written at once
 * ({@link #writingAtOnce}); the run's end writes the last pending bytes with the response's end ({@link #end}). A
 * response whose write queue is full pauses the run's event stream ({@link #source}: the coordinator's credits stop,
 * so the run waits between steps) until it drains: a slow client slows its run instead of growing memory. Past
 * {@code maxEvents} events or {@code maxEventBytes} bytes the oldest buffered events are dropped (a late join then
 * starts at the oldest kept one).
 *
 * <p>Thread rules: confined to its record's context ({@code null}: none, in tests), as the record; a joined response
 * may be served by another loop: its writes are Vert.x's (thread-safe), and its drain handler hands the drain back to
 * this context.
 */
final class SseFanOut {

  private final Context context;
  private final int maxEvents;
  private final long maxEventBytes;
  /** Whether the run has no thread: nothing but the response that streams it reads its events. */
  private final boolean stateless;
  /** The bytes of {@link #frames}, counted as event name plus data. */
  private long frameBytes;
  private final ArrayDeque<Sse.Frame> frames = new ArrayDeque<>();
  private final List<Joined> subscribers = new ArrayList<>(1);
  /** Whether a write of the subscribers' pending bytes is queued on {@link #context} ({@link #flushLater}). */
  private boolean flushQueued;
  /** Whether events are being added by {@link #writingAtOnce}, and whether any went to a subscriber meanwhile. */
  private boolean writingAtOnce;
  private boolean addedAtOnce;
  private long nextEventId;
  private ReadStream<?> source;
  private int fullSubscribers;
  /** Whether a response has joined the run (its events were written to one). */
  private boolean joined;
  /** Whether the run has ended ({@link #end}). */
  private boolean ended;

  SseFanOut(Context context, int maxEvents, long maxEventBytes, boolean stateless) {
    this.context = context;
    this.maxEvents = maxEvents;
    this.maxEventBytes = maxEventBytes;
    this.stateless = stateless;
  }

  /** The run's event stream on the bus, paused while a joined response cannot keep up. */
  void source(ReadStream<?> source) {
    this.source = source;
  }

  /** Whether the run was sent to its graph (it has an event stream on the bus). */
  boolean hasSource() {
    return source != null;
  }

  /**
   * Adds an event: buffered for late joins (bounded) and added to the pending bytes of every joined response that
   * wants it, written at the end of the context's current batch of tasks ({@link #flushLater}).
   */
  void emit(String event, String data) {
    emit(new Sse.Frame(nextEventId++, event, data));
  }

  /**
   * Adds an event whose data {@code data} writes straight into the event's SSE frame: its bytes are made once and
   * that buffer is what every joined response writes. Throws (and adds nothing) when {@code data} is not JSON.
   */
  void emitJson(String event, EventSink.Json data, int hint) {
    Sse.Frame frame = Sse.Frame.of(nextEventId, event, data, hint);
    nextEventId++;
    emit(frame);
  }

  private void emit(Sse.Frame frame) {
    frames.addLast(frame);
    frameBytes += frame.size();
    while (frames.size() > 1 && (frames.size() > maxEvents || frameBytes > maxEventBytes)) {
      frameBytes -= frames.removeFirst().size();
    }
    boolean added = false;
    for (int i = 0; i < subscribers.size(); i++) {
      Joined joined = subscribers.get(i);
      if (wanted(joined.modes, frame.event())) {
        joined.add(frame);
        added = true;
      }
    }
    if (added) {
      if (writingAtOnce) {
        addedAtOnce = true;
      } else {
        flushLater();
      }
    }
  }

  /**
   * Runs {@code adding}, which adds the events of one token (a {@code messages} bus event: a {@code messages-tuple}
   * event, or {@code messages/metadata} and {@code messages/partial}), and writes every subscriber's pending bytes at
   * once, in one write each, instead of in a task queued behind the loop's other work ({@link #flushLater}): a token
   * arrives alone (its answer's next token comes a model's latency later), so there is nothing to batch it with, and
   * a queued task only delays it behind other tokens' work on the loop. Events already pending (waiting for a queued
   * flush) go in the same write, first: the order is kept, and the queued flush then finds nothing.
   */
  void writingAtOnce(Runnable adding) {
    boolean outer = !writingAtOnce;
    writingAtOnce = true;
    try {
      adding.run();
    } finally {
      if (outer) {
        writingAtOnce = false;
      }
    }
    if (outer && addedAtOnce) {
      addedAtOnce = false;
      flush();
    }
  }

  /**
   * Queues one write of every subscriber's pending bytes as a task of this record's context, unless one is queued:
   * the events that arrive before that task runs (already queued on the loop, e.g. the rest of a superstep's) go out
   * in the same write. Off every context (tests), writes at once.
   */
  private void flushLater() {
    if (flushQueued) {
      return;
    }
    if (context == null) {
      flush();
      return;
    }
    flushQueued = true;
    context.runOnContext(v -> {
      flushQueued = false;
      flush();
    });
  }

  /** Writes every subscriber's pending bytes (one write each). */
  private void flush() {
    for (int i = 0; i < subscribers.size(); i++) {
      Joined joined = subscribers.get(i);
      Buffer bytes = joined.take();
      if (bytes != null) {
        write(joined, bytes);
      }
    }
  }

  /**
   * The buffered events after event {@code after}, oldest first, at most {@code maxBytes} of them (by
   * {@link Sse.Frame#size()}) but at least one when there is any.
   */
  List<Sse.Frame> framesAfter(long after, long maxBytes) {
    List<Sse.Frame> list = new ArrayList<>();
    long bytes = 0;
    for (Sse.Frame frame : frames) {
      if (frame.id() > after) {
        if (!list.isEmpty() && bytes + frame.size() > maxBytes) {
          break;
        }
        list.add(frame);
        bytes += frame.size();
      }
    }
    return list;
  }

  /** The id the next event will get. */
  long nextEventId() {
    return nextEventId;
  }

  /** The run has ended: joined responses end with their last pending bytes, and a paused event stream resumes. */
  void end() {
    ended = true;
    for (Joined joined : List.copyOf(subscribers)) { // the last events go with the end: one write
      joined.end();
    }
    subscribers.clear();
    forgetFramesIfStateless();
    if (source != null && fullSubscribers > 0) {
      source.resume();
    }
    fullSubscribers = 0;
  }

  /**
   * Joins {@code response} (already opened as an event stream) to the run, sending only the events of
   * {@code streamModes} ({@code null}: all; see {@link #wanted}): the buffered events after {@code lastEventId}
   * ({@code -1}: all of them), then the live ones; ends it at once when the run has ended.
   */
  void join(HttpServerResponse response, long lastEventId, Set<String> streamModes) {
    Joined joining = new Joined(response, streamModes);
    for (Sse.Frame frame : frames) {
      if (frame.id() > lastEventId && wanted(streamModes, frame.event())) {
        joining.add(frame);
      }
    }
    joined = true;
    if (ended) { // the buffered events and the end: one write
      joining.end();
      forgetFramesIfStateless();
      return;
    }
    subscribers.add(joining);
    if (joining.pending != null) {
      flushLater(); // with the events about to arrive (the headers go with the first write)
    }
  }

  /**
   * A stateless run's events are read only by the response that streams it ({@code POST /runs/stream}; nothing can
   * join a run without a thread): once that response has joined and the run has ended, its buffer is dropped, so that
   * the ended runs the registry keeps ({@link ServerOptions#getMaxRuns}) do not keep their events.
   */
  private void forgetFramesIfStateless() {
    if (stateless && joined && ended) {
      frames.clear();
      frameBytes = 0;
    }
  }

  /**
   * Whether an event named {@code event} is one of {@code streamModes} ({@code null}: any; {@code metadata} and
   * {@code error} always): an event {@code messages/partial} or {@code updates|sub:1} is of the mode before its
   * {@code /} or {@code |}, as LangGraph names them.
   */
  static boolean wanted(Set<String> streamModes, String event) {
    if (streamModes == null || event.equals("metadata") || event.equals("error")) {
      return true;
    }
    int end = event.length();
    for (int i = 0; i < event.length(); i++) {
      char c = event.charAt(i);
      if (c == '/' || c == '|') {
        end = i;
        break;
      }
    }
    String mode = event.substring(0, end);
    return streamModes.contains(mode) || mode.equals("messages") && streamModes.contains("messages-tuple");
  }

  /** Whether any response is joined (a streaming client still listens). */
  boolean hasSubscribers() {
    return !subscribers.isEmpty();
  }

  /**
   * Stops writing to {@code response} (its client went away); call from its close handler, handed to this context. A
   * response that had paused the run (its write queue full) releases it: its drain will never come.
   */
  void leave(HttpServerResponse response) {
    for (int i = 0; i < subscribers.size(); i++) {
      Joined joined = subscribers.get(i);
      if (joined.response == response) {
        subscribers.remove(i);
        if (joined.full) {
          joined.full = false;
          drained();
        }
        return;
      }
    }
  }

  private void write(Joined joined, Buffer bytes) {
    HttpServerResponse response = joined.response;
    if (response.closed() || response.ended()) {
      return;
    }
    response.write(bytes);
    // an HTTP/2 response throws from writeQueueFull and drainHandler once ended: only asked of a live, joined one
    if (!joined.full && subscribers.contains(joined) && !response.ended() && !response.closed()
        && response.writeQueueFull()) {
      joined.full = true;
      if (fullSubscribers++ == 0 && source != null) {
        source.pause();
      }
      response.drainHandler(Confined.handler(context, drained -> {
        if (joined.full) {
          joined.full = false;
          drained();
        }
      }));
    }
  }

  private void drained() {
    if (fullSubscribers > 0 && --fullSubscribers == 0 && source != null) {
      source.resume();
    }
  }

  /**
   * A response joined to the run: the stream modes it asked for ({@code stream_mode} of a join-stream; {@code null}:
   * every event), its encoded events not yet written, and whether its write queue is full (it paused the run once;
   * its drain resumes it). Confined with its fan-out.
   */
  private static final class Joined {
    final HttpServerResponse response;
    final Set<String> modes;
    Buffer pending;
    /** Whether {@link #pending} is this response's own buffer (else a frame's, not to be appended to). */
    boolean owned;
    boolean full;

    Joined(HttpServerResponse response, Set<String> modes) {
      this.response = response;
      this.modes = modes;
    }

    /**
     * Adds {@code frame}'s bytes: a first frame's own buffer (shared with the run's buffer and other responses: never
     * written into), a second one's into a buffer of this response's own.
     */
    void add(Sse.Frame frame) {
      Buffer bytes = frame.encode();
      if (pending == null) {
        pending = bytes;
        owned = false;
        return;
      }
      if (!owned) {
        pending = Buffer.buffer(Math.max(256, 2 * (pending.length() + bytes.length()))).appendBuffer(pending);
        owned = true;
      }
      pending.appendBuffer(bytes);
    }

    /** The pending bytes, now no longer pending, or {@code null}. */
    Buffer take() {
      Buffer bytes = pending;
      pending = null;
      return bytes;
    }

    /** Ends the response with the events still pending (one write), unless it has ended or closed already. */
    void end() {
      Buffer bytes = take();
      if (!response.ended() && !response.closed()) {
        if (bytes == null) {
          response.end();
        } else {
          response.end(bytes);
        }
      }
    }
  }
}
