# Task results in history and in get_state by checkpoint id, run against LangGraph 1.2.12; TaskResultsParityTest
# asserts these outputs. A history line is (source, step, next, values, [(task name, task result, interrupt values)]),
# tasks sorted by name (the order of a checkpoint's tasks is LangGraph's, by node name; Graphloop lists them in
# declaration order, see src/docs/LANGGRAPH-DIFFERENCES.md).
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Send, interrupt, Command

def line(s):
    return (s.metadata["source"], s.metadata["step"], sorted(s.next), s.values,
            sorted([(t.name, t.result, [i.value for i in t.interrupts]) for t in s.tasks], key=lambda t: t[0]))

def history(g, c):
    for s in g.get_state_history(c):
        print(" ", line(s))

# test_send_dedupe_on_resume (test_pregel_async.py), with a map state: Sends with bare arguments, a Send task that
# interrupts once while the other tasks of its step complete, a run without input that resumes it.
class S(TypedDict):
    items: Annotated[list, operator.add]
ticks = {"flaky": 0, "2": 0}
def flaky(arg):
    ticks["flaky"] += 1
    if ticks["flaky"] == 1:
        interrupt("Bahh")
    return {"items": [f"flaky|{arg}"]}
def two(arg):
    ticks["2"] += 1
    return {"items": [f"2|{arg}"]}
b = StateGraph(S)
b.add_node("1", lambda s: {"items": ["1"]})
b.add_node("2", two)
b.add_node("3", lambda s: {"items": ["3"]})
b.add_node("3.1", lambda s: {"items": ["3.1"]})
b.add_node("flaky", flaky)
b.add_edge(START, "1")
b.add_conditional_edges("1", lambda s: [Send("2", 3), Send("flaky", 4), "3.1"])
b.add_edge("2", "3")
g = b.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "1"}}
print("== test_send_dedupe_on_resume")
r = g.invoke({"items": ["0"]}, c)
print("first", r["items"], [i.value for i in r["__interrupt__"]], ticks)
print("resume", g.invoke(None, c)["items"], ticks)
history(g, c)

# A step's only task that interrupts, answered by Command(resume=...): its checkpoint's task shows the question and,
# once answered, its result; get_state of a past checkpoint by id shows its tasks' results too.
class Q(TypedDict):
    question: str
    answer: str
def ask(s):
    return {"answer": interrupt(s["question"]) + "!"}
g = (StateGraph(Q).add_node("ask", ask).add_node("done", lambda s: {"question": "answered"})
     .add_edge(START, "ask").add_edge("ask", "done").add_edge("done", END).compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "q"}}
print("== a lone interrupted task, resumed")
g.invoke({"question": "why?"}, c)
history(g, c)
print("resume", g.invoke(Command(resume="because"), c))
history(g, c)
h = list(g.get_state_history(c))
print("by id", [line(g.get_state(s.config)) for s in h])

# update_state as the node due at a breakpoint: the checkpoint it was made from shows the update as that task's result
print("== update as the due node")
g = (StateGraph(Q).add_node("ask", lambda s: {"answer": "asked"}).add_node("done", lambda s: {"question": "answered"})
     .add_edge(START, "ask").add_edge("ask", "done").add_edge("done", END)
     .compile(checkpointer=InMemorySaver(), interrupt_before=["done"]))
c = {"configurable": {"thread_id": "u"}}
g.invoke({"question": "q"}, c)
g.update_state(c, {"question": "by hand"}, as_node="done")
history(g, c)
