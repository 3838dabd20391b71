package io.graphloop.cli;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Future;

/**
 * Helpers the commands share: parsing a command's arguments into its picocli object, option values checked with a
 * message that names the option, and a bounded wait for a future.
 *
 * <p>Stateless; used from the CLI's main thread (never an event loop: {@link #await} blocks).
 */
final class Cli {

  /** Exit status of a command that did its job. */
  static final int OK = 0;
  /** Exit status of a command that failed while running (a run that failed, a member that could not start). */
  static final int FAILED = 1;
  /** Exit status of a command given bad arguments or configuration (nothing was started). */
  static final int USAGE = 2;

  /** Set by {@link Main#main} when the process's stderr is (most likely) a terminal. */
  private static volatile boolean terminal;

  private Cli() {
  }

  /** Records whether the process writes to a terminal ({@code System.console()} and a {@code TERM} that is not dumb). */
  static void detectTerminal() {
    String term = System.getenv("TERM");
    terminal = System.console() != null && term != null && !term.isBlank() && !"dumb".equals(term);
  }

  /** Whether {@link #detectTerminal} found a terminal; false when the CLI runs inside another program (tests). */
  static boolean stderrIsTerminal() {
    return terminal;
  }

  /**
   * Parses {@code args} into {@code command}'s options.
   *
   * @throws IllegalArgumentException with picocli's message (unknown option, missing value, option given twice ...)
   */
  static <T> T parse(T command, String[] args) {
    try {
      new CommandLine(command).parseArgs(args);
      return command;
    } catch (ParameterException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** The option's comma-separated list (items trimmed, none empty), or {@code null} when not given. */
  static List<String> list(String option, String value) {
    if (value == null) {
      return null;
    }
    List<String> items = new ArrayList<>();
    for (String item : value.split(",", -1)) {
      if (item.isBlank()) {
        throw new IllegalArgumentException("Option " + option + " takes a comma-separated list without empty items, "
            + "e.g. a,b; was '" + value + "'.");
      }
      items.add(item.trim());
    }
    return items;
  }

  /** {@code value} when in {@code [min, max]}. */
  static long inRange(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("Option " + option + " takes a whole number from " + min + " to " + max
          + ", was '" + value + "'.");
    }
    return value;
  }

  /** Waits on the calling (plain) thread for {@code future}, at most {@code seconds}. */
  static <T> T await(Future<T> future, long seconds, String what) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException ? (RuntimeException) cause
          : new IllegalStateException("Could not " + what + ": " + cause, cause);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Could not " + what + " within " + seconds + " s.");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting to " + what + ".");
    }
  }
}
