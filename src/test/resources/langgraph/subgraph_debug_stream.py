# The tasks and debug streams of a graph with a subgraph node, with subgraphs=True (test_pregel.py's
# test_debug_nested_subgraphs, reduced to what both print), run against LangGraph 1.2.12; SubgraphDebugStreamTest
# asserts these outputs. A namespace is shown by its node names ("p_two" for "p_two:<task id>").
import operator, json
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver

class S(TypedDict):
    messages: Annotated[list[str], operator.add]
def node(name): return lambda s: {"messages": [f"entered {name} node"]}
child = (StateGraph(S).add_node("c_one", node("c_one")).add_node("c_two", node("c_two"))
         .add_edge(START, "c_one").add_edge("c_one", "c_two").add_edge("c_two", END).compile())
parent = (StateGraph(S).add_node("p_one", node("p_one")).add_node("p_two", child)
          .add_edge(START, "p_one").add_edge("p_one", "p_two").add_edge("p_two", END).compile(checkpointer=InMemorySaver()))

def ns(t): return "|".join(p.split(":")[0] for p in t)
c = {"configurable": {"thread_id": "1"}}
out = []
for t, mode, e in parent.stream({"messages": []}, c, stream_mode=["tasks", "debug"], subgraphs=True):
    if mode == "tasks":
        out.append([ns(t), mode, e["name"], "result" if "result" in e else "start", e.get("result", e.get("input"))])
    else:
        p = e["payload"]
        out.append([ns(t), mode, e["type"], e["step"], p.get("name") if e["type"] != "checkpoint" else p["metadata"]["source"],
                    p.get("values") if e["type"] == "checkpoint" else p.get("result", p.get("input")),
                    list(p["next"]) if e["type"] == "checkpoint" else None])
for line in out:
    print("nested", json.dumps(line))
