package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.ReadStream;

import java.time.Instant;
import java.util.List;

/**
 * What the server keeps of one run for HTTP: LangGraph's Run object (ids, status, times, metadata, kwargs), its
 * outcome, and its SSE events ({@link SseFanOut}: the bounded buffer for {@code join-stream} and {@code Last-Event-ID}
 * resumption, and their fan-out to every joined response). The run itself belongs to its coordinator on the event
 * bus; this is the HTTP side's view of it.
 *
 * <p>Thread rules: confined to its {@link #context()}, the context that created it (the server verticle's for a run
 * on a thread, the HTTP loop's for a stateless run): call every method there ({@link Confined}), except the final
 * fields, {@link #status()} / {@link #isActive()} and {@link #kwargs()}, which any thread may read. A joined
 * response may be served by another loop: its writes are Vert.x's (thread-safe), and its drain handler hands the
 * drain back to this context.
 */
final class RunRecord implements EventSink {

  /** The run's statuses, as LangGraph names them. */
  static final String PENDING = "pending";
  static final String RUNNING = "running";
  static final String SUCCESS = "success";
  static final String ERROR = "error";
  static final String INTERRUPTED = "interrupted";
  static final String TIMEOUT = "timeout";

  final String runId;
  final String threadId;
  final String assistantId;
  final String graphId;
  final String owner;
  final Instant createdAt;
  final JsonObject metadata;
  /** LangGraph's {@code kwargs} of the run, once made ({@link #kwargs()}). */
  private volatile JsonObject kwargs;
  /** Makes {@link #kwargs} (from what the run was created with, all of it immutable or never changed). */
  private final java.util.function.Supplier<JsonObject> kwargsOf;
  final String multitaskStrategy;
  private final Promise<Void> done = Promise.promise();
  /** The context this record is confined to ({@code null}: made off every context, in tests). */
  private final io.vertx.core.Context context = Confined.current();
  private Instant updatedAt;
  private volatile String status = PENDING;
  /** The run's SSE events, buffered and fanned out to joined responses. */
  private final SseFanOut events;
  private JsonObject values;
  private JsonObject error;
  private List<JsonObject> interrupts = List.of();
  /** Completed at the next event or at the run's end (for {@link #nextChange}), or {@code null}. */
  private Promise<Void> changed;
  /** The secret a server forwarding a request for this run shows ({@link StoredRun#secret}), made when first stored. */
  private String secret;
  /** The last save to the shared records (saves of one run run one after another); never fails. */
  Future<Void> saving = Future.succeededFuture();
  /** Set once the run is deleted: nothing saves it again. */
  boolean removed;

  RunRecord(String runId, String threadId, String assistantId, String graphId, String owner, JsonObject metadata,
            JsonObject kwargs, String multitaskStrategy, int maxEvents, long maxEventBytes) {
    this(runId, threadId, assistantId, graphId, owner, metadata, () -> kwargs, multitaskStrategy, maxEvents,
        maxEventBytes);
    this.kwargs = kwargs;
  }

  /**
   * A run whose {@code kwargs} are made when first read ({@link #kwargs()}: {@link #toJson}, a save to the shared
   * records) by {@code kwargsOf}, which must give equal objects whenever it is called: a stateless streamed or
   * awaited run's are usually never read (no one can {@code GET} such a run), and they are several copies of the
   * request's fields.
   */
  RunRecord(String runId, String threadId, String assistantId, String graphId, String owner, JsonObject metadata,
            java.util.function.Supplier<JsonObject> kwargsOf, String multitaskStrategy, int maxEvents,
            long maxEventBytes) {
    this.kwargsOf = kwargsOf;
    this.runId = runId;
    this.threadId = threadId;
    this.assistantId = assistantId;
    this.graphId = graphId;
    this.owner = owner;
    this.metadata = metadata;
    this.multitaskStrategy = multitaskStrategy;
    this.events = new SseFanOut(context, maxEvents, maxEventBytes, threadId == null);
    this.createdAt = now();
    this.updatedAt = createdAt;
  }

  /** Now, to the microsecond (as the shared records keep times). */
  private static Instant now() {
    return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  /** LangGraph's Run object. */
  JsonObject toJson() {
    return new JsonObject().put("run_id", runId).put("thread_id", threadId).put("assistant_id", assistantId)
        .put("created_at", createdAt.toString()).put("updated_at", updatedAt.toString()).put("status", status)
        .put("metadata", metadata).put("kwargs", kwargs()).put("multitask_strategy", multitaskStrategy);
  }

  /**
   * The run's {@code kwargs} (LangGraph's: what it was created with), made at the first call on any thread (two
   * first calls at once may both make them: equal objects, one kept).
   */
  JsonObject kwargs() {
    JsonObject made = kwargs;
    if (made == null) {
      made = kwargsOf.get();
      kwargs = made;
    }
    return made;
  }

  /** The path of the run: {@code /threads/{tid}/runs/{rid}}, or {@code /runs/{rid}} for a stateless run. */
  String path() {
    return threadId == null ? "/runs/" + runId : "/threads/" + threadId + "/runs/" + runId;
  }

  String status() {
    return status;
  }

  /** The context this record is confined to ({@code null}: none). */
  io.vertx.core.Context context() {
    return context;
  }

  boolean isActive() {
    return PENDING.equals(status) || RUNNING.equals(status);
  }

  /** The final values: the state the run ended with (with LangGraph's {@code __interrupt__} when interrupted). */
  JsonObject values() {
    return values;
  }

  /** LangGraph's error body {@code {"error": type, "message": text}} of a failed run, else {@code null}. */
  JsonObject error() {
    return error;
  }

  List<JsonObject> interrupts() {
    return interrupts;
  }

  /** Completes when the run has ended (whatever its outcome). */
  Future<Void> done() {
    return done.future();
  }

  /** The run's event stream on the bus, paused while a joined response cannot keep up. */
  void source(ReadStream<?> source) {
    events.source(source);
  }

  /** Whether the run was sent to its graph (it has an event stream on the bus). */
  boolean hasSource() {
    return events.hasSource();
  }

  void running() {
    if (PENDING.equals(status)) {
      status = RUNNING;
      updatedAt = now();
    }
  }

  /**
   * Adds an event: buffered for late joins (bounded) and added to the pending bytes of every joined response that
   * wants it ({@link SseFanOut#emit}).
   */
  void emit(String event, String data) {
    events.emit(event, data);
    signalChange();
  }

  /** {@link #emit(String, String)}, as a sink of the run's API events. */
  @Override
  public void accept(String event, String data) {
    emit(event, data);
  }

  /**
   * Adds an event whose data {@code data} writes straight into the event's SSE frame: its bytes are made once and
   * that buffer is what every joined response writes.
   */
  @Override
  public void acceptJson(String event, Json data, int hint) {
    events.emitJson(event, data, hint); // may throw (not JSON): then no event is added
    signalChange();
  }

  /**
   * Runs {@code adding}, which adds the events of one token, and writes every joined response's pending bytes at once
   * ({@link SseFanOut#writingAtOnce}).
   */
  void writingAtOnce(Runnable adding) {
    events.writingAtOnce(adding);
  }

  /** Completes at this run's next event or at its end (at once when it has ended). */
  Future<Void> nextChange() {
    if (!isActive()) {
      return Future.succeededFuture();
    }
    if (changed == null) {
      changed = Promise.promise();
    }
    return changed.future();
  }

  private void signalChange() {
    Promise<Void> waiting = changed;
    changed = null;
    if (waiting != null) {
      waiting.complete();
    }
  }

  /**
   * The buffered events after event {@code after}, oldest first, at most {@code maxBytes} of them (by
   * {@link Sse.Frame#size()}) but at least one when there is any.
   */
  List<Sse.Frame> framesAfter(long after, long maxBytes) {
    return events.framesAfter(after, maxBytes);
  }

  /** The id the next event will get. */
  long nextEventId() {
    return events.nextEventId();
  }

  /** The secret of this run's stored record (made on first use: only runs on shared records have one). */
  String secret() {
    if (secret == null) {
      secret = io.graphloop.internal.bus.SecureIds.token();
    }
    return secret;
  }

  /** This run as the shared records store it, followed by the server at event-bus address {@code origin}. */
  StoredRun stored(String origin) {
    return new StoredRun(runId, threadId, owner, assistantId, graphId, status, createdAt, updatedAt, metadata,
        kwargs(), multitaskStrategy, values, error, interrupts, origin, secret());
  }

  /** Ends the run with {@code status}; joined responses end, and {@link #done()} completes. */
  void finish(String status, JsonObject values, JsonObject error, List<JsonObject> interrupts) {
    if (!isActive()) {
      return;
    }
    this.status = status;
    this.values = values;
    this.error = error;
    this.interrupts = interrupts == null ? List.of() : interrupts;
    this.updatedAt = now();
    events.end();
    done.tryComplete();
    signalChange();
  }

  /**
   * Joins {@code response} (already opened as an event stream) to the run: the buffered events after
   * {@code lastEventId} ({@code -1}: all of them), then the live ones; ends it at once when the run has ended.
   */
  void join(HttpServerResponse response, long lastEventId) {
    join(response, lastEventId, null);
  }

  /**
   * As {@link #join(HttpServerResponse, long)}, sending only the events of {@code streamModes} ({@code null}: all;
   * {@code metadata} and {@code error} always; {@link SseFanOut#wanted}).
   */
  void join(HttpServerResponse response, long lastEventId, java.util.Set<String> streamModes) {
    events.join(response, lastEventId, streamModes);
  }

  /** Whether any response is joined (a streaming client still listens). */
  boolean hasSubscribers() {
    return events.hasSubscribers();
  }

  /**
   * Stops writing to {@code response} (its client went away); call from its close handler, handed to this record's
   * context. A response that had paused the run (its write queue full) releases it: its drain will never come.
   */
  void leave(HttpServerResponse response) {
    events.leave(response);
  }
}
