"""LangGraph 1.2.12's step model and task events for the functional API, mirrored by
io.graphloop.runtime.FunctionalStepsTest. Run with /work/venv-lg/bin/python functional_steps.py; the printed values
are the Java test's expectations (ids are printed as their owner's name: LangGraph's are xxh3 hashes).
"""
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.types import Command, interrupt


@task
def add_one(x):
    return x + 1


@task
def double(x):
    return 2 * x


@entrypoint(checkpointer=InMemorySaver())
def streamed(inputs):
    a = add_one(inputs).result()
    b = double(a).result()
    return {"b": b, "ans": interrupt({"b": b})}


def history(graph, cfg):
    return [(s.metadata["source"], s.metadata["step"], list(s.next), [t.name for t in s.tasks],
             [len(t.interrupts) for t in s.tasks]) for s in graph.get_state_history(cfg)]


def events(chunks):
    out = []
    for mode, data in chunks:
        if mode == "debug":
            out.append(("debug", data["type"], data["step"], data["payload"].get("name")
                        if data["type"] != "checkpoint" else data["payload"]["metadata"]["source"]))
        elif mode == "tasks":
            out.append(("tasks", data["name"], "result" in data and data.get("result")))
    return out


# the debug and tasks streams of a run that calls two tasks and interrupts, then of its resume
cfg = {"configurable": {"thread_id": "1"}}
print("first", events(streamed.stream(3, cfg, stream_mode=["debug", "tasks"])))
state = streamed.get_state(cfg)
print("interrupted_state", state.metadata["source"], state.metadata["step"], list(state.next),
      [(t.name, [i.value for i in t.interrupts]) for t in state.tasks])
print("history_interrupted", history(streamed, cfg))
print("second", events(streamed.stream(Command(resume="yes"), cfg, stream_mode=["debug", "tasks"])))
print("history_done", history(streamed, cfg))

# a second run on the same thread: input checkpoint at the last step + 1, the entrypoint in the step after it
streamed.invoke(5, cfg)
print("history_second_run", history(streamed, cfg)[:2])


# the tasks events' payloads of a task call (test_pregel.py::test_imp_task's task id shape aside)
@entrypoint(checkpointer=InMemorySaver())
def plain(inputs):
    return add_one(inputs).result()


payloads = [data for mode, data in plain.stream(1, {"configurable": {"thread_id": "2"}}, stream_mode=["tasks"])]
print("task_payloads", [{k: v for k, v in p.items() if k != "id"} for p in payloads])
