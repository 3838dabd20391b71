package io.graphloop.server;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The threads and runs the server knows, bounded: at most {@code maxThreads} threads (more are refused with 503)
 * and {@code maxRuns} runs (the oldest ended run is forgotten to make room; when every kept run is still active a
 * new one is refused with 503). Each record has an owner when auth is on: another user's record is "not found"
 * (404), as in LangGraph's custom-auth model.
 *
 * <p>With a shared {@link ThreadStore} (servers on one durable checkpoint store), the stored thread records are the
 * truth: this registry keeps copies of the threads it serves now ({@link #changed} saves a copy; when
 * {@code maxThreads} copies are kept, the oldest one with no active run is dropped to make room, as it stays stored).
 *
 * <p>A stateless run (no thread) is kept only while it is active, in a concurrent map: nothing can read an ended
 * one (no route names a stateless run but {@code POST /runs/cancel} by status, which cancels active runs), and it
 * belongs to the HTTP loop that created it ({@link Confined}), so the loops start them without asking the home
 * context. {@code maxRuns} bounds the runs on threads kept plus the stateless runs active (their count is atomic: a
 * stateless run is refused, 503, when the bound is reached; a run on a thread first forgets the oldest ended one).
 *
 * <p>Thread rules: confined to the server verticle's context (its home), except {@link #addRun}, {@link #forgetRun},
 * {@link #removeRun} and {@link #localRun} of a stateless run, which any context may call.
 */
final class Registry {

  private static final System.Logger LOG = System.getLogger("io.graphloop.server.Registry");

  private final int maxThreads;
  private final int maxRuns;
  private final ThreadStore shared;
  /** This server's event-bus address for other servers ({@link PeerRuns}), stored with its runs. */
  private final String origin;
  private final Map<String, ThreadRecord> threads = new LinkedHashMap<>();
  private final Map<String, RunRecord> runs = new LinkedHashMap<>();
  private final Map<String, Set<String>> runsByThread = new LinkedHashMap<>();
  /** The stateless runs still active, each confined to the loop that created it. */
  private final java.util.concurrent.ConcurrentHashMap<String, RunRecord> stateless =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** How many stateless runs are active (reserved before they are put in {@link #stateless}). */
  private final java.util.concurrent.atomic.AtomicInteger statelessCount = new java.util.concurrent.atomic.AtomicInteger();
  /** {@code runs.size()}, for the loops' bound check. */
  private volatile int keptRuns;

  Registry(int maxThreads, int maxRuns) {
    this(maxThreads, maxRuns, null);
  }

  /** @param shared the thread records servers share, or {@code null} when this server keeps its own */
  Registry(int maxThreads, int maxRuns, ThreadStore shared) {
    this(maxThreads, maxRuns, shared, null);
  }

  /**
   * @param shared the thread and run records servers share, or {@code null} when this server keeps its own
   * @param origin this server's event-bus address for the others ({@link PeerRuns}), stored with its runs
   */
  Registry(int maxThreads, int maxRuns, ThreadStore shared, String origin) {
    this.maxThreads = maxThreads;
    this.maxRuns = maxRuns;
    this.shared = shared;
    this.origin = origin;
  }

  /** This server's event-bus address for the others, or {@code null}. */
  String origin() {
    return origin;
  }

  /**
   * Saves run {@code run} (its status and outcome as they are now) to the shared records after its earlier saves, if
   * servers share them and the run is on a thread; a failed save is logged and the future still succeeds.
   */
  Future<Void> saveRun(RunRecord run) {
    if (shared == null || run.threadId == null || run.removed) {
      return run.saving;
    }
    StoredRun snapshot = run.stored(origin);
    run.saving = run.saving.transform(before -> shared.saveRun(snapshot)).recover(failure -> {
      LOG.log(System.Logger.Level.WARNING, "Could not save run '" + run.runId + "' to the shared records: "
          + failure.getMessage(), failure);
      return Future.succeededFuture();
    });
    return run.saving;
  }

  /** When every save of the runs of {@code threadId} this server keeps has ended; never fails. */
  Future<Void> runsSaved(String threadId) {
    List<Future<Void>> saves = new ArrayList<>();
    runsOf(threadId).forEach(run -> saves.add(run.saving));
    return Future.join(saves).transform(all -> Future.succeededFuture());
  }

  /** Run {@code runId} if this server keeps it, whoever owns it, or {@code null}. */
  RunRecord localRun(String runId) {
    RunRecord run = runs.get(runId);
    return run != null ? run : stateless.get(runId);
  }

  /** Forgets run {@code run} here only (its stored record is gone already). */
  void forgetRun(RunRecord run) {
    if (run.threadId == null) {
      if (stateless.remove(run.runId, run)) {
        statelessCount.decrementAndGet();
      }
      return;
    }
    runs.remove(run.runId);
    keptRuns = runs.size();
    if (run.threadId != null && runsByThread.containsKey(run.threadId)) {
      runsByThread.get(run.threadId).remove(run.runId);
    }
  }

  /** The thread records servers share, or {@code null} when this server keeps its own. */
  ThreadStore shared() {
    return shared;
  }

  /** Marks {@code thread} updated now and saves it to the shared store (if any); the future of that save. */
  Future<Void> changed(ThreadRecord thread) {
    thread.touch();
    return save(thread);
  }

  /**
   * Saves {@code thread} to the shared store after its earlier saves (a snapshot taken now); a failed save is logged
   * and the future still succeeds (the record then lives on this server only until saved again).
   */
  Future<Void> save(ThreadRecord thread) {
    if (shared == null || thread.removed) {
      return thread.saving;
    }
    ThreadRecord snapshot = snapshot(thread);
    thread.saving = thread.saving.transform(before -> shared.save(snapshot)).recover(failure -> {
      LOG.log(System.Logger.Level.WARNING, "Could not save thread '" + thread.threadId + "' to the shared thread "
          + "records: " + failure.getMessage(), failure);
      return Future.succeededFuture();
    });
    return thread.saving;
  }

  /** When every save of thread {@code threadId} begun so far has ended (at once when there is none); never fails. */
  Future<Void> saved(String threadId) {
    ThreadRecord thread = threadId == null ? null : threads.get(threadId);
    return thread == null ? Future.succeededFuture() : thread.saving;
  }

  /** A copy of {@code thread}'s stored fields as they are now. */
  static ThreadRecord snapshot(ThreadRecord thread) {
    ThreadRecord copy = new ThreadRecord(thread.threadId, thread.owner, thread.metadata.copy(), thread.createdAt);
    copy.graphId = thread.graphId;
    copy.status = thread.status;
    copy.updatedAt = thread.updatedAt;
    copy.values = thread.values.copy();
    copy.interrupts = List.copyOf(thread.interrupts);
    return copy;
  }

  /** Keeps {@code stored} (a record read from the shared store), or refreshes the copy already kept. */
  ThreadRecord keep(ThreadRecord stored) {
    ThreadRecord kept = threads.get(stored.threadId);
    if (kept != null) {
      kept.refresh(stored);
      return kept;
    }
    makeRoom();
    threads.put(stored.threadId, stored);
    return stored;
  }

  /** Whether {@code user} may see a record owned by {@code owner} ({@code null}: no auth, or no owner). */
  static boolean visible(String owner, String user) {
    return owner == null || Objects.equals(owner, user);
  }

  /** Thread {@code threadId} as {@code user} sees it, or {@code null}. */
  ThreadRecord thread(String threadId, String user) {
    ThreadRecord thread = threads.get(threadId);
    return thread != null && visible(thread.owner, user) ? thread : null;
  }

  /** Thread {@code threadId} as {@code user} sees it; 404 otherwise. */
  ThreadRecord requireThread(String threadId, String user) {
    ThreadRecord thread = thread(threadId, user);
    if (thread == null) {
      throw ApiException.notFound("Thread '" + threadId + "'");
    }
    return thread;
  }

  /**
   * Succeeds when thread {@code threadId} is one {@code user} sees, kept here or (with shared records) stored; else
   * fails with 404 (or 503 when the shared records cannot be read).
   */
  Future<Void> findThread(String threadId, String user) {
    if (thread(threadId, user) != null) {
      return Future.succeededFuture();
    }
    Future<Boolean> stored = shared == null ? Future.succeededFuture(false) : shared.get(threadId)
        .recover(failure -> Future.failedFuture(new ApiException(503, "The shared thread records could not be read: "
            + failure.getMessage())))
        .map(record -> record != null && visible(record.owner, user));
    return stored.compose(visible -> visible ? Future.<Void>succeededFuture()
        : Future.failedFuture(ApiException.notFound("Thread '" + threadId + "'")));
  }

  /** Thread {@code threadId} whoever owns it, or {@code null}. */
  ThreadRecord anyThread(String threadId) {
    return threads.get(threadId);
  }

  /** Whether a thread of this id exists, whoever owns it. */
  boolean threadExists(String threadId) {
    return threads.containsKey(threadId);
  }

  ThreadRecord addThread(String threadId, String user, JsonObject metadata) {
    makeRoom();
    ThreadRecord thread = new ThreadRecord(threadId, user, metadata);
    threads.put(threadId, thread);
    return thread;
  }

  /** Makes room for one more record: drops the oldest idle copy when shared; else 503 when full. */
  private void makeRoom() {
    if (threads.size() < maxThreads) {
      return;
    }
    if (shared != null) {
      Iterator<ThreadRecord> oldest = threads.values().iterator();
      while (oldest.hasNext()) {
        ThreadRecord candidate = oldest.next();
        if (candidate.activeRuns == 0 && activeRunsOf(candidate.threadId).isEmpty()
            && candidate.saving.isComplete()) {
          oldest.remove();
          return;
        }
      }
    }
    throw new ApiException(503, "The server keeps at most " + maxThreads + " threads (ServerOptions.maxThreads)"
        + (shared == null ? "" : ", each with a run in flight") + "; delete threads you no longer need, or raise "
        + "the limit.");
  }

  /** Forgets thread {@code threadId} and its runs here (not in the shared store: see {@link #delete}). */
  void removeThread(String threadId) {
    ThreadRecord thread = threads.remove(threadId);
    if (thread != null) {
      thread.removed = true;
    }
    Set<String> ids = runsByThread.remove(threadId);
    if (ids != null) {
      ids.forEach(runs::remove);
      keptRuns = runs.size();
    }
  }

  /** Deletes {@code thread} from the shared store (after its saves) and forgets it here. */
  Future<Void> delete(ThreadRecord thread) {
    removeThread(thread.threadId);
    if (shared == null) {
      return Future.succeededFuture();
    }
    return thread.saving.compose(saved -> shared.delete(thread.threadId));
  }

  List<ThreadRecord> threads(String user) {
    List<ThreadRecord> list = new ArrayList<>();
    for (ThreadRecord thread : threads.values()) {
      if (visible(thread.owner, user)) {
        list.add(thread);
      }
    }
    return list;
  }

  /** Run {@code runId} of thread {@code threadId} ({@code null}: a stateless run) as {@code user} sees it; else 404. */
  RunRecord requireRun(String threadId, String runId, String user) {
    RunRecord run = runs.get(runId);
    if (run == null || !Objects.equals(run.threadId, threadId) || !visible(run.owner, user)) {
      throw ApiException.notFound("Run '" + runId + "'" + (threadId == null ? "" : " of thread '" + threadId + "'"));
    }
    return run;
  }

  /**
   * Keeps {@code run}: a run on a thread (on the home context) forgetting the oldest ended run when full; a stateless
   * run (on any context) while it is active. 503 when every kept run is active and the bound is reached.
   */
  void addRun(RunRecord run) {
    if (run.threadId == null) {
      if (statelessCount.incrementAndGet() + keptRuns > maxRuns) {
        statelessCount.decrementAndGet();
        throw new ApiException(503, "The server already has " + maxRuns + " runs in flight "
            + "(ServerOptions.maxRuns); retry later.");
      }
      stateless.put(run.runId, run);
      run.done().onComplete(ended -> forgetRun(run));
      return;
    }
    if (runs.size() + statelessCount.get() >= maxRuns) {
      Iterator<RunRecord> oldest = runs.values().iterator();
      boolean removed = false;
      while (oldest.hasNext()) {
        RunRecord candidate = oldest.next();
        if (!candidate.isActive()) {
          oldest.remove();
          if (candidate.threadId != null && runsByThread.containsKey(candidate.threadId)) {
            runsByThread.get(candidate.threadId).remove(candidate.runId);
          }
          removed = true;
          break;
        }
      }
      if (!removed) {
        throw new ApiException(503, "The server already has " + maxRuns + " runs in flight "
            + "(ServerOptions.maxRuns); retry later.");
      }
    }
    runs.put(run.runId, run);
    keptRuns = runs.size();
    runsByThread.computeIfAbsent(run.threadId, id -> new LinkedHashSet<>()).add(run.runId);
  }

  /** Deletes {@code run}: forgotten here and, after its saves, deleted from the shared records; never fails. */
  Future<Void> removeRun(RunRecord run) {
    forgetRun(run);
    if (shared == null || run.threadId == null || run.removed) {
      return Future.succeededFuture();
    }
    run.removed = true;
    return run.saving.compose(saved -> shared.deleteRun(run.runId)).recover(failure -> {
      LOG.log(System.Logger.Level.WARNING, "Could not delete run '" + run.runId + "' from the shared records: "
          + failure.getMessage(), failure);
      return Future.succeededFuture();
    });
  }

  /** The runs of thread {@code threadId}, oldest first. */
  List<RunRecord> runsOf(String threadId) {
    List<RunRecord> list = new ArrayList<>();
    Set<String> ids = runsByThread.get(threadId);
    if (ids != null) {
      ids.forEach(id -> list.add(runs.get(id)));
    }
    return list;
  }

  /** Every run (on a thread, oldest first, then the stateless ones) that has not ended. */
  List<RunRecord> activeRuns() {
    List<RunRecord> list = new ArrayList<>();
    for (RunRecord run : runs.values()) {
      if (run.isActive()) {
        list.add(run);
      }
    }
    for (RunRecord run : stateless.values()) {
      if (run.isActive()) {
        list.add(run);
      }
    }
    return list;
  }

  /** The runs of thread {@code threadId} that have not ended, oldest first. */
  List<RunRecord> activeRunsOf(String threadId) {
    List<RunRecord> list = new ArrayList<>();
    for (RunRecord run : runsOf(threadId)) {
      if (run.isActive()) {
        list.add(run);
      }
    }
    return list;
  }
}
