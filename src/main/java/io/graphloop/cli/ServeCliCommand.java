package io.graphloop.cli;

import io.graphloop.server.ServeCommand;
import io.graphloop.server.ServeFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * {@code graphloop serve}: the command line's face of {@link ServeCommand}. Its options are {@link ServeFlags}, mixed
 * in (declared there once, so {@code serve --help} and {@link ServeCommand}'s own parsing cannot drift), and handed to
 * {@link ServeCommand#run(ServeFlags, io.graphloop.cluster.GraphCatalog, PrintStream, PrintStream)}.
 *
 * <p>Runs on the CLI's main thread; blocks until the server is stopped.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Serves graphs over HTTP with LangGraph Server's API (LangGraph's SDKs work unchanged); prints "
        + "'server ready http://HOST:PORT graphs=...' and runs until stopped.",
        "Exit status: 0 stopped, 1 the server could not start, 2 bad arguments or configuration."})
final class ServeCliCommand implements Callable<Integer> {

  @Mixin
  ServeFlags flags;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintStream out = new PrintStream(new WriterStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new WriterStream(spec.commandLine().getErr()), true, StandardCharsets.UTF_8);
    return ServeCommand.run(flags, CliGraphs.catalog(), out, err);
  }

  /** Bytes written to a PrintStream, passed on (as UTF-8) to picocli's writer. */
  private static final class WriterStream extends java.io.OutputStream {
    private final java.io.PrintWriter writer;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

    WriterStream(java.io.PrintWriter writer) {
      this.writer = writer;
    }

    @Override
    public synchronized void write(int b) {
      line.write(b);
      if (b == '\n') {
        flush();
      }
    }

    @Override
    public synchronized void flush() {
      writer.write(line.toString(StandardCharsets.UTF_8));
      writer.flush();
      line.reset();
    }
  }
}
