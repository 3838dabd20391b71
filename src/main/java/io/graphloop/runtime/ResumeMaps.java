package io.graphloop.runtime;

import io.graphloop.errors.GraphInterrupt;
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
 * member runs the node, and a subgraph node's child run inherits it with the configuration. Each task of the resumed
 * step (the step the run continues from the checkpoint it loaded, when that checkpoint had pending writes: interrupted
 * or completed tasks) takes its own entry when it is sent, after the answers it had stored, as LangGraph's scratchpad
 * appends the mapped value to the task's resume values only while the loaded checkpoint has pending writes; so a key
 * naming an interrupt that was not reported yet answers it when it asks in that step, and tasks of later steps, or of
 * a child run started afresh, ask as LangGraph's do. A resumed child run (a subgraph continued from its own
 * checkpoint) applies the inherited map in its own resumed step.
 *
 * <ul>
 *   <li>A node's task takes the entry of its interrupt id (the digest of its checkpoint namespace).</li>
 *   <li>An entrypoint of the functional API takes every entry, as answers naming their id: each task call and the
 *       body take those of their own id. When it stops at an interrupt, only the entries an interrupt took are stored
 *       with its answers ({@link #interrupted}), as LangGraph stores a mapped value only when an {@code interrupt}
 *       takes it: an entry for a call that did not ask is not kept for a later run.</li>
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
   * the run's resume map holds for it when it is a task of step {@code resumedStep} (see the class comment).
   */
  static List<Object> answers(CompiledGraph graph, RunDriver.Limits limits, Task task, String taskId,
                              List<Object> stored, int resumedStep) {
    Object map = limits.config().get(InterruptIds.RESUME_MAP);
    if (!(map instanceof Map) || ((Map<?, ?>) map).isEmpty() || task.step() != resumedStep) {
      return stored;
    }
    Map<?, ?> byId = (Map<?, ?>) map;
    int index = graph.indexOf(task.node());
    if (index < 0 || index == graph.startIndex() || graph.node(index).subgraph() != null) {
      return stored;
    }
    List<Object> answers = new ArrayList<>(stored);
    if (RunEnd.functional(graph, task.node())) {
      byId.forEach((id, value) -> answers.add(FunctionCalls.mappedAnswer(String.valueOf(id), value)));
    } else {
      String id = SubgraphThreads.interruptId(limits.threadId(), task.node(), taskId);
      if (!byId.containsKey(id)) {
        return stored;
      }
      answers.add(byId.get(id));
    }
    return Collections.unmodifiableList(answers);
  }

  /**
   * An entrypoint's interrupt as the run reports and stores it: {@code interrupt} without the count of answers taken
   * ({@link FunctionCalls#ANSWERED}), and the answers to store with it: {@code answers} (what the task was sent) without
   * the resume map's entries that no interrupt took (their mark removed from those kept).
   */
  @SuppressWarnings("unchecked")
  static Interrupted interrupted(GraphInterrupt interrupt, List<Object> answers) {
    if (!(interrupt.payload() instanceof List)) {
      return new Interrupted(interrupt, answers);
    }
    Map<String, Integer> taken = new LinkedHashMap<>();
    List<Object> payload = new ArrayList<>();
    boolean changed = false;
    for (Object entry : (List<Object>) interrupt.payload()) {
      if (entry instanceof Map && ((Map<?, ?>) entry).containsKey(FunctionCalls.ANSWERED)) {
        Object counts = ((Map<?, ?>) entry).get(FunctionCalls.ANSWERED);
        if (counts instanceof Map) {
          ((Map<?, ?>) counts).forEach((id, count) -> taken.merge(String.valueOf(id),
              count instanceof Number ? ((Number) count).intValue() : 0, Math::max));
        }
        Map<String, Object> shown = new LinkedHashMap<>((Map<String, Object>) entry);
        shown.remove(FunctionCalls.ANSWERED);
        payload.add(Collections.unmodifiableMap(shown));
        changed = true;
      } else {
        payload.add(entry);
      }
    }
    List<Object> kept = new ArrayList<>();
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (Object entry : answers) {
      String id = FunctionCalls.answerId(entry);
      if (id == null) {
        kept.add(entry);
        continue;
      }
      int position = seen.merge(id, 1, Integer::sum); // the n-th answer given to this id
      if (!(entry instanceof Map) || !((Map<?, ?>) entry).containsKey(FunctionCalls.FROM_MAP)) {
        kept.add(entry);
      } else if (position <= taken.getOrDefault(id, 0)) {
        kept.add(FunctionCalls.answer(id, FunctionCalls.answerValue(entry)));
      }
    }
    GraphInterrupt shown = !changed ? interrupt : new GraphInterrupt(Collections.unmodifiableList(payload),
        interrupt.graph(), interrupt.runId(), interrupt.step(), interrupt.node());
    return new Interrupted(shown, Collections.unmodifiableList(kept));
  }

  /** An entrypoint's interrupt as reported, and the answers stored with it. */
  record Interrupted(GraphInterrupt interrupt, List<Object> answers) {
  }
}
