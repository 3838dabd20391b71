package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /threads/{thread_id}/stream} (LangGraph Server's "Join Thread Stream", the SDKs'
 * {@code threads.join_stream} / {@code threads.joinStream}): one event stream of a thread's runs, one after another
 * (a thread's runs never overlap: the multitask strategies wait for, or cancel, the active run first), open until
 * the client leaves. Each run's events are sent as its own stream sends them, with ids {@code <run_id>:<event id>},
 * and after its last one {@code event: metadata} with {@code {"status": "run_done", "run_id": ...}} (id
 * {@code <run_id>:done}), as LangGraph Server does. {@code stream_mode} (the SDKs' parameter; the spec names it
 * {@code stream_modes}): {@code run_modes} (the default: every event of the runs, and {@code run_done}),
 * {@code lifecycle} (only the {@code metadata} events that start and end each run), {@code state_update} (an event
 * {@code state_update} with {@code {"thread_id", "values", "as_node", "checkpoint"}} for each state update made
 * through {@code POST /threads/{id}/state}).
 *
 * <p>Where it starts: without {@code Last-Event-ID}, at the beginning of the thread's active run (none: at its next
 * run); with {@code Last-Event-ID: -}, at the beginning of the oldest run whose events are still kept; with an id of
 * this stream, just after that event (the rest of its run, then the later runs). An id naming a run no longer known
 * starts as without the header. With shared records ({@link ThreadStore}) the runs other servers follow are streamed
 * from them ({@link PeerRuns#frames}), and a server that starts a run on a thread tells the others on the event bus
 * (address {@code graphloop.server.thread-runs.<thread_id>}; the message only names the run: a listener reads its
 * record and checks its owner), so a stream through any server sees every run of the thread. A slow client pauses
 * its stream, not the runs; at most {@value #MAX_LISTED} earlier runs are listed when a stream starts.
 *
 * <p>Thread rules: confined to the server verticle's context (its home); a stream's response may be served by another
 * loop: its writes are Vert.x's (thread-safe), its drain is handed back home ({@link Confined}).
 */
final class ThreadStreams {

  static final String ADDRESS_PREFIX = "graphloop.server.thread-runs.";
  static final List<String> MODES = List.of("run_modes", "lifecycle", "state_update");
  /** At most this many earlier runs of a thread are listed when a stream starts (newest kept). */
  static final int MAX_LISTED = 100;
  /** At most this many run ids are remembered per stream to skip a run announced twice. */
  private static final int MAX_SEEN = 1_000;

  private final Vertx vertx;
  private final Registry registry;
  /** Runs other servers follow, or {@code null} without shared records. */
  private final PeerRuns peers;
  private final ServerOptions options;
  private final Map<String, List<Follower>> followers = new HashMap<>();
  private final Map<String, MessageConsumer<JsonObject>> consumers = new HashMap<>();
  private final io.vertx.core.Context home = Confined.current();

  ThreadStreams(Vertx vertx, Registry registry, PeerRuns peers, ServerOptions options) {
    this.vertx = vertx;
    this.registry = registry;
    this.peers = peers;
    this.options = options;
  }

  /**
   * The thread stream modes of {@code values} (each a mode or comma-separated modes; none: {@code run_modes});
   * 422 for an unknown one.
   */
  static Set<String> modes(List<String> values) {
    Set<String> modes = new LinkedHashSet<>();
    for (String value : values) {
      for (String mode : value.split(",")) {
        String name = mode.trim();
        if (name.isEmpty()) {
          continue;
        }
        if (!MODES.contains(name)) {
          throw ApiException.invalid("Unknown thread stream mode '" + name + "' in parameter 'stream_mode'; a "
              + "thread's stream modes are " + MODES + ".");
        }
        modes.add(name);
      }
    }
    return modes.isEmpty() ? Set.of("run_modes") : modes;
  }

  /** A run of a thread was created on this server: the thread's streams here follow it, and the other servers'. */
  void started(RunRecord run) {
    List<Follower> here = followers.get(run.threadId);
    if (here != null) {
      for (Follower follower : List.copyOf(here)) {
        follower.discovered(run.runId, run, null);
      }
    }
    if (peers != null) { // once stored, so that the others find its record
      run.saving.onComplete(saved -> vertx.eventBus().publish(ADDRESS_PREFIX + run.threadId,
          new JsonObject().put("run_id", run.runId)));
    }
  }

  /** The state of thread {@code threadId} was updated ({@code data}: the {@code state_update} event's). */
  void stateUpdated(String threadId, JsonObject data) {
    deliverState(threadId, data);
    if (peers != null) {
      vertx.eventBus().publish(ADDRESS_PREFIX + threadId, new JsonObject().put("state_update", data)
          .put("origin", registry.origin()));
    }
  }

  private void deliverState(String threadId, JsonObject data) {
    List<Follower> here = followers.get(threadId);
    if (here != null) {
      for (Follower follower : List.copyOf(here)) {
        follower.stateUpdate(data);
      }
    }
  }

  /**
   * Streams thread {@code threadId}'s runs, as {@code user} sees them, to {@code response} (an open event stream)
   * until {@link #leave} is called with the returned handle.
   *
   * @param lastEventId the {@code Last-Event-ID} header ({@code null}: none)
   */
  Object follow(HttpServerResponse response, String threadId, String user, String lastEventId, Set<String> modes) {
    Follower follower = new Follower(response, threadId, user, modes);
    followers.computeIfAbsent(threadId, id -> new ArrayList<>()).add(follower);
    listen(threadId).onComplete(listening -> {
      if (!follower.closed) {
        start(follower, lastEventId);
      }
    });
    return follower;
  }

  /** Stops the stream {@code handle} ({@link #follow}'s) follows: its client left. */
  void leave(Object handle) {
    Follower follower = (Follower) handle;
    follower.closed = true;
    List<Follower> list = followers.get(follower.threadId);
    if (list != null && list.remove(follower) && list.isEmpty()) {
      followers.remove(follower.threadId);
      MessageConsumer<JsonObject> consumer = consumers.remove(follower.threadId);
      if (consumer != null) {
        consumer.unregister();
      }
    }
  }

  /** Listens (once per thread) to the other servers' news of {@code threadId}, with shared records. */
  private Future<Void> listen(String threadId) {
    if (peers == null) {
      return Future.succeededFuture();
    }
    MessageConsumer<JsonObject> consumer = consumers.get(threadId);
    if (consumer == null) {
      // the news of new runs is read in the order it came (each run's record is read before the next one's)
      Future<?>[] reading = {Future.succeededFuture()};
      consumer = vertx.eventBus().consumer(ADDRESS_PREFIX + threadId, message -> {
        JsonObject news = message.body();
        List<Follower> here = followers.get(threadId);
        if (news == null || here == null) {
          return;
        }
        if (news.getValue("state_update") instanceof JsonObject) {
          if (!registry.origin().equals(news.getString("origin"))) { // this server's own were delivered already
            for (Follower follower : List.copyOf(here)) {
              follower.stateUpdate(news.getJsonObject("state_update"));
            }
          }
        } else if (news.getValue("run_id") instanceof String && registry.localRun(news.getString("run_id")) == null) {
          String runId = news.getString("run_id");
          reading[0] = reading[0].transform(before -> registry.shared().getRun(runId)).onSuccess(stored -> {
            if (stored != null) {
              for (Follower follower : List.copyOf(here)) {
                follower.discovered(runId, null, stored);
              }
            }
          });
        }
      });
      consumers.put(threadId, consumer);
    }
    return consumer.completion().recover(failure -> Future.succeededFuture());
  }

  /** Lists the thread's runs and queues those the stream starts with ({@link ThreadStreams}: where it starts). */
  private void start(Follower follower, String lastEventId) {
    String afterRun = null;
    long afterEvent = -1;
    boolean all = "-".equals(lastEventId);
    if (lastEventId != null && !all) {
      int colon = lastEventId.lastIndexOf(':');
      if (colon > 0) {
        afterRun = lastEventId.substring(0, colon);
        String rest = lastEventId.substring(colon + 1);
        try {
          afterEvent = "done".equals(rest) ? Long.MAX_VALUE : Long.parseLong(rest);
        } catch (NumberFormatException e) {
          afterRun = null;
        }
      }
    }
    String resumeRun = afterRun;
    long resumeAfter = afterEvent;
    listRuns(follower).onComplete(listed -> {
      if (follower.closed) {
        return;
      }
      List<Candidate> runs = listed.succeeded() ? listed.result() : List.of();
      int from = -1;
      for (int i = 0; resumeRun != null && i < runs.size(); i++) {
        if (runs.get(i).runId().equals(resumeRun)) {
          from = i;
        }
      }
      List<Pending> earlier = new ArrayList<>();
      for (int i = 0; i < runs.size(); i++) {
        Candidate run = runs.get(i);
        boolean wanted = from >= 0 ? i >= from : all || run.isActive();
        if (follower.remember(run.runId()) && wanted && !(i == from && resumeAfter == Long.MAX_VALUE)) {
          earlier.add(new Pending(run.runId(), run.local(), run.stored(), i == from ? resumeAfter : -1));
        }
      }
      follower.queueFirst(earlier);
      follower.listed = true;
      follower.pump();
    });
  }

  /** A run of the thread as listed: followed here ({@code local}) or by another server ({@code stored}). */
  private record Candidate(String runId, RunRecord local, StoredRun stored, java.time.Instant createdAt) {

    boolean isActive() {
      return local != null ? local.isActive() : stored.isActive();
    }
  }

  /** The thread's runs {@code follower}'s user sees, oldest first: kept here, and (shared records) stored. */
  private Future<List<Candidate>> listRuns(Follower follower) {
    Map<String, Candidate> found = new LinkedHashMap<>();
    for (RunRecord run : registry.runsOf(follower.threadId)) {
      if (Registry.visible(run.owner, follower.user)) {
        found.put(run.runId, new Candidate(run.runId, run, null, run.createdAt));
      }
    }
    ThreadStore shared = registry.shared();
    Future<List<StoredRun>> stored = shared == null || peers == null ? Future.succeededFuture(List.of())
        : shared.runsOf(follower.threadId, null, MAX_LISTED, 0);
    return stored.map(list -> {
      for (StoredRun run : list) {
        if (!found.containsKey(run.runId()) && Registry.visible(run.owner(), follower.user)) {
          found.put(run.runId(), new Candidate(run.runId(), null, run, run.createdAt()));
        }
      }
      List<Candidate> ordered = new ArrayList<>(found.values());
      ordered.sort(Comparator.comparing(Candidate::createdAt).thenComparing(Candidate::runId));
      return ordered.size() > MAX_LISTED ? ordered.subList(ordered.size() - MAX_LISTED, ordered.size()) : ordered;
    });
  }

  /** One open thread stream: the runs it has yet to send, oldest first, and the one it sends now. */
  private final class Follower {

    final HttpServerResponse response;
    final String threadId;
    final String user;
    final Set<String> modes;
    final boolean followsRuns;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final LinkedHashSet<String> seen = new LinkedHashSet<>();
    private Pending current;
    private boolean pulling;
    /** Set once the runs before the stream started are queued: runs announced earlier wait behind them. */
    boolean listed;
    boolean closed;

    Follower(HttpServerResponse response, String threadId, String user, Set<String> modes) {
      this.response = response;
      this.threadId = threadId;
      this.user = user;
      this.modes = modes;
      this.followsRuns = modes.contains("run_modes") || modes.contains("lifecycle");
    }

    /** Remembers {@code runId} as handled; false if it was already. */
    boolean remember(String runId) {
      if (!seen.add(runId)) {
        return false;
      }
      if (seen.size() > MAX_SEEN) {
        seen.remove(seen.iterator().next());
      }
      return true;
    }

    /** Puts {@code earlier} (runs listed when the stream started) before the runs announced since. */
    void queueFirst(List<Pending> earlier) {
      for (int i = earlier.size() - 1; i >= 0; i--) {
        queue.addFirst(earlier.get(i));
      }
    }

    void queue(String runId, RunRecord local, StoredRun stored, long after) {
      if (remember(runId)) {
        queue.add(new Pending(runId, local, stored, after));
      }
    }

    /** A new run of the thread, announced after the stream started. */
    void discovered(String runId, RunRecord local, StoredRun stored) {
      if (closed || !followsRuns) {
        return;
      }
      String owner = local != null ? local.owner : stored.owner();
      String thread = local != null ? local.threadId : stored.threadId();
      if (!threadId.equals(thread) || !Registry.visible(owner, user)) {
        return;
      }
      queue(runId, local, stored, -1);
      pump();
    }

    void stateUpdate(JsonObject data) {
      if (!closed && modes.contains("state_update")) {
        String id = "state:" + data.getJsonObject("checkpoint", new JsonObject()).getString("checkpoint_id", "");
        write(id, "state_update", data.encode());
      }
    }

    /** Sends the current run's next events, or starts the next run; idle when none is left. */
    void pump() {
      if (closed || pulling || !listed || response.closed() || response.ended()) {
        return;
      }
      if (current == null) {
        current = followsRuns ? queue.poll() : null;
        if (current == null) {
          return;
        }
      }
      Pending run = current;
      pulling = true;
      Future<JsonObject> next = run.local != null ? localFrames(run.local, run.after)
          : peers.frames(run.stored, run.after);
      next.onComplete(batch -> {
        pulling = false;
        if (closed || response.closed() || response.ended()) {
          return;
        }
        boolean ended;
        if (batch.failed()) {
          JsonObject error = batch.cause() instanceof PeerRuns.Gone ? PeerRuns.goneError((PeerRuns.Gone) batch.cause())
              : RunService.errorBody("ServerError", ApiException.of(batch.cause()).getMessage());
          if (error != null && modes.contains("run_modes")) {
            write(run.runId + ":error", "error", error.encode());
          }
          ended = true;
        } else {
          for (Object item : batch.result().getJsonArray("frames", new JsonArray())) {
            JsonArray frame = (JsonArray) item;
            run.after = frame.getLong(0);
            if (wanted(frame.getString(1))) {
              write(run.runId + ":" + frame.getLong(0), frame.getString(1), frame.getString(2));
            }
          }
          ended = batch.result().getBoolean("ended", false);
        }
        if (ended) {
          write(run.runId + ":done", "metadata", new JsonObject().put("status", "run_done")
              .put("run_id", run.runId).encode());
          current = null;
        }
        if (response.writeQueueFull()) {
          response.drainHandler(Confined.handler(home, drained -> pump()));
        } else {
          pump();
        }
      });
    }

    /** Whether an event of a run is one this stream's modes send ({@code lifecycle}: the run's start only). */
    private boolean wanted(String event) {
      return modes.contains("run_modes") || modes.contains("lifecycle") && "metadata".equals(event);
    }

    private void write(String id, String event, String data) {
      if (!response.closed() && !response.ended()) {
        response.write(io.vertx.core.buffer.Buffer.buffer(event.length() + data.length() + id.length() + 24)
            .appendString("event: ").appendString(event).appendString("\ndata: ").appendString(data)
            .appendString("\nid: ").appendString(id).appendString("\n\n"));
      }
    }
  }

  /** A run a stream has yet to finish sending, and the id of the last event of it sent. */
  private static final class Pending {
    final String runId;
    final RunRecord local;
    final StoredRun stored;
    long after;

    Pending(String runId, RunRecord local, StoredRun stored, long after) {
      this.runId = runId;
      this.local = local;
      this.stored = stored;
      this.after = after;
    }
  }

  /** As {@link PeerRuns#frames} for a run this server follows: waits for its next event when it has none yet. */
  private Future<JsonObject> localFrames(RunRecord run, long after) {
    List<Sse.Frame> frames = run.framesAfter(after, options.getStreamWriteQueueBytes());
    if (frames.isEmpty() && run.isActive()) {
      return run.nextChange().compose(changed -> localFrames(run, after));
    }
    JsonArray list = new JsonArray();
    frames.forEach(frame -> list.add(new JsonArray().add(frame.id()).add(frame.event()).add(frame.data())));
    long last = frames.isEmpty() ? after : frames.get(frames.size() - 1).id();
    return Future.succeededFuture(new JsonObject().put("frames", list)
        .put("ended", !run.isActive() && last >= run.nextEventId() - 1));
  }
}
