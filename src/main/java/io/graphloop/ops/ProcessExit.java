package io.graphloop.ops;

import java.util.function.IntSupplier;

/**
 * The exit status of a {@code serve} or {@code member} process stopped by SIGTERM (or Ctrl-C). The JVM ends such a
 * process with status 143 (128 + SIGTERM) whatever its shutdown hooks did; orchestrators read that as a failure. A hook
 * added here runs the graceful shutdown and then, when the command line asked for it ({@link #exitWithHookStatus},
 * called by {@code Main.main} only), ends the process with the hook's own status: 0 after a clean shutdown, 1 when
 * something did not close in time. An application that embeds Graphloop keeps the JVM's usual behaviour.
 *
 * <p>Thread rules: thread-safe; the hook runs on its own thread at JVM shutdown and may block (bounded by the
 * shutdown it runs).
 */
public final class ProcessExit {

  private static volatile boolean haltWithHookStatus;

  private ProcessExit() {
  }

  /** Makes hooks added with {@link #onShutdown} end the process with their status (the command line's choice). */
  public static void exitWithHookStatus() {
    haltWithHookStatus = true;
  }

  /**
   * Adds a JVM shutdown hook named {@code name} that runs {@code shutdown} (which returns an exit status) and, when
   * {@link #exitWithHookStatus} was called, halts the JVM with that status once it has flushed standard output and
   * error.
   */
  public static void onShutdown(String name, IntSupplier shutdown) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      int status = shutdown.getAsInt();
      if (haltWithHookStatus) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
      }
    }, name));
  }
}
