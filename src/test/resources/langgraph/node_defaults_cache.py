# LangGraph 1.2.12's set_node_defaults(cache_policy=...), run against the installed LangGraph; NodeDefaultsCacheParityTest
# asserts this output (node_defaults_cache.json: one object per scenario). Each scenario counts its nodes' calls over
# runs on one InMemoryCache and records the updates stream of the last run (a cached chunk carries
# {"__metadata__": {"cached": true}}).
import json, operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.types import CachePolicy
from langgraph.cache.memory import InMemoryCache

out = {}

class S(TypedDict, total=False):
    x: int
    trail: Annotated[list[str], operator.add]

def counting(calls, name):
    def node(state):
        calls[name] = calls.get(name, 0) + 1
        return {"trail": [name + ":" + str(state.get("x"))]}
    return node

def chain(defaults=None, b_policy=None):
    calls = {}
    g = StateGraph(S)
    if defaults is not None:
        g.set_node_defaults(**defaults)
    g.add_node("a", counting(calls, "a"))
    g.add_node("b", counting(calls, "b"), cache_policy=b_policy)
    g.add_edge(START, "a").add_edge("a", "b").add_edge("b", END)
    return g.compile(cache=InMemoryCache()), calls

def runs(app, inputs):
    results = [app.invoke(i) for i in inputs[:-1]]
    chunks = [c for c in app.stream(inputs[-1], stream_mode="updates")]
    return results, chunks

# the default caches every node that sets no policy of its own: a second run with the same input runs nothing
app, calls = chain(defaults={"cache_policy": CachePolicy()})
results, chunks = runs(app, [{"x": 1, "trail": []}, {"x": 1, "trail": []}])
out["default_caches_every_node"] = {"first": results[0], "updates": chunks, "calls": calls}

# a node's own policy wins over the default: b keys on nothing (one entry for every input), a on its input
app, calls = chain(defaults={"cache_policy": CachePolicy()}, b_policy=CachePolicy(key_func=lambda s: "one"))
results, chunks = runs(app, [{"x": 1, "trail": []}, {"x": 2, "trail": []}])
out["node_policy_wins"] = {"first": results[0], "updates": chunks, "calls": calls}

# set after the nodes, and kept by a later call that leaves it unset (keyword merge)
calls = {}
g = StateGraph(S)
g.add_node("a", counting(calls, "a"))
g.add_edge(START, "a").add_edge("a", END)
g.set_node_defaults(cache_policy=CachePolicy())
g.set_node_defaults(retry_policy=None)
app = g.compile(cache=InMemoryCache())
results, chunks = runs(app, [{"x": 3, "trail": []}, {"x": 3, "trail": []}])
out["default_set_after_nodes_and_kept"] = {"first": results[0], "updates": chunks, "calls": calls}

# a node's own error handler is not cached by the default (LangGraph: "caching an error-handler result is unsafe")
calls = {}
def fails(state):
    calls["fails"] = calls.get("fails", 0) + 1
    raise ValueError("boom " + str(state.get("x")))
def handler(state):
    calls["handler"] = calls.get("handler", 0) + 1
    return {"trail": ["handled:" + str(state.get("x"))]}
g = StateGraph(S)
g.set_node_defaults(cache_policy=CachePolicy())
g.add_node("fails", fails, error_handler=handler)
g.add_edge(START, "fails").add_edge("fails", END)
app = g.compile(cache=InMemoryCache())
first = app.invoke({"x": 4, "trail": []})
second = app.invoke({"x": 4, "trail": []})
out["handler_not_cached"] = {"first": first, "second": second, "calls": calls}

print(json.dumps(out, indent=1, sort_keys=True, default=str))
