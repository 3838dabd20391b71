# Step model (checkpoints, history order, metadata, next, tasks with their results) run against LangGraph 1.2.12;
# StepModelParityTest asserts these outputs. A history line is (source, step, next, values, index of the parent in the
# same newest-first list, [(task name, task result)]), then the metadata's keys and its parents.
import operator, uuid
from typing import Annotated, Literal
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import StateUpdate

def history(g, c):
    h = list(g.get_state_history(c))
    ids = [s.config["configurable"]["checkpoint_id"] for s in h]
    for s in h:
        p = s.parent_config["configurable"]["checkpoint_id"] if s.parent_config else None
        print(" ", (s.metadata["source"], s.metadata["step"], list(s.next), s.values, ids.index(p) if p in ids else None,
              [(t.name, t.result) for t in s.tasks]), sorted(s.metadata.keys()), s.metadata.get("parents"))

class MyState(TypedDict):
    myval: Annotated[int, operator.add]
    otherval: bool
class Anode:
    def __init__(self): self.switch = False
    def __call__(self, state):
        self.switch = not self.switch
        return {"myval": 2 if self.switch else 1, "otherval": self.switch}
b = StateGraph(MyState); n = Anode()
b.add_node("node_one", n); b.add_node("node_two", n); b.add_edge(START, "node_one")
def _getedge(src):
    swap = "node_one" if src == "node_two" else "node_two"
    def _edge(st):
        if st["myval"] > 3: return END
        if st["otherval"]: return swap
        return src
    return _edge
b.add_conditional_edges("node_one", _getedge("node_one"), ["node_one", "node_two", END])
b.add_conditional_edges("node_two", _getedge("node_two"), ["node_one", "node_two", END])
g = b.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "t"}}
print("== test_run_from_checkpoint_id_retains_previous_writes")
print("run", g.invoke({"myval": 1}, c))
history(g, c)
h = list(g.get_state_history(c))
print("replay", g.invoke(None, h[1].config))
history(g, c)

class S(TypedDict):
    num: int
    text: str
g = (StateGraph(S).add_node("double", lambda s: {"num": s["num"] * 2, "text": s["text"] * 2})
     .add_edge(START, "double").add_edge("double", END).compile(checkpointer=InMemorySaver()))
print("== test_supersteps_populate_task_results")
g.invoke({"num": 1, "text": "one"}, {"configurable": {"thread_id": "ref"}})
history(g, {"configurable": {"thread_id": "ref"}})
g.bulk_update_state({"configurable": {"thread_id": "bulk"}}, [
    [StateUpdate(values={}, as_node="__input__")],
    [StateUpdate(values={"num": 1, "text": "one"}, as_node="__start__")],
    [StateUpdate(values={"num": 2, "text": "oneone"}, as_node="double")]])
history(g, {"configurable": {"thread_id": "bulk"}})

print("== parallel branches with a waiting join")
class P(TypedDict):
    value: Annotated[list[str], operator.add]
def node(name):
    return lambda s: {"value": [name]}
b = StateGraph(P)
for x in "abcd": b.add_node(x, node(x))
b.add_edge(START, "a"); b.add_edge("a", "b"); b.add_edge("a", "c"); b.add_edge(["b", "c"], "d"); b.add_edge("d", END)
g = b.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "p"}}
print("run", g.invoke({"value": ["in"]}, c))
history(g, c)
print("run2", g.invoke({"value": ["again"]}, c))
history(g, c)

print("== an update as __input__, then a run without input")
g = (StateGraph(S).add_node("double", lambda s: {"num": s["num"] * 2, "text": s["text"] * 2})
     .add_edge(START, "double").add_edge("double", END).compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "in"}}
g.update_state(c, {"num": 3, "text": "x"}, as_node="__input__")
history(g, c)
print("run", g.invoke(None, c))
history(g, c)

# test_debug_retry (StepModelParityTest.debugRetryStreamsCheckpointsAsTheHistoryHasThem): an update of the checkpoint
# before step 1, then a run from it streamed in debug mode, and the history with task results.
print("== test_debug_retry")
class M(TypedDict):
    messages: Annotated[list[str], operator.add]
def mnode(name):
    return lambda s: {"messages": [f"entered {name} node"]}
b = StateGraph(M)
b.add_node("one", mnode("one")); b.add_node("two", mnode("two"))
b.add_edge(START, "one"); b.add_edge("one", "two"); b.add_edge("two", END)
saver = InMemorySaver()
g = b.compile(checkpointer=saver)
c = {"configurable": {"thread_id": "1"}}
g.invoke({"messages": []}, c)
target = next(x.parent_config for x in saver.list(c) if x.metadata["step"] == 1)
upd = g.update_state(target, values=None)
s = g.get_state(upd)
print("update", s.metadata["source"], s.metadata["step"], list(s.next), s.values)
ev = list(g.stream(None, upd, stream_mode="debug"))
print("debug", [(e["type"], e["step"], e["payload"].get("name"), list(e["payload"].get("next", []))) for e in ev])
ids = [h.config["configurable"]["checkpoint_id"] for h in g.get_state_history(c)]
for h in g.get_state_history(c):
    p = h.parent_config["configurable"]["checkpoint_id"] if h.parent_config else None
    print(" ", (h.metadata["source"], h.metadata["step"], list(h.next), h.values["messages"], ids.index(p) if p in ids else None))
for h in g.get_state_history(c):
    print(" ", [(t.name, t.result) for t in h.tasks])
