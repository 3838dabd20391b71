package io.graphloop.cli;

import io.graphloop.graph.CompiledGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code graphloop draw --graph NAME [--xray[=DEPTH]] [--json]}: prints a graph of the CLI's catalog
 * ({@link CliGraphs}) as the Mermaid flowchart text LangGraph 1.2.12's {@code get_graph(xray).draw_mermaid()} writes
 * for the same graph ({@link CompiledGraph#toMermaid(int)}), or with {@code --json} as LangGraph's
 * {@code get_graph(xray).to_json()}. Nothing is deployed or run.
 *
 * <p>{@code --xray} alone expands every level of subgraphs (LangGraph's {@code xray=True}); {@code --xray=N} expands
 * N levels. Runs on the CLI's main thread.
 */
@Command(name = "draw", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints a graph as Mermaid flowchart text, as LangGraph's get_graph().draw_mermaid() (paste it into "
        + "any Mermaid viewer), or with --json as get_graph().to_json().",
        "Exit status: 0 printed, 2 bad arguments (e.g. an unknown graph)."})
final class DrawCommand implements Callable<Integer> {

  /** The largest {@code --xray} depth accepted; deeper nesting than this is not a graph a person draws. */
  static final int MAX_XRAY = 100;

  @Option(names = "--graph", paramLabel = "NAME", required = true, description = "the graph to draw")
  String graph;

  @Option(names = "--xray", paramLabel = "DEPTH", arity = "0..1", fallbackValue = "-1",
      description = "draw subgraphs as nested blocks: DEPTH levels (default when given alone: all levels)")
  Integer xray;

  @Option(names = "--json", description = "print LangGraph's graph JSON (nodes and edges) instead of Mermaid")
  boolean json;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    int depth = xray == null ? 0 : xray;
    CompiledGraph compiled;
    try {
      if (depth != -1) {
        Cli.inRange("--xray", depth, 0, MAX_XRAY);
      }
      compiled = CliGraphs.catalog().graph(graph);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println(e.getMessage());
      return Cli.USAGE;
    }
    if (json) {
      spec.commandLine().getOut().println(compiled.drawing(depth).toJson().encodePrettily());
    } else {
      spec.commandLine().getOut().print(compiled.toMermaid(depth));
      spec.commandLine().getOut().flush();
    }
    return Cli.OK;
  }
}
