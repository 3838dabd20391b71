# The order of a step's tasks as LangGraph 1.2.12 lists them (TaskOrderParityTest asserts these outputs): a thread's
# `next` and `tasks` (state and history) and the task start events of the `tasks`/`debug` streams list the Send
# (PUSH) tasks first, in the order they were produced, then the edge-triggered (PULL) tasks: in the state in node
# declaration order, in the streams in node-name order (LangGraph sorts the triggered nodes when it executes a step).
# The writes are applied PULL first (checked by WriteOrderParityTest), so the values do not depend on this order.
import operator, json
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Send

class S(TypedDict):
    value: Annotated[list[str], operator.add]

b = StateGraph(S)
b.add_node("zeta", lambda s: {"value": ["zeta"]})
b.add_node("alpha", lambda s: {"value": ["alpha"]})
b.add_node("w", lambda s: {"value": ["w:" + s["value"][-1]]})
b.add_node("last", lambda s: {"value": ["last"]})
b.add_conditional_edges(START, lambda s: [Send("w", {"value": ["x"]}), "zeta", "alpha", Send("w", {"value": ["y"]})],
                        ["w", "zeta", "alpha"])
b.add_edge("zeta", "last"); b.add_edge("alpha", "last"); b.add_edge("w", "last"); b.add_edge("last", END)
g = b.compile(checkpointer=InMemorySaver(), interrupt_before=["zeta"])
c = {"configurable": {"thread_id": "1"}}
print("order run", json.dumps(g.invoke({"value": []}, c)))
s = g.get_state(c)
print("order state", json.dumps([list(s.next), [t.name for t in s.tasks]]))
print("order history", json.dumps([[list(h.next), [t.name for t in h.tasks]] for h in g.get_state_history(c)]))
print("order resumed", json.dumps(g.invoke(None, c)))
g = b.compile()
print("order tasks", json.dumps([e["name"] for e in g.stream({"value": []}, stream_mode="tasks") if "input" in e]))
print("order debug", json.dumps([[e["step"], e["payload"]["name"]] for e in g.stream({"value": []}, stream_mode="debug")
                                 if e["type"] == "task"]))
print("order updates", json.dumps(list(g.stream({"value": []}, stream_mode="updates"))))
