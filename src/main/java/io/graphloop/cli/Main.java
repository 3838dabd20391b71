package io.graphloop.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The {@code graphloop} command: {@code java -jar graphloop.jar <command>}, on picocli. Each command has
 * {@code --help}; {@code help <command>} prints the same.
 *
 * <ul>
 *   <li>{@code demo}: runs the seed demonstration ({@link DemoCommand}).</li>
 *   <li>{@code run}: runs a named graph once, here or on a cluster, and prints its final state ({@link RunCommand}).</li>
 *   <li>{@code member}: starts a member of a cluster (coordinator, worker or both) for named graphs
 *       ({@link MemberCommand}).</li>
 *   <li>{@code serve}: serves graphs over HTTP with LangGraph Server's API ({@link ServeCliCommand}).</li>
 *   <li>{@code draw}: prints a graph as Mermaid text, as LangGraph's {@code draw_mermaid()} ({@link DrawCommand}).</li>
 *   <li>{@code config}: prints the effective configuration ({@link ConfigCommand}).</li>
 *   <li>{@code fake-model}: a scripted stand-in for an LLM, for the {@code agent} example ({@link FakeModelCommand}).</li>
 *   <li>{@code cds}: records the class-data-sharing archive that makes members start faster ({@link CdsCommand}).</li>
 * </ul>
 *
 * <p>Exit status: 0 success, 1 the command failed while running, 2 bad arguments or configuration (nothing started).
 * Runs on the main thread, which is not a Vert.x thread, so it may wait for results.
 */
@Command(name = "graphloop", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "LangGraph-style state graphs as actors on the Vert.x event bus.",
    subcommands = {DemoCommand.class, RunCommand.class, MemberCommand.class, ServeCliCommand.class,
        DrawCommand.class, ConfigCommand.class, FakeModelCommand.class, CdsCommand.class, HelpCommand.class},
    footer = {"", "Exit status: 0 success, 1 the command failed while running, 2 bad arguments or configuration.",
        "Graphs: the example graphs (seed, chain, ...) and those of GraphProvider services on the classpath."})
public final class Main implements Runnable {

  @Spec
  CommandSpec spec;

  public static void main(String[] args) {
    io.graphloop.ops.ProcessExit.exitWithHookStatus(); // serve/member stopped by SIGTERM exit 0 after a clean drain
    Cli.detectTerminal();
    int status = run(args, System.out, System.err);
    System.exit(status);
  }

  /** Without a command: the usage, exit status 0. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command in {@code args}; returns the process exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    return commandLine(out, err).execute(args);
  }

  /** The command tree writing to {@code out} and {@code err}: usage errors exit 2, a failure inside a command 1. */
  static CommandLine commandLine(PrintStream out, PrintStream err) {
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cli.setParameterExceptionHandler(Main::usageError);
    cli.setExecutionExceptionHandler((e, command, parsed) -> {
      command.getErr().println(command.getCommandName() + " failed: " + e);
      return Cli.FAILED;
    });
    return cli;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    if (e instanceof UnmatchedArgumentException && command.getParent() == null
        && !((UnmatchedArgumentException) e).getUnmatched().isEmpty()
        && !((UnmatchedArgumentException) e).getUnmatched().get(0).startsWith("-")) {
      err.println("Unknown command '" + ((UnmatchedArgumentException) e).getUnmatched().get(0) + "'.");
    } else {
      err.println(e.getMessage());
    }
    command.usage(err);
    return Cli.USAGE;
  }

  /** The version line of {@code --version}: the jar's implementation version when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"graphloop " + (version == null ? "(development build)" : version)};
    }
  }
}
