package io.graphloop.runtime;

import io.graphloop.client.GraphClient;
import io.graphloop.client.RunEventStream;
import io.graphloop.internal.engine.SubgraphOutputs;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphInterrupt;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.ParentCommand;
import io.graphloop.graph.Command;
import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.NodeDefinition;
import io.graphloop.graph.Subgraph;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.run.Durability;
import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.RunStatus;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.run.ThreadState;
import io.graphloop.state.State;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a subgraph node: maps the parent's snapshot to the child's input, runs the child graph through the event
 * bus as a run of its own (streamed in the parent's modes when the parent run is streamed, each child event
 * forwarded to the parent's coordinator under the namespace {@code "<node>:<run>:<step>"}), and maps the child's
 * final state back to the parent's update. A failed child run fails the node with the child's failure as cause.
 *
 * <p>On a thread, the child checkpoints under the parent's thread in the task's own namespace
 * ({@link SubgraphThreads}); when the parent run continues a checkpoint (a resume), the child continues its own
 * checkpoint there, with the part of the resume value meant for it. A child that stops at an interrupt stops the
 * node with a {@link GraphInterrupt} whose payload is the child's interrupts, each with its namespace
 * ({@code "ns"}), so the parent run ends as interrupted and reports them. A child node's {@code Command.PARENT}
 * (a {@link ParentCommand}) becomes this node's output: its update goes through the parent's reducers and its goto
 * routes the parent (LangGraph's {@code Command(graph=Command.PARENT)}).
 *
 * <p>Thread rules: started on the event loop of the subgraph node's host; the child's stream handlers run there.
 */
final class SubgraphExecution {

  /**
   * The key under which a run on a thread carries its durability in its configuration to its subgraph runs, which
   * checkpoint with it (LangGraph's {@code CONFIG_KEY_DURABILITY}); reserved. Absent for the default ({@code async}).
   */
  static final String DURABILITY = "__pregel_durability";

  private SubgraphExecution() {
  }

  /** {@code config} with {@code durability} for the run's subgraphs ({@link #DURABILITY}); unchanged for async. */
  static Map<String, Object> withDurability(Map<String, Object> config, Durability durability) {
    if (durability == Durability.ASYNC && !config.containsKey(DURABILITY)) {
      return config;
    }
    Map<String, Object> with = new LinkedHashMap<>(config);
    if (durability == Durability.ASYNC) {
      with.remove(DURABILITY);
    } else {
      with.put(DURABILITY, durability.wireName());
    }
    return java.util.Collections.unmodifiableMap(with);
  }

  /**
   * Runs the subgraph node; {@code traceParent} (the node's span, W3C {@code traceparent}; null when untraced) becomes
   * the child run's trace parent, so the child's run span, and its nodes' spans under it, sit under the node's span.
   * {@code parentBusName}: the parent's name on the event bus; the child run goes to the child deployed with this
   * parent ({@link Addresses#subgraph}), whose coordinators keep the parent's store.
   */
  static Future<Object> run(Vertx vertx, CompiledGraph parentGraph, String parentBusName, NodeDefinition node,
                            NodeRequest request, String traceParent) {
    Subgraph subgraph = node.subgraph();
    State parent = request.input();
    Map<String, Object> input;
    try {
      input = subgraph.inputMapping() == null ? SubgraphOutputs.input(subgraph.graph(), parent)
          : subgraph.inputMapping().apply(parent);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    GraphClient client = GraphClient.create(vertx, Addresses.subgraph(parentBusName, subgraph.graph().name()));
    // streamed only when the parent's stream asked for subgraphs: then the child's own subgraphs stream too
    RunOptions options = new RunOptions().setConfig(new JsonObject(request.config())).setStreamSubgraphs(true);
    if (request.timeoutMs() > 0) {
      options.setTimeoutMs(request.timeoutMs());
    }
    if (request.recursionLimit() > 0) { // the run's limit, against which the child counts its own steps (LangGraph)
      options.setRecursionLimit(request.recursionLimit());
    }
    if (traceParent != null) {
      options.setTraceParent(traceParent);
    }
    String thread = request.childThread();
    if (thread != null) {
      options.setThreadId(thread);
      if (subgraph.persistence() == Subgraph.Persistence.STATEFUL) { // tasks of one step sharing it take turns
        options.setMultitaskStrategy(io.graphloop.run.MultitaskStrategy.ENQUEUE);
      }
      Object durability = request.config().get(DURABILITY); // the parent's (LangGraph's child inherits it)
      if (durability instanceof String) {
        options.setDurability(Durability.of((String) durability));
      }
    }
    Future<SubgraphStart.Start> start = SubgraphStart.of(client, subgraph.persistence(), thread, request, input);
    Future<RunResult> child = start.compose(how -> {
      if (how.done() != null) {
        return Future.succeededFuture(how.done());
      }
      return request.eventsTo() == null || request.streamModes().isEmpty() ? how.run(client, options)
          : streamed(vertx, client, how, options, node, request);
    });
    return child.<Object>compose(result -> {
      if (result.isInterrupted() && subgraph.persistence() == Subgraph.Persistence.NONE) {
        return Future.failedFuture(new GraphloopException(FailureCode.BAD_REQUEST, "Subgraph node '" + node.name()
            + "' keeps no checkpoints (Subgraph.withoutCheckpoints(), LangGraph's checkpointer=False), so its graph '"
            + subgraph.graph().name() + "' cannot stop at an interrupt or a breakpoint (" + result.interrupts()
            + "): give the subgraph checkpoints (Subgraph.of(graph), or .stateful()).", request.graph(),
            request.runId(), request.step(), node.name(), null));
      }
      if (result.isInterrupted()) {
        return Future.failedFuture(new GraphInterrupt(io.graphloop.state.Values.freeze(nested(request,
            result.interrupts()), "the interrupts of subgraph node '" + node.name() + "'"), request.graph(),
            request.runId(), request.step(), node.name()));
      }
      // only the child's output keys reach the parent (LangGraph's subgraph node writes its output channels); a
      // result streamed or read back from the child's checkpoint has them all
      State values = subgraph.graph().outputOf(result.values());
      return Future.succeededFuture(subgraph.outputMapping() == null
          ? SubgraphOutputs.output(parentGraph, parent, values) : subgraph.outputMapping().apply(values, parent));
    }).recover(failure -> {
      if (failure instanceof GraphInterrupt) {
        return Future.failedFuture(failure);
      }
      if (failure instanceof ParentCommand) {
        return Future.succeededFuture(((ParentCommand) failure).command());
      }
      if (failure instanceof io.graphloop.errors.GraphRecursionException) {
        return Future.failedFuture(failure); // the child ran out of steps: the run fails with it, as LangGraph's
      }
      return Future.failedFuture(new NodeFailedException(request.graph(), request.runId(), request.step(),
          node.name(), request.attempt(), request.maxAttempts(), failure));
    });
  }

  /**
   * The child's interrupts as the parent reports them: each under the task's namespace. A child's static breakpoint
   * ({@code {"node", "when"}}) is left out: LangGraph's parent result has no {@code __interrupt__} for it (the parent
   * still stops, with this task due, and {@code getState(subgraphs=true)} shows where the child waits).
   */
  private static List<Map<String, Object>> nested(NodeRequest request, List<Map<String, Object>> interrupts) {
    String namespace = namespace(request);
    List<Map<String, Object>> nested = new ArrayList<>(interrupts.size());
    for (Map<String, Object> interrupt : interrupts) {
      if (interrupt.containsKey("when")) {
        continue;
      }
      Map<String, Object> entry = new LinkedHashMap<>(interrupt);
      Object inner = interrupt.get("ns");
      entry.put("ns", inner instanceof String && !((String) inner).isEmpty()
          ? namespace + SubgraphThreads.SEPARATOR + inner : namespace);
      nested.add(entry);
    }
    return nested;
  }

  /**
   * The namespace the child's events and interrupts appear under: on a thread, the task's checkpoint namespace
   * ({@code node:uuid}); without one, the task's namespace all the same ({@code node:uuid} from the task's id, as
   * LangGraph's {@code node:<task id>}; {@code node:run:step} only from a sender that does not set it).
   */
  private static String namespace(NodeRequest request) {
    String thread = request.childThread();
    if (thread != null) {
      return SubgraphThreads.localNamespace(threadOf(thread), thread);
    }
    // a child without checkpoints (a run without a thread, or withoutCheckpoints()): its task's namespace, as
    // LangGraph's "node:<task id>" (the transport sets it), this level only: the forwarded events add the levels above
    String ns = request.checkpointNs();
    return ns != null ? ns.substring(ns.lastIndexOf(SubgraphThreads.SEPARATOR) + 1)
        : request.node() + ":" + request.runId() + ":" + request.step();
  }

  /** The parent's thread of a child thread: what precedes its last namespace level. */
  private static String threadOf(String childThread) {
    return childThread.substring(0, childThread.lastIndexOf(SubgraphThreads.SEPARATOR));
  }

  private static Future<RunResult> streamed(Vertx vertx, GraphClient client, SubgraphStart.Start how,
                                            RunOptions options,
                                            NodeDefinition node, NodeRequest request) {
    StreamMode[] modes = request.streamModes().stream().map(StreamMode::of).toArray(StreamMode[]::new);
    String namespace = namespace(request);
    Promise<RunResult> done = Promise.promise();
    RunEventStream stream = !how.continues() ? client.stream(how.input(), how.options(options), modes)
        : how.resume() != null ? client.stream(Command.resume(how.resume()), how.options(options), modes)
        : client.stream((Map<String, ?>) null, how.options(options), modes);
    stream.exceptionHandler(done::tryFail);
    stream.handler(event -> {
      if (StreamEvent.END.equals(event.event())) {
        done.tryComplete(endOf(event.data()));
      } else if (!isBreakpointMarker(event)) {
        vertx.eventBus().send(request.eventsTo(), new JsonObject().put("runId", request.runId())
            .put("ns", namespace).put("forward", event.toJson()));
      }
    });
    return done.future();
  }

  /**
   * Whether {@code event} is the empty {@code {"__interrupt__": []}} chunk with which a run stopped at a breakpoint
   * ends its {@code updates} stream. A child's is not forwarded: LangGraph emits it only from the root graph's loop
   * ({@code _suppress_interrupt} skips nested loops), so a breakpoint inside a subgraph streams it once, under the
   * root's namespace, however deep it is. An {@code interrupt()}'s chunk (not empty) is forwarded, as LangGraph emits
   * it from each level's writes.
   */
  private static boolean isBreakpointMarker(StreamEvent event) {
    return event.event() == io.graphloop.run.StreamEventType.UPDATES && event.data().size() == 1
        && event.data().get(RunEvents.INTERRUPT) instanceof List<?> asked && asked.isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static RunResult endOf(Map<String, Object> data) {
    Object values = data.get("values");
    Object interrupts = data.get("interrupts");
    List<Map<String, Object>> asked = new ArrayList<>();
    if (interrupts instanceof List) {
      for (Object interrupt : (List<Object>) interrupts) {
        if (interrupt instanceof Map) {
          asked.add((Map<String, Object>) interrupt);
        }
      }
    }
    return new RunResult(null, RunStatus.INTERRUPTED.wireName().equals(data.get("status")) ? RunStatus.INTERRUPTED : RunStatus.SUCCESS,
        State.of(values instanceof Map ? (Map<String, Object>) values : Map.of()), null, null, asked);
  }
}
