"""LangGraph 1.2.12: in which steps a Command(resume={interrupt id: value}) map answers, and what of it is kept;
mirrored by io.graphloop.runtime.ResumeMapStepsParityTest.

Run with /work/venv-lg/bin/python resume_maps.py. LangGraph's ids of interrupts not asked yet cannot be known in
advance (task ids derive from checkpoint ids), so the maps here are dict subclasses that answer by rule, to show
where LangGraph looks a map up: `_scratchpad` consults it only while the loaded checkpoint has pending writes (the
resumed step), and `interrupt()` stores a mapped value (a RESUME write) only when it takes it.
"""
import operator
from typing import Annotated

from typing_extensions import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt


class AnyId(dict):
    """Answers every interrupt id it is asked for with "mapped"."""

    def __contains__(self, key):
        return True

    def __getitem__(self, key):
        return "mapped"


class S(TypedDict):
    log: Annotated[list, operator.add]


def asker(name):
    def node(state):
        return {"log": [name + "=" + str(interrupt("q " + name))]}
    return node


# 1. later steps: ask1 (resumed step) takes the map's answer, ask2 (next step) asks
g = (StateGraph(S).add_node("ask1", asker("ask1")).add_node("ask2", asker("ask2"))
     .add_edge(START, "ask1").add_edge("ask1", "ask2").add_edge("ask2", END).compile(checkpointer=InMemorySaver()))
cfg = {"configurable": {"thread_id": "1"}}
r = g.invoke({"log": []}, cfg)
print("steps first", [i.value for i in r["__interrupt__"]])
r = g.invoke(Command(resume=AnyId({r["__interrupt__"][0].id: "x"})), cfg)
print("steps map", r["log"], [i.value for i in r["__interrupt__"]])
print("steps last", g.invoke(Command(resume="plain"), cfg))

# 2. every task of the resumed step takes it (two parallel askers, answered by one map), the join after them asks
g = (StateGraph(S).add_node("a", asker("a")).add_node("b", asker("b")).add_node("c", asker("c"))
     .add_edge(START, "a").add_edge(START, "b").add_edge(["a", "b"], "c").add_edge("c", END)
     .compile(checkpointer=InMemorySaver()))
cfg = {"configurable": {"thread_id": "2"}}
r = g.invoke({"log": []}, cfg)
print("parallel first", sorted(i.value for i in r["__interrupt__"]))
r = g.invoke(Command(resume=AnyId({r["__interrupt__"][0].id: "x"})), cfg)
print("parallel map", sorted(r["log"]), [i.value for i in r["__interrupt__"]])

# 3. a subgraph started afresh in a later step does not take it either
child = (StateGraph(S).add_node("inner", asker("inner")).add_edge(START, "inner").add_edge("inner", END).compile())
g = (StateGraph(S).add_node("ask1", asker("ask1")).add_node("sub", child)
     .add_edge(START, "ask1").add_edge("ask1", "sub").add_edge("sub", END).compile(checkpointer=InMemorySaver()))
cfg = {"configurable": {"thread_id": "3"}}
r = g.invoke({"log": []}, cfg)
r = g.invoke(Command(resume=AnyId({r["__interrupt__"][0].id: "x"})), cfg)
print("subgraph map", r["log"], [i.value for i in r["__interrupt__"]])
print("subgraph last", g.invoke(Command(resume="plain"), cfg))


# 4. functional: the body asks, then t("1"), then t("2") ask. The second resume's map answers the body and every
#    id but the first task call's (t("1")), so t("1") stops the entrypoint before t("2") is called: the entry that
#    would answer t("2") is never taken, not stored, and the third run (answering t("1") by id) sees t("2") ask.
class AllButFirstCall(dict):
    def __init__(self, body_id):
        super().__init__({body_id: "A"})
        self.body_id = body_id
        self.refused = None

    def __contains__(self, key):
        if key == self.body_id:
            return True
        if self.refused is None:
            self.refused = key
        return key != self.refused

    def __getitem__(self, key):
        return "A" if key == self.body_id else "C"


@task
def t(q: str) -> str:
    return q + "=" + interrupt("q" + q)


@entrypoint(checkpointer=InMemorySaver())
def wf(inputs):
    a0 = interrupt("q0")
    return [a0, t("1").result(), t("2").result()]


cfg = {"configurable": {"thread_id": "4"}}
r = wf.invoke(1, cfg)
print("functional first", [i.value for i in r["__interrupt__"]])
m = AllButFirstCall(r["__interrupt__"][0].id)
r = wf.invoke(Command(resume=m), cfg)
print("functional map", [i.value for i in r["__interrupt__"]], "refused is the asking call's:",
      r["__interrupt__"][0].id == m.refused)
r = wf.invoke(Command(resume={r["__interrupt__"][0].id: "B"}), cfg)
print("functional third", [i.value for i in r["__interrupt__"]])
print("functional last", wf.invoke(Command(resume={r["__interrupt__"][0].id: "D"}), cfg))
