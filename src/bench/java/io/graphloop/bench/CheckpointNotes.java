package io.graphloop.bench;

import java.util.List;

/**
 * The report's notes on the checkpointed chain: how it is measured, and why the default durability is what it is
 * (the numbers quoted are those measured when the default was chosen; the table shows each run's own).
 */
final class CheckpointNotes {

  private CheckpointNotes() {
  }

  static List<String> notes() {
    return List.of(
        "checkpointed chain 100: chain 100 run on a thread with a checkpoint store, so each run stores its input "
            + "checkpoint and one checkpoint per step (101 incremental saves: the changed `count` blob and a row); "
            + "runs one after another, each on a thread of its own, deleted after the run (untimed) so the store "
            + "stays small. Stores: memory; SQLite in a temporary directory (WAL, synchronous=FULL: each commit is "
            + "fsync'd); PostgreSQL: a throwaway local server started by the harness (initdb; fsync and "
            + "synchronous_commit on; TCP on 127.0.0.1; \"not available\" without server binaries). Durability "
            + "modes: `sync` (a step's checkpoint is stored before the next step starts), `async` (stored while the "
            + "next step runs, at most 8 saves outstanding, all flushed before the run answers), `exit` (only the "
            + "run's last state, when it ends). \"1 ms nodes\": blocking nodes that sleep 1 ms on a worker thread, "
            + "standing in for real work (not a Vert.x timer: the JDK selector waits in whole milliseconds, so an "
            + "event loop woken in the middle of a 1 ms timer fires it up to 1 ms late, hiding the overlap "
            + "measured). LangGraph4j is measured on the memory row with its MemorySaver (released after each run, "
            + "untimed); langgraph4j-core has no SQLite or PostgreSQL saver and no durability modes.",
        DURABLE_STEPS, DURABILITY_DEFAULT);
  }

  /** How the durable-steps rows (issue 18) are measured. */
  static final String DURABLE_STEPS = "durable steps (DurableStepsWorkload): 10,000 threads in flight at once (also 100 "
      + "and 1,000, group commit on, rows durableSteps<Store>100/1000), each "
      + "running a chain of 10 nodes that each wait 10 ms on a Vert.x timer (non-blocking), durability `sync`, run after "
      + "run on the same thread, so about 10,000 saves are always waiting (the threads' first runs staggered over one "
      + "run's duration at the 20,000 steps/s target, 5 s for 10,000 threads; then a warm-up until the windows settle: "
      + "see DurablePhases and the details' durable-steps windows, each printed with its rate and saves per commit; "
      + "the table is the median of the measured windows after it); one store, group commit on (maxBatchSize "
      + "512, the default) or off (maxBatchSize 1). A step is one node: its latency runs from the node's start to the "
      + "next node's start (the last: to the run's result), i.e. the 10 ms wait, the step's checkpoint made durable "
      + "(sync) and the next dispatch; durable steps/s counts the steps so completed per second. The bound is the "
      + "disk's commit rate (CommitProbe: one writer committing one small row per transaction for 3 s before the "
      + "load, same store settings) times the saves per transaction measured in the same iteration, in steps. Each "
      + "step saves its checkpoint; the store's saves also hold the runs' input checkpoints. PostgreSQL: pool "
      + "maxWaitQueueSize 100,000 (each run's start reads its thread's head and channels through the pool; the default "
      + "1,024 refuses 10,000 runs starting at once); the group commit's writer has connections of its own "
      + "(writerConnections, default 2). PostgreSQL's server (a throwaway local one, fsync, synchronous_commit and "
      + "full_page_writes on) runs with production-like settings for this 24 GiB machine in durableStepsPostgres "
      + "(BenchPostgres.PRODUCTION: shared_buffers 6GB, max_wal_size 8GB, min_wal_size 2GB, checkpoint_timeout 15min; "
      + "each row's details print them) and with PostgreSQL's defaults in durableStepsPostgresDefaults (shared_buffers "
      + "128MB, max_wal_size 1GB: a server checkpoint every 20-25 s of such a row, and tables larger than its buffers; "
      + "BENCHMARKS.md, issue 18). Statements per save: the store writer's statement executions (a batch "
      + "statement's rows count one each) per committed save; CPU per step: the process's CPU time (all threads) "
      + "per durable step. Both depend little on the machine's load, unlike steps/s.";

  /** Why {@code RunOptions.DEFAULT_DURABILITY} is what it is; kept in step with the README's durability paragraph. */
  static final String DURABILITY_DEFAULT = "Default durability: async (`RunOptions.DEFAULT_DURABILITY`, as in "
      + "LangGraph), chosen by measurement: the checkpointed chain rows as measured when the default was chosen "
      + "(2026-11-21, this 2-core machine, load average below 1). With trivial nodes the store's own rate bounds "
      + "sync and async alike (SQLite 191 vs 183 us per step, PostgreSQL 370 vs 374 us; exit, one save per run, "
      + "3.5 and 5.9 us; memory 3.2 us): async costs nothing there. With nodes that do 1 ms of work, async hides "
      + "most of each save behind the next step: SQLite 1,193 us per step against 1,381 us for sync and 1,121 us "
      + "for exit (no checkpoint during the run), PostgreSQL 1,185 against 1,483 and 1,130; sync adds 260-350 us "
      + "per step to the nodes' time, async 55-70 us. What sync buys over async is small: both store every step "
      + "and answer only after everything is stored; a crash re-runs the step in flight under sync and up to the "
      + "last 8 unsaved steps under async (re-running a node is possible either way). So async is the default; "
      + "sync is for nodes with side effects that must not repeat, exit for short runs that a crash may simply "
      + "restart.";
}
