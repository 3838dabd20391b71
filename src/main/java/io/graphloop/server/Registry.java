package io.graphloop.server;

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
 * <p>Thread rules: confined to the server verticle's context.
 */
final class Registry {

  private final int maxThreads;
  private final int maxRuns;
  private final Map<String, ThreadRecord> threads = new LinkedHashMap<>();
  private final Map<String, RunRecord> runs = new LinkedHashMap<>();
  private final Map<String, Set<String>> runsByThread = new LinkedHashMap<>();

  Registry(int maxThreads, int maxRuns) {
    this.maxThreads = maxThreads;
    this.maxRuns = maxRuns;
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

  /** Whether a thread of this id exists, whoever owns it. */
  boolean threadExists(String threadId) {
    return threads.containsKey(threadId);
  }

  ThreadRecord addThread(String threadId, String user, JsonObject metadata) {
    if (threads.size() >= maxThreads) {
      throw new ApiException(503, "The server keeps at most " + maxThreads + " threads (ServerOptions.maxThreads); "
          + "delete threads you no longer need, or raise the limit.");
    }
    ThreadRecord thread = new ThreadRecord(threadId, user, metadata);
    threads.put(threadId, thread);
    return thread;
  }

  void removeThread(String threadId) {
    threads.remove(threadId);
    Set<String> ids = runsByThread.remove(threadId);
    if (ids != null) {
      ids.forEach(runs::remove);
    }
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

  /** Keeps {@code run}, forgetting the oldest ended run when full. */
  void addRun(RunRecord run) {
    if (runs.size() >= maxRuns) {
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
    if (run.threadId != null) {
      runsByThread.computeIfAbsent(run.threadId, id -> new LinkedHashSet<>()).add(run.runId);
    }
  }

  void removeRun(RunRecord run) {
    runs.remove(run.runId);
    if (run.threadId != null && runsByThread.containsKey(run.threadId)) {
      runsByThread.get(run.threadId).remove(run.runId);
    }
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
