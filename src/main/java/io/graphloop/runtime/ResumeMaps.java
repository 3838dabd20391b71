package io.graphloop.runtime;

import io.graphloop.graph.CompiledGraph;
import io.graphloop.graph.FunctionCalls;
import io.graphloop.graph.InterruptIds;
import io.graphloop.internal.engine.Task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's resume map (LangGraph's {@code Command(resume={interrupt id: value, ...})}, see {@link InterruptIds}): the
 * run carries it in its configuration under {@link InterruptIds#RESUME_MAP}, so every node request has it on whichever
 * member runs the node, and a subgraph node's child run inherits it with the configuration. Each task takes its own
 * entry when it is sent, after the answers it had stored, as LangGraph's scratchpad appends the mapped value to the
 * task's resume values; so a key naming an interrupt that was not reported yet answers it when it asks, in any step of
 * the resumed run.
 *
 * <ul>
 *   <li>A node's task takes the entry of its interrupt id (the digest of its checkpoint namespace).</li>
 *   <li>An entrypoint of the functional API takes every entry, as answers naming their id: each task call and the
 *       body take those of their own id.</li>
 *   <li>A subgraph node takes none itself: its child run takes them for its own tasks.</li>
 * </ul>
 *
 * <p>Stateless; called on the coordinator's event loop.
 */
final class ResumeMaps {

  private ResumeMaps() {
  }

  /**
   * {@code config} with {@code resume} as the run's resume map when it is one ({@link InterruptIds#isResumeMap});
   * otherwise {@code config} as it is.
   */
  static Map<String, Object> withResumeMap(Map<String, Object> config, Object resume) {
    if (!InterruptIds.isResumeMap(resume)) {
      return config;
    }
    Map<String, Object> with = new LinkedHashMap<>(config);
    with.put(InterruptIds.RESUME_MAP, resume);
    return Collections.unmodifiableMap(with);
  }

  /**
   * The answers task {@code task} (id {@code taskId}) of a run with {@code limits} is sent: {@code stored}, then what
   * the run's resume map holds for it (see the class comment).
   */
  static List<Object> answers(CompiledGraph graph, RunDriver.Limits limits, Task task, String taskId,
                              List<Object> stored) {
    Object map = limits.config().get(InterruptIds.RESUME_MAP);
    if (!(map instanceof Map) || ((Map<?, ?>) map).isEmpty()) {
      return stored;
    }
    Map<?, ?> byId = (Map<?, ?>) map;
    int index = graph.indexOf(task.node());
    if (index < 0 || index == graph.startIndex() || graph.node(index).subgraph() != null) {
      return stored;
    }
    List<Object> answers = new ArrayList<>(stored);
    if (RunEnd.functional(graph, task.node())) {
      byId.forEach((id, value) -> answers.add(FunctionCalls.answer(String.valueOf(id), value)));
    } else {
      String id = SubgraphThreads.interruptId(limits.threadId(), task.node(), taskId);
      if (!byId.containsKey(id)) {
        return stored;
      }
      answers.add(byId.get(id));
    }
    return Collections.unmodifiableList(answers);
  }
}
