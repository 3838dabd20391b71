package io.graphloop.runtime;

import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.NodeReply;

import io.graphloop.internal.engine.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The join point of one superstep: each task's reply or failure, by task index, and a countdown that hands the step
 * to {@code whenAll} once every task has settled, failures included (a failure does not cut the others short, as
 * {@code Future.join}). Arrays and a counter, where a promise per task and a composite future took about ten objects
 * per step.
 *
 * <p>Thread rules: confined to the run's coordinator event loop.
 */
final class StepReplies {

  private final NodeReply[] replies;
  private final GraphloopException[] failures;
  private final boolean[] settled;
  private final Consumer<StepReplies> whenAll;
  private int remaining;
  /** The error-handler tasks that ran in place of failed tasks, by task index; null until one does. */
  private Task[] handlers;

  StepReplies(int tasks, Consumer<StepReplies> whenAll) {
    this.replies = new NodeReply[tasks];
    this.failures = new GraphloopException[tasks];
    this.settled = new boolean[tasks];
    this.whenAll = whenAll;
    this.remaining = tasks;
  }

  /** How many tasks the step has. */
  int size() {
    return replies.length;
  }

  /** Records task {@code index}'s outcome (the first one counts); the last one hands the step on. */
  void settle(int index, NodeReply reply, GraphloopException failure) {
    if (settled[index]) {
      return;
    }
    settled[index] = true;
    replies[index] = reply;
    failures[index] = failure;
    if (--remaining == 0) {
      whenAll.accept(this);
    }
  }

  /**
   * Records that task {@code index} failed and its error handler's task {@code handler} runs in its place: its reply
   * or failure is the handler's, and the step applies it as the handler node's ({@link #tasks}).
   */
  void handledBy(int index, Task handler) {
    if (handlers == null) {
      handlers = new Task[replies.length];
    }
    handlers[index] = handler;
  }

  /** The error handler's task that runs in place of task {@code index}, or null. */
  Task handler(int index) {
    return handlers == null ? null : handlers[index];
  }

  /** The step's tasks as they ran: {@code planned}, with each failed task an error handler ran for replaced by it. */
  List<Task> tasks(List<Task> planned) {
    if (handlers == null) {
      return planned;
    }
    List<Task> ran = new ArrayList<>(planned);
    for (int i = 0; i < handlers.length; i++) {
      if (handlers[i] != null) {
        ran.set(i, handlers[i]);
      }
    }
    return ran;
  }

  /** Task {@code index}'s reply, or {@code null} when it failed. */
  NodeReply reply(int index) {
    return replies[index];
  }

  /** Task {@code index}'s failure, or {@code null} when it succeeded. */
  GraphloopException failure(int index) {
    return failures[index];
  }
}
