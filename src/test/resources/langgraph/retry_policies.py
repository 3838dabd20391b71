# Several retry policies for one node or task (LangGraph's retry_policy=(p1, p2)), run against LangGraph 1.2.12;
# RetryPoliciesTest asserts this output. Mirrors test_retry.py::test_graph_with_multiple_retry_policies, plus a
# node whose failures change kind (the attempt count is shared: the matching policy's max_attempts counts them all)
# and a failure no policy matches (not retried).
from unittest.mock import patch
from typing_extensions import TypedDict
from langgraph.graph import START, StateGraph
from langgraph.types import RetryPolicy
from langgraph.func import entrypoint, task

class State(TypedDict):
    foo: str
    plan: str

value_policy = RetryPolicy(max_attempts=2, initial_interval=0.01, jitter=False, retry_on=ValueError)
key_policy = RetryPolicy(max_attempts=3, initial_interval=0.02, jitter=False, retry_on=KeyError)
ERRORS = {"V": ValueError, "K": KeyError, "T": TypeError}

def run(plan):
    calls = []
    def node(state):
        calls.append(len(calls) + 1)
        kind = state["plan"][len(calls) - 1] if len(calls) <= len(state["plan"]) else "."
        if kind != ".":
            raise ERRORS[kind](kind)
        return {"foo": "ok after %d" % len(calls)}
    g = StateGraph(State).add_node("n", node, retry_policy=(value_policy, key_policy)).add_edge(START, "n").compile()
    try:
        with patch("time.sleep"):
            out = g.invoke({"foo": "", "plan": plan})["foo"]
    except Exception as e:
        out = type(e).__name__
    return out, len(calls)

for plan in ("V", "KK", "VV", "KKK", "KV", "VK", "T", "KT"):
    print("node plan", plan, run(plan))

def run_task(plan):
    calls = []
    @task(retry_policy=[value_policy, key_policy])
    def flaky(x):
        calls.append(1)
        kind = plan[len(calls) - 1] if len(calls) <= len(plan) else "."
        if kind != ".":
            raise ERRORS[kind](kind)
        return x + len(calls)
    @entrypoint()
    def main(x):
        return flaky(x).result()
    try:
        with patch("time.sleep"):
            out = main.invoke(100)
    except Exception as e:
        out = type(e).__name__
    return out, len(calls)

for plan in ("KK", "KV", "VV"):
    print("task plan", plan, run_task(plan))
