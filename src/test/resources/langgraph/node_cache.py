# Node caching (CachePolicy) run against LangGraph 1.2.12; NodeCachingTest asserts these outputs.
# Part 1: test_pregel.py::test_in_one_fan_out_state_graph_waiting_edge_multiple (with_cache True/False) and clear_cache.
import operator, time
from typing import Annotated, TypedDict
from langgraph.graph import StateGraph
from langgraph.types import CachePolicy
from langgraph.cache.memory import InMemoryCache

def sorted_add(x, y):
    return sorted(operator.add(x, y))

class State(TypedDict, total=False):
    query: str
    answer: str
    docs: Annotated[list[str], sorted_add]

for with_cache in (True, False):
    count = 0
    def rewrite_query(data):
        global count
        count += 1
        return {"query": f"query: {data['query']}"}
    def analyzer_one(d): return {"query": f"analyzed: {d['query']}"}
    def retriever_one(d): return {"docs": ["doc1", "doc2"]}
    def retriever_two(d): return {"docs": ["doc3", "doc4"]}
    def qa(d): return {"answer": ",".join(d["docs"])}
    def decider(d): return None
    def decider_cond(d): return "qa" if d["query"].count("analyzed") > 1 else "rewrite_query"
    w = StateGraph(State)
    w.add_node("rewrite_query", rewrite_query, cache_policy=CachePolicy() if with_cache else None)
    w.add_node("analyzer_one", analyzer_one)
    w.add_node("retriever_one", retriever_one)
    w.add_node("retriever_two", retriever_two)
    w.add_node("decider", decider)
    w.add_node("qa", qa)
    w.set_entry_point("rewrite_query")
    w.add_edge("rewrite_query", "analyzer_one")
    w.add_edge("analyzer_one", "retriever_one")
    w.add_edge("rewrite_query", "retriever_two")
    w.add_edge(["retriever_one", "retriever_two"], "decider")
    w.add_conditional_edges("decider", decider_cond)
    w.set_finish_point("qa")
    cache = InMemoryCache()
    app = w.compile(cache=cache)
    print("with_cache", with_cache)
    print(app.invoke({"query": "what is weather in sf"}))
    for c in app.stream({"query": "what is weather in sf"}):
        print(" ", c)
    print("count", count)
    if with_cache:
        app.clear_cache()
        print(app.invoke({"query": "what is weather in sf"}))
        print("count after clear", count)
        app.clear_cache(["analyzer_one"])
        app.invoke({"query": "what is weather in sf"})
        print("count after clearing another node", count)

# Part 2: key function + ttl, tasks stream of a cached task, failing key function, Sends, checkpointer, clear without cache.
from typing import TypedDict, Annotated
from langgraph.graph import StateGraph, START, END
from langgraph.types import CachePolicy, Send
from langgraph.cache.memory import InMemoryCache
from langgraph.checkpoint.memory import InMemorySaver

class S(TypedDict, total=False):
    query: str
    n: int
    out: Annotated[list, operator.add]

calls = []
def a(s):
    calls.append(s.get("query"))
    return {"out": [s["query"].upper()]}

# custom key on query only, ttl
w = StateGraph(S)
w.add_node("a", a, cache_policy=CachePolicy(key_func=lambda s: s["query"], ttl=1))
w.add_edge(START, "a"); w.add_edge("a", END)
app = w.compile(cache=InMemoryCache())
print(app.invoke({"query": "x", "n": 1}))
print(app.invoke({"query": "x", "n": 2}))
print(app.invoke({"query": "y", "n": 2}))
print("calls", calls)
time.sleep(1.2)
print(app.invoke({"query": "x", "n": 3}))
print("calls after ttl", calls)

# tasks / debug stream modes for cached
for c in app.stream({"query": "x"}, stream_mode=["tasks", "updates", "values"]):
    print(" ", c)

# key func raising
def bad(s): raise ValueError("boom key")
w = StateGraph(S)
w.add_node("a", a, cache_policy=CachePolicy(key_func=bad))
w.add_edge(START, "a"); w.add_edge("a", END)
app2 = w.compile(cache=InMemoryCache())
try:
    app2.invoke({"query": "x"})
except Exception as e:
    print("key func error:", type(e).__name__, e)

# Send with cache
calls.clear()
def fan(s): return [Send("a", {"query": q}) for q in ["p", "q", "p"]]
w = StateGraph(S)
w.add_node("a", a, cache_policy=CachePolicy())
w.add_conditional_edges(START, fan)
w.add_edge("a", END)
app3 = w.compile(cache=InMemoryCache())
print(app3.invoke({"query": "z"}))
print("calls", calls)
for c in app3.stream({"query": "z"}):
    print(" ", c)
print("calls", calls)

# checkpointer + cache: state history / pending writes
calls.clear()
w = StateGraph(S)
w.add_node("a", a, cache_policy=CachePolicy())
w.add_node("b", lambda s: {"out": ["b"]})
w.add_edge(START, "a"); w.add_edge("a", "b"); w.add_edge("b", END)
app4 = w.compile(cache=InMemoryCache(), checkpointer=InMemorySaver())
print(app4.invoke({"query": "k"}, {"configurable": {"thread_id": "1"}}))
print(app4.invoke({"query": "k"}, {"configurable": {"thread_id": "2"}}))
print(app4.invoke({"query": "k"}, {"configurable": {"thread_id": "1"}}))
print("calls", calls)
for s in app4.get_state_history({"configurable": {"thread_id": "2"}}):
    print("  ", s.metadata, s.next, s.values)
# no cache set -> clear_cache error
w = StateGraph(S); w.add_node("a", a); w.add_edge(START, "a")
try:
    w.compile().clear_cache()
except Exception as e:
    print("clear no cache:", type(e).__name__, e)
