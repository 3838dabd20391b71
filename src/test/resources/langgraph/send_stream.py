# Each stream mode of a map-reduce run with Send (and of a run with a subgraph node), run against LangGraph 1.2.12;
# SendStreamTest asserts these outputs (task ids, timestamps and checkpoint ids left out).
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.types import Send

class State(TypedDict):
    items: list[str]
    done: Annotated[list[str], operator.add]

def plan(s):
    return {"items": ["a", "b", "c"]}
def fan(s):
    return [Send("work", {"item": i}) for i in s["items"]]
def work(s):
    return {"done": [s["item"].upper()]}
def reduce_(s):
    return {"done": ["reduced"]}
g = StateGraph(State)
g.add_node("plan", plan); g.add_node("work", work); g.add_node("reduce", reduce_)
g.add_edge(START, "plan"); g.add_conditional_edges("plan", fan, ["work"]); g.add_edge("work", "reduce")
g.add_edge("reduce", END)
app = g.compile()

def strip(mode, chunk):
    if mode in ("tasks", "debug"):
        payload = chunk["payload"] if mode == "debug" else chunk
        out = {k: v for k, v in payload.items() if k in ("name", "input", "result", "error", "triggers", "next", "values")}
        if mode == "debug":
            return (chunk["type"], chunk["step"], out)
        return ("result" if "result" in payload else "start", out)
    return chunk
for mode in ("values", "updates", "tasks", "debug"):
    print("== send", mode)
    for c in app.stream({"done": []}, stream_mode=mode):
        print(" ", strip(mode, c))
