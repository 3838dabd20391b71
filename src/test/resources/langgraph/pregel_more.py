# More StateGraph tests of libs/langgraph/tests/test_pregel.py, run against LangGraph 1.2.12; PregelMoreParityTest
# compares its output with pregel_more.json, which this script writes (python pregel_more.py > pregel_more.json):
# test_update_as_input (each durability: two runs' history, and the same history rebuilt by bulk_update_state with
# __input__ and __start__ updates), test_fork_does_not_apply_pending_writes, and test_parallel_interrupts_double (two
# Sends to a subgraph whose two parallel nodes interrupt, answered one id at a time; TypedDicts for the pydantic
# models; each run's updates chunks with interrupts printed as their values; the smallest value answered first).
import json
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Send, Command, interrupt, StateUpdate, Interrupt

out = {}

class State(TypedDict):
    foo: str
graph = (StateGraph(State).add_node("agent", lambda s: {"foo": "agent"}).add_node("tool", lambda s: {"foo": "tool"})
         .add_edge(START, "agent").add_edge("agent", "tool").compile(checkpointer=InMemorySaver()))
def map_snapshot(s):
    return {"values": s.values, "next": list(s.next), "step": s.metadata.get("step"), "source": s.metadata["source"]}
for durability in ["sync", "async", "exit"]:
    t1 = {"configurable": {"thread_id": "1-" + durability}}
    t2 = {"configurable": {"thread_id": "2-" + durability}}
    o = out["test_update_as_input " + durability] = {}
    o["first"] = graph.invoke({"foo": "input"}, t1, durability=durability)
    o["second"] = graph.invoke({"foo": "input"}, t1, durability=durability)
    o["history"] = [map_snapshot(s) for s in graph.get_state_history(t1)]
    turn = [[StateUpdate({"foo": "input"}, "__input__")], [StateUpdate({"foo": "input"}, "__start__")],
            [StateUpdate({"foo": "agent"}, "agent")], [StateUpdate({"foo": "tool"}, "tool")]]
    graph.bulk_update_state(t2, turn + turn)
    o["bulkState"] = map_snapshot(graph.get_state(t2))
    o["bulkHistory"] = [map_snapshot(s) for s in graph.get_state_history(t2)]

class V(TypedDict):
    value: Annotated[int, operator.add]
g = (StateGraph(V).add_node("node_a", lambda s: {"value": 10}).add_node("node_b", lambda s: {"value": 100})
     .add_edge(START, "node_a").add_edge("node_a", "node_b").compile(checkpointer=InMemorySaver()))
t = {"configurable": {"thread_id": "1"}}
o = out["test_fork_does_not_apply_pending_writes"] = {}
o["first"] = g.invoke({"value": 1}, t)
before_a = next(s for s in g.get_state_history(t) if s.next == ("node_a",))
fork = g.update_state(before_a.config, {"value": 20}, as_node="node_a")
o["forked"] = map_snapshot(g.get_state(fork))
o["result"] = g.invoke(None, fork)
o["history"] = [map_snapshot(s) for s in g.get_state_history(t)]

class ChildState(TypedDict):
    prompt: str
    human_inputs: Annotated[list[str], operator.add]
def ask(s):
    return {"human_inputs": [interrupt(s["prompt"])]}
child = StateGraph(ChildState)
child.add_node("get_human_input", ask); child.add_node("get_dolphin_input", ask)
child.add_edge(START, "get_human_input"); child.add_edge(START, "get_dolphin_input")
class ParentState(TypedDict):
    prompts: list[str]
    human_inputs: Annotated[list[str], operator.add]
def cleanup(s):
    assert len(s["human_inputs"]) == len(s["prompts"]) * 2
    return {}
p = StateGraph(ParentState)
p.add_node("child_graph", child.compile()); p.add_node("cleanup", cleanup)
p.add_conditional_edges(START, lambda s: [Send("child_graph", {"prompt": x}) for x in s["prompts"]], ["child_graph"])
p.add_edge("child_graph", "cleanup"); p.add_edge("cleanup", END)
app = p.compile(checkpointer=InMemorySaver())
t = {"configurable": {"thread_id": "1"}}
current = {"prompts": ["a", "b"]}
runs = []
def show(chunk):
    if "__interrupt__" in chunk:
        return {"__interrupt__": sorted(i.value for i in chunk["__interrupt__"])}
    if "child_graph" in chunk:  # which of two equal prompts took which answer is arbitrary: answers sorted
        return {**chunk, "child_graph": {**chunk["child_graph"],
                                         "human_inputs": sorted(chunk["child_graph"]["human_inputs"])}}
    return chunk
for invokes in range(1, 11):
    events, asked = [], []
    for event in app.stream(current, t, stream_mode="updates"):
        events.append(show(event))
        if "__interrupt__" in event:
            asked.extend(event["__interrupt__"])
    runs.append(events)
    if not asked:
        break
    # the interrupt with the smallest value is answered (the stream's order of parallel tasks is timing)
    current = Command(resume={min(asked, key=lambda i: i.value).id: f"Resume #{invokes}"})
o = out["test_parallel_interrupts_double"] = {}
o["runs"] = runs
o["final"] = {"values": {"prompts": app.get_state(t).values["prompts"],
                         "human_inputs": sorted(app.get_state(t).values["human_inputs"])}}
print(json.dumps(out, indent=1))
