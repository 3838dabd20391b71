package io.graphloop.graph;

import java.util.Objects;

/**
 * One node of a compiled graph: its name, its position in declaration order (which is the order its
 * writes are applied in), its kind and code, and its options.
 *
 * <p>Immutable; the code objects are shared by every run and must themselves be safe to call
 * concurrently.
 *
 * @param name     the node's name, unique in the graph
 * @param index    the node's position in declaration order, from 0
 * @param kind     where the node runs
 * @param async    the code of an {@link NodeKind#ASYNC} node, else {@code null}
 * @param blocking the code of a {@link NodeKind#BLOCKING} or {@link NodeKind#VIRTUAL_THREAD} node, else
 *                 {@code null}
 * @param options  the node's options
 * @param subgraph the graph a {@link NodeKind#SUBGRAPH} node runs, else {@code null}
 */
public record NodeDefinition(String name, int index, NodeKind kind, AsyncNode async, BlockingNode blocking,
                             NodeOptions options, Subgraph subgraph) {

  public NodeDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(options, "options");
    options = new NodeOptions(options); // its own: the caller's object may change after the graph is compiled
    boolean codeMatches = kind == NodeKind.SUBGRAPH
        ? subgraph != null && async == null && blocking == null
        : subgraph == null && (kind == NodeKind.ASYNC) == (async != null) && (kind == NodeKind.ASYNC) == (blocking == null);
    if (!codeMatches) {
      throw new IllegalArgumentException("Node '" + name + "' of kind " + kind + " needs exactly its own code");
    }
  }

  /**
   * Whether this is a subgraph node whose child keeps checkpoints on the parent's thread (every
   * {@link Subgraph.Persistence} but {@code NONE}): a subgraph as LangGraph's {@code get_subgraphs} and
   * {@code StateSnapshot.tasks[].state} see one (a child compiled with {@code checkpointer=False} is none).
   */
  public boolean isCheckpointedSubgraph() {
    return subgraph != null && subgraph.persistence() != Subgraph.Persistence.NONE;
  }

  /** The node's own options, shared by every run (the engine's, through GraphInternals). */
  NodeOptions sharedOptions() {
    return options;
  }

  /** The node's options: a copy, since the compiled graph's own are shared by every run. */
  @Override
  public NodeOptions options() {
    return new NodeOptions(options);
  }
}
