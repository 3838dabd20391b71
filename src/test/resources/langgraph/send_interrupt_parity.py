# Sends planned by a router, stopped at a breakpoint and changed by update_state (test_large_cases.py's
# test_send_react_interrupt and test_send_react_interrupt_control, with the messages replaced by a plain "calls" list
# the agent writes and an append channel "results" the Send tasks write), run against LangGraph 1.2.12;
# SendInterruptParityTest asserts these outputs.
import operator, json
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, Send

class S(TypedDict):
    calls: list
    results: Annotated[list, operator.add]

CALL = {"name": "foo", "args": {"hi": [1, 2, 3]}, "id": "c1"}
called = []
def agent(s): return {"calls": [CALL]}
def route(s): return [Send(c["name"], c) for c in s["calls"]]
def foo(call):
    called.append(call["id"])
    return {"results": [f"{call['id']}:{json.dumps(call['args'])}"]}

def state(label, g, c):
    s = g.get_state(c)
    print(label, json.dumps({"values": s.values, "next": list(s.next), "tasks": [t.name for t in s.tasks],
                             "source": s.metadata["source"], "step": s.metadata["step"]}))

b = StateGraph(S)
b.add_node("agent", agent); b.add_node("foo", foo)
b.add_edge(START, "agent"); b.add_conditional_edges("agent", route, ["foo"])
print("== test_send_react_interrupt")
print("plain", json.dumps(b.compile().invoke({"calls": [], "results": []})), called)
called.clear()
g = b.compile(checkpointer=InMemorySaver(), interrupt_before=["foo"])
c = {"configurable": {"thread_id": "1"}}
print("stopped", json.dumps(g.invoke({"calls": [], "results": []}, c)), called)
state("stopped state", g, c)
print("resumed", json.dumps(g.invoke(None, c)), called)
called.clear()
c = {"configurable": {"thread_id": "2"}}
g.invoke({"calls": [], "results": []}, c)
g.update_state(c, {"calls": []})
state("cleared state", g, c)
print("cleared resumed", json.dumps(g.invoke(None, c)), called)
c = {"configurable": {"thread_id": "3"}}
g.invoke({"calls": [], "results": []}, c)
g.update_state(c, {"calls": [{"name": "foo", "args": {"hi": [4, 5, 6]}, "id": "tool1"}]})
state("replaced state", g, c)
print("replaced resumed", json.dumps(g.invoke(None, c)), called)
print("replaced history", json.dumps([(h.metadata["source"], h.metadata["step"], list(h.next)) for h in g.get_state_history(c)]))

print("== test_send_react_interrupt_control")
called.clear()
def agent_control(s):
    return Command(update={"calls": [CALL]}, goto=[Send("foo", CALL)])
b = StateGraph(S)
b.add_node("agent", agent_control, destinations=("foo",)); b.add_node("foo", foo)
b.add_edge(START, "agent")
print("control plain", json.dumps(b.compile().invoke({"calls": [], "results": []})), called)
called.clear()
g = b.compile(checkpointer=InMemorySaver(), interrupt_before=["foo"])
c = {"configurable": {"thread_id": "1"}}
print("control stopped", json.dumps(g.invoke({"calls": [], "results": []}, c)), called)
state("control stopped state", g, c)
g.update_state(c, {"calls": []})
state("control updated state", g, c)
print("control resumed", json.dumps(g.invoke(None, c)), called)
