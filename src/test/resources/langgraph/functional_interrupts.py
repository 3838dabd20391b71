"""LangGraph 1.2.12: interrupts inside task calls, mirrored by io.graphloop.runtime.FunctionalInterruptsTest.

Run with /work/venv-lg/bin/python functional_interrupts.py; the printed values are the Java test's expectations
(interrupt ids are LangGraph's hashes there; the test checks which call each id belongs to).
"""
import time

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.types import Command, interrupt


# Two task calls running at once both interrupt; "b" asks first, the entrypoint waits for "a" first.
@task
def ask(q: str) -> str:
    if q == "a":
        time.sleep(0.3)
    return q + ":" + interrupt(q)


@entrypoint(checkpointer=InMemorySaver())
def wf(inputs):
    fa, fb = ask("a"), ask("b")
    return [fa.result(), fb.result()]


cfg = {"configurable": {"thread_id": "1"}}
for c in wf.stream(1, cfg, stream_mode=["updates", "tasks"]):
    if c[0] == "updates" or "error" in c[1]:
        print("concurrent first", c)
state = wf.get_state(cfg)
print("concurrent state", state.next, [(t.name, [i.value for i in t.interrupts]) for t in state.tasks])
first = state.interrupts[0].id
result = wf.invoke(Command(resume={first: "A"}), cfg)
second = result["__interrupt__"][0].id
print("concurrent partial", [i.value for i in result["__interrupt__"]], "new id:", second != first)
print("concurrent final", wf.invoke(Command(resume="B"), cfg))


# test_pregel_async.py::test_handles_multiple_interrupts_from_tasks (sync form)
@task
def add_participant(name: str) -> str:
    feedback = interrupt(f"Hey do you want to add {name}?")
    if feedback is False:
        return f"The user changed their mind and doesn't want to add {name}!"
    if feedback is True:
        return f"Added {name}!"
    raise ValueError("Invalid feedback")


@entrypoint(checkpointer=InMemorySaver())
def program(_state):
    first = add_participant("James").result()
    second = add_participant("Will").result()
    return [first, second]


cfg = {"configurable": {"thread_id": "1"}}
r1 = program.invoke("this is ignored", cfg)
print("participants 1", [i.value for i in r1["__interrupt__"]],
      [[i.value for i in t.interrupts] for t in program.get_state(cfg).tasks])
r2 = program.invoke(Command(resume=True), cfg)
print("participants 2", [i.value for i in r2["__interrupt__"]], "new id:",
      r2["__interrupt__"][0].id != r1["__interrupt__"][0].id)
print("participants 3", program.invoke(Command(resume=True), cfg))
