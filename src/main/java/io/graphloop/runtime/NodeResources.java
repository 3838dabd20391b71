package io.graphloop.runtime;

/**
 * What the instances of one node share within a deployment: its concurrency limit (or {@code null}), the
 * deployment's HTTP clients and metrics, and the threshold for blocked-event-loop reports.
 *
 * <p>Immutable holder of thread-safe parts.
 *
 * @param graph                  the graph the node belongs to
 * @param busName                the graph's name in its event-bus addresses ({@code GraphRuntime.busName()}); a
 *                               subgraph node's child runs go to {@code Addresses.subgraph(busName, child)}
 * @param bulkhead               the node's concurrency limit, {@code null} when unlimited
 * @param httpClients            the deployment's HTTP clients
 * @param metrics                the deployment's counters
 * @param blockedNodeThresholdMs how long an async node may hold its event loop before it is reported
 * @param counters               the node's counters in {@code metrics} (looked up once, not per execution)
 * @param maxPendingEmits        custom events of one execution on their way to the coordinator ({@link EmitWindow})
 * @param store                  the deployment's long-term store, {@code null} when none was configured
 */
record NodeResources(io.graphloop.graph.CompiledGraph graph, String busName, NodeBulkhead bulkhead,
                     HttpClients httpClients, RuntimeMetrics metrics, long blockedNodeThresholdMs,
                     RuntimeMetrics.NodeCounters counters, int maxPendingEmits, io.graphloop.store.Store store) {
}
