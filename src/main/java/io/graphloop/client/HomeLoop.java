package io.graphloop.client;

import io.netty.util.concurrent.SingleThreadEventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.vertx.core.Handler;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The event loop a {@link GraphClient} sends its runs from when it is called off every event loop (from a plain
 * thread, e.g. {@code main}, or from a worker): the run is handed to this loop in one task and goes out from there
 * as a run sent on an event loop does (its outcome comes back to the loop's {@link ClientChannel} by correlation id,
 * to a coordinator on the same loop when there is one). A request sent from a plain thread the ordinary way costs a
 * fresh context, a reply consumer and a timer per run, and lands its reply on an arbitrary loop.
 *
 * <p><b>Lingering.</b> A caller blocked in {@code invokeAndWait} usually sends its next run a few microseconds after
 * its outcome. Waking a sleeping event loop for it (a write to its eventfd, then the OS scheduling the loop's thread)
 * costs more than the run itself; so after the loop hands an outcome to a blocked caller it queues one linger task,
 * which polls a hand-over slot for at most {@link #LINGER_NANOS} (system property {@code graphloop.client.lingerMicros},
 * default 20 us, 0 = never), stopping at once when other tasks are queued for the loop (then the loop is awake anyway:
 * a submission reaches it without a wake-up). A run it finds in the slot starts inside the linger task (no further
 * task). The linger runs behind the loop's queued tasks, not inside the outcome's callback: there it often found the
 * caller's next run already queued (the caller had seen the outcome first) and counted that best case as a miss,
 * which turned lingering off for the next 64 hand-overs (issue 17, measured with counters: most "misses" were that).
 * The slot protocol (caller: put the task, then read {@code lingering}; loop: clear {@code lingering}, then take the
 * slot) never strands a task: one of the two sides sees the other's write, and whoever takes the task out of the slot
 * runs or dispatches it.
 *
 * <p><b>Adaptive.</b> Spinning only pays while both threads have a core: on a machine with more runnable threads than
 * cores a spinning thread takes the core the other side needs (measured: 225k sequential runs/s on an idle 2-core
 * machine, under 10k with both sides spinning while other processes kept the cores busy). So each side (the
 * caller's spin, the loop's linger) has a {@link SpinRule}: misses in a row turn its spinning off for a back-off
 * window that grows while retries keep missing. A linger ended by other queued work is neither a hit nor a miss.
 *
 * <p><b>Batched hand-over.</b> Runs handed over while no caller lingers-waits go into one multi-producer queue
 * (Netty's chunked MPSC array queue: no node object per run), and the loop is given one task per batch, not one per
 * run: a caller that submits while a drain task is already scheduled only adds to the queue (no Vert.x task, no
 * lambda, no wake-up). The drain task runs at most {@link #BATCH} submissions (system property
 * {@code graphloop.client.homeBatch}, default 1024, at least 1), then yields the loop to its other tasks and schedules
 * itself again when more are queued. Measured (issue 17): 100,000 runs started from a plain thread cost one Vert.x
 * task and one lambda per run before. The queue holds only runs the client's {@code maxPendingRuns} admitted, which
 * bounds it.
 *
 * <p>The loop is picked once per client (round robin over the Vert.x instance's event loops) and kept, so one
 * caller's runs stay on warm caches. The context is made for the client and closed only with Vert.x.
 *
 * <p>Thread rules: {@link #execute} from any thread; the queued submissions run on the home loop, in the order they
 * were queued (a run taken from the slot runs in the linger task); {@link #linger} only on the home loop's thread
 * (elsewhere it does nothing); {@link #callerSpinNanos} and {@link #callerWaited} on the waiting callers' threads.
 */
final class HomeLoop {

  /** How long the loop polls for the next run of a blocked caller after handing it an outcome. */
  static final long LINGER_NANOS = TimeUnit.MICROSECONDS.toNanos(Math.max(0,
      Long.getLong("graphloop.client.lingerMicros", 20)));

  /** At most this many queued submissions run in one task of the home loop. */
  static final int BATCH = Math.max(1, Integer.getInteger("graphloop.client.homeBatch", 1024));

  private final Vertx vertx;
  private final AtomicReference<Runnable> slot = new AtomicReference<>();
  /** Submissions waiting for the home loop (any thread offers, the loop polls). */
  private final Queue<Runnable> submitted = PlatformDependent.newMpscQueue();
  /** Set while a drain task is scheduled or running: submitters then only offer. */
  private final AtomicBoolean draining = new AtomicBoolean();
  private final Handler<Void> drain = this::drain;
  private final Handler<Void> lingerTask = this::lingerNow;
  private final SpinRule callerSpins = new SpinRule();
  /** Confined to the home loop's thread (its fields are volatile for the caller side's sake only). */
  private final SpinRule lingers = new SpinRule();
  private volatile ContextInternal context;
  private volatile boolean lingering;

  HomeLoop(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The client's own event-loop context, created on first use. */
  ContextInternal context() {
    ContextInternal home = context;
    if (home == null) {
      synchronized (this) {
        home = context;
        if (home == null) {
          VertxInternal internal = (VertxInternal) vertx;
          home = internal.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
              .withEventLoop(internal.nettyEventLoopGroup().next()).build();
          context = home;
        }
      }
    }
    return home;
  }

  /** How long a blocked caller spins before it parks: {@code configured}, or 0 while its {@link SpinRule} backs off. */
  long callerSpinNanos(long configured) {
    return configured > 0 && callerSpins.shouldSpin() ? configured : 0;
  }

  /** After a blocked caller's wait: whether its spin (of {@code spunNanos}, 0 = none) ended empty. */
  void callerWaited(long spunNanos, boolean hadToPark) {
    if (spunNanos > 0) {
      callerSpins.spun(!hadToPark);
    }
  }

  /**
   * Runs {@code task} on the home context: through the slot when the loop lingers, else queued for the loop's next
   * batch (scheduling a drain task only when none is pending).
   */
  void execute(Runnable task) {
    ContextInternal home = context();
    if (lingering && slot.compareAndSet(null, task)) {
      if (lingering) {
        return; // the loop has not stopped lingering yet: it will take the task
      }
      Runnable stranded = slot.getAndSet(null); // it stopped: take a task back (ours or another caller's), if any
      if (stranded != null) {
        enqueue(home, stranded);
      }
      return;
    }
    enqueue(home, task);
  }

  /** Queues {@code task}; schedules a drain task unless one is already scheduled (it will see the task). */
  private void enqueue(ContextInternal home, Runnable task) {
    submitted.offer(task);
    if (!draining.get() && draining.compareAndSet(false, true)) {
      home.runOnContext(drain);
    }
  }

  /**
   * On the home loop: runs up to {@link #BATCH} queued submissions. Then either schedules itself again (more are
   * queued) or clears {@code draining} and checks once more, so a submission offered while the flag was still set is
   * never stranded (its submitter saw the flag set; this side sees its offer).
   */
  private void drain(Void ignored) {
    for (int i = 0; i < BATCH; i++) {
      Runnable task = submitted.poll();
      if (task == null) {
        draining.set(false);
        if (!submitted.isEmpty() && draining.compareAndSet(false, true)) {
          context.runOnContext(drain);
        }
        return;
      }
      try {
        task.run();
      } catch (RuntimeException e) {
        context.reportException(e); // one bad submission must not strand the ones queued behind it
      }
    }
    context.runOnContext(drain); // a full batch: let the loop's other tasks run before the next one
  }

  /** The linger's adaptive rule (for tests; confined to the home loop). */
  SpinRule lingerRule() {
    return lingers;
  }

  /** Submissions queued and not yet run (for tests). */
  int queued() {
    return submitted.size();
  }

  /**
   * On the home loop, after an outcome went to a blocked caller: queues one linger task behind the loop's queued work
   * ({@link #lingerNow}), unless lingering is off or backing off. Elsewhere it does nothing.
   */
  void linger() {
    ContextInternal home = context;
    if (LINGER_NANOS == 0 || home == null || !home.nettyEventLoop().inEventLoop()) {
      return;
    }
    if (!lingers.shouldSpin()) {
      return;
    }
    home.runOnContext(lingerTask);
  }

  /**
   * The linger task: unless other tasks are queued, polls the slot for up to {@link #LINGER_NANOS} and runs what it
   * finds (at most one task; its outcome lingers again).
   */
  void lingerNow(Void ignored) {
    SingleThreadEventExecutor loop = context.nettyEventLoop() instanceof SingleThreadEventExecutor
        ? (SingleThreadEventExecutor) context.nettyEventLoop() : null;
    if (loop != null && loop.pendingTasks() > 0) {
      return; // the loop has work: it is not going to sleep, so a submission reaches it without a wake-up
    }
    lingering = true;
    long start = System.nanoTime();
    Runnable task = null;
    try {
      while ((task = slot.getAndSet(null)) == null && System.nanoTime() - start < LINGER_NANOS
          && (loop == null || loop.pendingTasks() == 0)) {
        Thread.onSpinWait();
      }
    } finally {
      lingering = false;
    }
    if (task == null) {
      task = slot.getAndSet(null); // put there just before lingering ended
    }
    if (task == null) {
      if (loop == null || loop.pendingTasks() == 0) {
        lingers.spun(false); // empty for the whole linger; ended by other work, it says nothing about the caller
      }
      return;
    }
    lingers.spun(true);
    try {
      task.run();
    } catch (RuntimeException e) {
      context.reportException(e);
    }
  }
}
