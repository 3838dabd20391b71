package io.graphloop.runtime;

import io.graphloop.errors.LimitReachedException;

import java.util.ArrayDeque;

/**
 * A node's concurrency limit across all runs and all instances of the node in one deployment ("at most 8
 * calls to the model API at once"): at most {@code maxConcurrency} executions hold a permit; up to
 * {@code maxQueued} more wait in a FIFO queue; beyond that, entry is refused at once, so load never piles
 * up without bound.
 *
 * <p>Thread-safe: shared by the node's verticle instances on several event loops; a short lock guards the
 * counters. Start callbacks run outside the lock, on the thread that freed the permit, so they must hop to
 * their own context themselves.
 */
final class NodeBulkhead {

  /** One execution's place: started now, or waiting until {@code start} is called. */
  static final class Ticket {
    private final Runnable start;
    private boolean started;
    private boolean cancelled;

    private Ticket(Runnable start, boolean started) {
      this.start = start;
      this.started = started;
    }

    /** Whether the execution got its permit at once (then the caller runs it; {@code start} is not called). */
    boolean startedNow() {
      return started && start == null;
    }
  }

  private final String graph;
  private final String node;
  private final int maxConcurrency;
  private final int maxQueued;
  private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
  private int running;

  NodeBulkhead(String graph, String node, int maxConcurrency, int maxQueued) {
    this.graph = graph;
    this.node = node;
    this.maxConcurrency = maxConcurrency;
    this.maxQueued = maxQueued;
  }

  /**
   * Takes a permit now, or queues {@code startLater} to be called when one frees.
   *
   * @throws LimitReachedException when the limit is reached and the queue is full
   */
  Ticket enter(Runnable startLater, String runId, int step) {
    synchronized (this) {
      if (running < maxConcurrency) {
        running++;
        return new Ticket(null, true);
      }
      if (queue.size() < maxQueued) {
        Ticket ticket = new Ticket(startLater, false);
        queue.add(ticket);
        return ticket;
      }
    }
    throw new LimitReachedException("Node '" + node + "' of graph '" + graph + "' reached its concurrency limit: "
        + maxConcurrency + " executions running and " + maxQueued + " waiting (maxConcurrency " + maxConcurrency
        + ", maxQueued " + maxQueued + "). The execution was refused rather than queued without bound; raise "
        + "NodeOptions.maxConcurrency/maxQueued, or give the node a retry policy to try again later.",
        graph, runId, step, node, "maxConcurrency", maxConcurrency);
  }

  /** Gives up a queued ticket (e.g. its execution timed out while waiting); no effect once started. */
  void cancel(Ticket ticket) {
    synchronized (this) {
      if (!ticket.started) {
        ticket.cancelled = true;
        queue.remove(ticket);
      }
    }
  }

  /** Returns a permit; the oldest waiting execution, if any, takes it over. */
  void leave() {
    Ticket next;
    synchronized (this) {
      do {
        next = queue.poll();
      } while (next != null && next.cancelled);
      if (next == null) {
        running--;
      } else {
        next.started = true;
      }
    }
    if (next != null) {
      next.start.run();
    }
  }

  /** Executions holding a permit now. */
  synchronized int running() {
    return running;
  }

  /** Executions waiting now. */
  synchronized int queued() {
    return queue.size();
  }
}
