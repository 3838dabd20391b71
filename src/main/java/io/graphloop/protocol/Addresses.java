package io.graphloop.protocol;

/**
 * The event-bus addresses of a graph: {@code graphloop.<graph>.run} for runs, {@code graphloop.<graph>.threads} for
 * the state of its threads and {@code graphloop.<graph>.node.<name>} for each node. {@code <graph>} is the graph's
 * name, or for a subgraph deployed with its parent the name {@link #subgraph} gives it.
 *
 * <p>Stateless.
 */
public final class Addresses {

  private static final String PREFIX = "graphloop.";

  private Addresses() {
  }

  /**
   * The bus name of subgraph {@code child} deployed with the graph whose bus name is {@code parent}:
   * {@code <parent>/<child>}. A subgraph is deployed with each parent (its checkpoints live in that parent's store),
   * so two parents sharing one compiled subgraph must not share its addresses. A slash is not allowed in a graph's
   * name, so no graph deployed on its own has the same addresses.
   */
  public static String subgraph(String parent, String child) {
    return parent + "/" + child;
  }

  /** Where runs of {@code graph} are sent. */
  public static String run(String graph) {
    return PREFIX + graph + ".run";
  }

  /** Where cancellations of runs of {@code graph} are published (every coordinator hears them). */
  public static String cancel(String graph) {
    return PREFIX + graph + ".cancel";
  }

  /** The control address of one coordinator instance (stream credits, custom events of its runs). */
  public static String control(String graph, String coordinatorId) {
    return PREFIX + graph + ".control." + coordinatorId;
  }

  /** Where nodes send the results of one coordinator instance's requests. */
  public static String results(String graph, String coordinatorId) {
    return PREFIX + graph + ".results." + coordinatorId;
  }

  /**
   * Where requests about threads of {@code graph} (get, history, update of their state) are sent; every
   * coordinator instance answers.
   */
  public static String threads(String graph) {
    return PREFIX + graph + ".threads";
  }

  /**
   * Where the deletion of a thread's checkpoints is published, by thread retention or a thread delete, as
   * {@code {"threadId", "reason": "retention"|"delete"}}, so that servers drop their record of the thread. Not per
   * graph: retention sweeps a store, which graphs may share.
   */
  public static String threadDeleted() {
    return PREFIX + "threads.deleted";
  }

  /** Where executions of node {@code node} of {@code graph} are sent. */
  public static String node(String graph, String node) {
    return PREFIX + graph + ".node." + node;
  }

  /**
   * Where executions of node {@code node} of {@code graph} are sent to one cluster member, {@code member} (its
   * Vert.x cluster node id): a coordinator that routes a retry away from a member that failed the previous attempt
   * picks the member itself and sends here. Each member that hosts the node listens on its own such address.
   */
  public static String nodeOnMember(String graph, String node, String member) {
    return onMember(node(graph, node), member);
  }

  /** {@code nodeAddress}'s address on cluster member {@code member} (see {@link #nodeOnMember}). */
  public static String onMember(String nodeAddress, String member) {
    return nodeAddress + "@member." + member;
  }
}
