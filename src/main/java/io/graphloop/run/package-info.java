/**
 * What a caller gives and gets for one run (API): {@link io.graphloop.run.RunOptions} (thread, checkpoint,
 * limits, durability, multitask strategy), {@link io.graphloop.run.RunResult} (the final state and status),
 * {@link io.graphloop.run.StreamEvent} and {@link io.graphloop.run.StreamMode} (what a streamed run emits) and
 * {@link io.graphloop.run.ThreadState} (a thread's state at a checkpoint).
 *
 * <p>All types here are immutable values, safe to share between threads and event loops. Their event-bus
 * codecs live in {@code io.graphloop.protocol} (wire only, not API).
 */
package io.graphloop.run;
