# Recursion limit (issue 10 class 2) run against LangGraph 1.2.12; RecursionLimitParityTest asserts these outputs.
# For each scenario and recursion_limit 1..7: "ok" and the result, or "error" and the thread's state afterwards
# (values, next), so the smallest limit that lets each run finish and where a failed run stops are LangGraph's.
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Send, Command, interrupt
from langgraph.errors import GraphRecursionError

class S(TypedDict):
    value: Annotated[list[str], operator.add]

def node(name):
    return lambda s: {"value": [name]}

def chain(*names, checkpointer=True):
    b = StateGraph(S)
    prev = START
    for n in names:
        b.add_node(n, node(n)); b.add_edge(prev, n); prev = n
    b.add_edge(prev, END)
    return b.compile(checkpointer=InMemorySaver() if checkpointer else None)

def attempt(label, g, inp, limits, before=None, thread=True):
    for limit in limits:
        c = {"configurable": {"thread_id": f"{label}-{limit}"}, "recursion_limit": limit}
        if before: before(g, c)
        try:
            r = g.invoke(inp, c)
            print(label, limit, "ok", r.get("value"), [i.value for i in r.get("__interrupt__", [])])
        except GraphRecursionError:
            if thread and g.checkpointer:
                s = g.get_state({"configurable": {"thread_id": c["configurable"]["thread_id"]}})
                print(label, limit, "error", s.values.get("value"), list(s.next), s.metadata["step"])
            else:
                print(label, limit, "error")

L = range(1, 7)
print("== test_invoke_two_processes_in_out (recursion_limit=1 fails START -> a -> END)")
attempt("one-node", chain("a"), {"value": []}, L)
print("== a chain of three nodes")
attempt("three", chain("a", "b", "c"), {"value": []}, L)

print("== Send fan-out: one step of three tasks, then a join node")
b = StateGraph(S)
b.add_node("fan", node("fan")); b.add_node("w", lambda s: {"value": ["w" + s["value"][0]]}); b.add_node("after", node("after"))
b.add_edge(START, "fan")
b.add_conditional_edges("fan", lambda s: [Send("w", {"value": [x]}) for x in "xyz"], ["w"])
b.add_edge("w", "after"); b.add_edge("after", END)
attempt("send", b.compile(checkpointer=InMemorySaver()), {"value": []}, L)

print("== a loop through Send: each step sends to itself until three values")
b = StateGraph(S)
b.add_node("loop", lambda s: {"value": ["l"]})
b.add_edge(START, "loop")
b.add_conditional_edges("loop", lambda s: END if len(s["value"]) >= 3 else [Send("loop", s)], ["loop", END])
attempt("send-loop", b.compile(checkpointer=InMemorySaver()), {"value": []}, L)

print("== a subgraph of three node steps under one parent node (the child has its own budget)")
child = chain("c1", "c2", "c3", checkpointer=False)
b = StateGraph(S)
b.add_node("p1", node("p1")); b.add_node("sub", child); b.add_node("p2", node("p2"))
b.add_edge(START, "p1"); b.add_edge("p1", "sub"); b.add_edge("sub", "p2"); b.add_edge("p2", END)
attempt("subgraph", b.compile(checkpointer=InMemorySaver()), {"value": []}, L)

print("== a second run on a thread that has run once (limit for the second run only)")
g2 = chain("a", "b")
def first_run(g, c):
    g.invoke({"value": ["first"]}, {"configurable": c["configurable"]})
attempt("second-run", g2, {"value": ["second"]}, L, before=first_run)

print("== resume after an interrupt: a -> ask -> b -> c, the resume counted from the interrupted checkpoint")
def asker(s):
    return {"value": ["ask:" + interrupt("Q?")]}
b = StateGraph(S)
for n in ["a", "b", "c"]: b.add_node(n, node(n))
b.add_node("ask", asker)
b.add_edge(START, "a"); b.add_edge("a", "ask"); b.add_edge("ask", "b"); b.add_edge("b", "c"); b.add_edge("c", END)
g3 = b.compile(checkpointer=InMemorySaver())
def interrupted(g, c):
    g.invoke({"value": []}, {"configurable": c["configurable"]})
attempt("resume", g3, Command(resume="yes"), L, before=interrupted)

print("== replay from the checkpoint before b of a finished a -> b -> c")
g4 = chain("a", "b", "c")
def finished(g, c):
    g.invoke({"value": []}, {"configurable": c["configurable"]})
    before_b = [s for s in g.get_state_history({"configurable": c["configurable"]}) if s.next == ("b",)][0]
    c["configurable"]["checkpoint_id"] = before_b.config["configurable"]["checkpoint_id"]
attempt("replay", g4, None, L, before=finished)
