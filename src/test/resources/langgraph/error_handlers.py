# LangGraph 1.2.12's error-handler nodes and graph-wide node defaults (test_retry.py's test_graph_error_handler_*,
# test_node_error_handlers_*, test_set_node_defaults_*, test_error_handler_resumes_after_crash*), run against the
# installed LangGraph; ErrorHandlersTest and NodeDefaultsTest assert this output (error_handlers.json: one object per
# scenario, a failed run's outcome as {"error": "Type: message"}).
import json, operator, threading
from typing import Annotated
from unittest.mock import patch
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.types import RetryPolicy, Command, interrupt
from langgraph.errors import NodeError
from langgraph.checkpoint.memory import InMemorySaver

out = {}

class S(TypedDict):
    foo: str

class R(TypedDict):
    route: str
    foo: Annotated[list[str], operator.add]

def fails(msg, exc=RuntimeError):
    def f(state):
        raise exc(msg)
    return f

def err_text(e):
    return type(e).__name__ + ": " + str(e)

# test_graph_error_handler_runs_after_retry_exhaustion (+ the updates stream)
attempts = [0]
captured = {}
def always_failing(state):
    attempts[0] += 1
    raise ValueError("Always fails")
def handler(state, error: NodeError):
    captured["node"] = error.node
    captured["error"] = str(error.error)
    return Command(update={"foo": "handled"}, goto="after_handler")
g = (StateGraph(S)
     .add_node("always_failing", always_failing, retry_policy=RetryPolicy(max_attempts=2, initial_interval=0.01, jitter=False, retry_on=ValueError), error_handler=handler)
     .add_node("after_handler", lambda s: {"foo": s["foo"] + "_after"})
     .add_edge(START, "always_failing").compile())
with patch("time.sleep"):
    chunks = list(g.stream({"foo": ""}, stream_mode="updates"))
with patch("time.sleep"):  # the tasks stream: [name, "start"] or [name, result, failed?]; no start for the handler
    tasks = [[t["name"], "start"] if "input" in t else [t["name"], t["result"], t["error"] is not None]
             for t in g.stream({"foo": ""}, stream_mode="tasks")]
with patch("time.sleep"):
    attempts[0] = 0
    result = g.invoke({"foo": ""})
out["runs_after_retry_exhaustion"] = {"result": result, "attempts": attempts[0], "captured": captured, "updates": chunks,
                                      "tasks": tasks}

# test_graph_error_handler_can_route_with_command
attempts[0] = 0
def failing_once(state):
    attempts[0] += 1
    raise ValueError("Always fails")
g = (StateGraph(S)
     .add_node("always_failing", failing_once, retry_policy=RetryPolicy(max_attempts=1), error_handler=lambda s: Command(update={"foo": "handled"}, goto="next_node"))
     .add_node("next_node", lambda s: {"foo": s["foo"] + "_next"})
     .add_edge(START, "always_failing").compile())
out["route_with_command"] = {"result": g.invoke({"foo": ""}), "attempts": attempts[0]}

# test_graph_error_handler_failure_fails_run
def broken(state):
    raise RuntimeError("handler failed")
g = StateGraph(S).add_node("always_failing", fails("Always fails", ValueError), error_handler=broken).add_edge(START, "always_failing").compile()
try:
    g.invoke({"foo": ""}); out["handler_failure_fails_run"] = {"error": None}
except Exception as e:
    out["handler_failure_fails_run"] = {"error": err_text(e)}

def h_update(state, error: NodeError):
    return {"foo": "h:" + error.node}
def h_handled(state, error: NodeError):
    return {"foo": "handled"}
def h_default_recovered(state, error: NodeError):
    return {"foo": "default recovered"}

# a handler that returns a plain update: does the failed node's edge fire? (it does not: the run ends)
g = (StateGraph(S).add_node("a", fails("boom"), error_handler=h_update)
     .add_node("b", lambda s: {"foo": s["foo"] + "_b"}).add_edge(START, "a").add_edge("a", "b").compile())
out["plain_update_ends_run"] = {"result": g.invoke({"foo": ""}), "updates": list(g.stream({"foo": ""}, stream_mode="updates"))}

# test_graph_error_handler_handles_subgraph_internal_failure
captured = {}
sub = StateGraph(S).add_node("sub_fail_node", fails("subgraph boom", ValueError)).add_edge(START, "sub_fail_node").compile()
def parent_handler(state, error: NodeError):
    captured["node"] = error.node
    captured["error"] = str(error.error)
    return {"foo": "handled_by_parent"}
g = StateGraph(S).add_node("subgraph_node", sub, error_handler=parent_handler).add_edge(START, "subgraph_node").compile()
out["subgraph_internal_failure"] = {"result": g.invoke({"foo": ""}), "captured": captured}

# test_graph_error_handler_error_context_survives_checkpoint_resume
captured = {}
def ctx_handler(state, error: NodeError):
    captured["node"] = error.node
    captured["error"] = str(error.error)
    return {"foo": "handled_after_resume"}
saver = InMemorySaver()
config = {"configurable": {"thread_id": "graph-error-resume"}}
g = (StateGraph(S).add_node("always_failing", fails("failed before handler"), error_handler=ctx_handler)
     .add_edge(START, "always_failing")
     .compile(checkpointer=saver, interrupt_before=["__error_handler__always_failing"]))
first = g.invoke({"foo": ""}, config)
st = g.get_state(config)
mid = {"first": first, "next": list(st.next), "tasks": [[t.name, t.error is not None] for t in st.tasks], "captured_before_resume": dict(captured)}
second = g.invoke(None, config)
hist = [{"step": h.metadata.get("step"), "source": h.metadata.get("source"), "next": list(h.next), "values": h.values} for h in g.get_state_history(config)]
out["error_context_survives_checkpoint_resume"] = {**mid, "result": second, "captured": captured, "history": hist}

# test_graph_error_handler_does_not_swallow_interrupt_concurrent
def node_a(state):
    val = interrupt("need human input")
    return {"foo": "a_" + val}
saver = InMemorySaver()
config = {"configurable": {"thread_id": "test-interrupt-concurrent"}}
g = (StateGraph(S).add_node("node_a", node_a, error_handler=lambda s: {"foo": "handled"}).add_node("node_b", lambda s: {})
     .add_edge(START, "node_a").add_edge(START, "node_b").compile(checkpointer=saver))
first = g.invoke({"foo": ""}, config)
st = g.get_state(config)
out["does_not_swallow_interrupt"] = {"first": {k: (v if k != "__interrupt__" else [i.value for i in v]) for k, v in first.items()},
    "next": list(st.next), "interrupts": [[t.name, [i.value for i in t.interrupts]] for t in st.tasks if t.interrupts],
    "resumed": g.invoke(Command(resume="yes"), config)}

# test_node_error_handlers_route_to_matching_handler
def handler_a(state, error: NodeError):
    assert error.node == "fail_a"
    return {"foo": ["handled_a"]}
def handler_b(state, error: NodeError):
    assert error.node == "fail_b"
    return {"foo": ["handled_b"]}
g = (StateGraph(R).add_node("route_node", lambda s: {"foo": []})
     .add_node("fail_a", fails("a failed", ValueError), error_handler=handler_a)
     .add_node("fail_b", fails("b failed"), error_handler=handler_b)
     .add_edge(START, "route_node").add_conditional_edges("route_node", lambda s: s["route"], path_map=["fail_a", "fail_b"]).compile())
out["route_to_matching_handler"] = {"a": g.invoke({"route": "fail_a", "foo": []}), "b": g.invoke({"route": "fail_b", "foo": []})}

# test_set_node_defaults_error_handler_catches_all_nodes
nodes = []
def default_handler(state, error: NodeError):
    nodes.append(error.node)
    return {"foo": ["handled_" + error.node]}
g = (StateGraph(R).set_node_defaults(error_handler=default_handler)
     .add_node("route_node", lambda s: Command(goto=s["route"])).add_node("fail_a", fails("a failed")).add_node("fail_b", fails("b failed"))
     .add_edge(START, "route_node").add_conditional_edges("route_node", lambda s: s["route"], path_map=["fail_a", "fail_b"]).compile())
out["defaults_catch_all_nodes"] = {"a": g.invoke({"route": "fail_a", "foo": []}), "b": g.invoke({"route": "fail_b", "foo": []}), "nodes": nodes}

# test_set_node_defaults_error_handler_overridden_by_node_handler
calls = []
def node_handler(state, error: NodeError):
    calls.append("node:" + error.node)
    return {"foo": ["node_handled_" + error.node]}
def default_handler2(state, error: NodeError):
    calls.append("default:" + error.node)
    return {"foo": ["default_handled_" + error.node]}
g = (StateGraph(R).set_node_defaults(error_handler=default_handler2)
     .add_node("route_node", lambda s: Command(goto=s["route"])).add_node("fail_a", fails("a failed"), error_handler=node_handler).add_node("fail_b", fails("b failed"))
     .add_edge(START, "route_node").add_conditional_edges("route_node", lambda s: s["route"], path_map=["fail_a", "fail_b"]).compile())
out["defaults_overridden_by_node_handler"] = {"a": g.invoke({"route": "fail_a", "foo": []}), "b": g.invoke({"route": "fail_b", "foo": []}), "calls": calls}

# test_set_node_defaults_error_handler_skips_per_node_handler_nodes
def handler_boom(state, error: NodeError):
    raise RuntimeError("handler boom")
g = (StateGraph(S).set_node_defaults(error_handler=h_default_recovered)
     .add_node("always_failing", fails("node boom"), error_handler=handler_boom).add_edge(START, "always_failing").compile())
try:
    g.invoke({"foo": ""}); out["defaults_skip_per_node_handler_nodes"] = {"error": None}
except Exception as e:
    out["defaults_skip_per_node_handler_nodes"] = {"error": err_text(e)}

# test_set_node_defaults_error_handler_failure_fails_run
def default_boom(state, error: NodeError):
    raise RuntimeError("default handler boom")
g = StateGraph(S).set_node_defaults(error_handler=default_boom).add_node("always_failing", fails("node boom")).add_edge(START, "always_failing").compile()
try:
    g.invoke({"foo": ""}); out["defaults_handler_failure_fails_run"] = {"error": None}
except Exception as e:
    out["defaults_handler_failure_fails_run"] = {"error": err_text(e)}

# test_set_node_defaults_error_handler_receives_runnable_config
seen = {}
def cfg_handler(state, error: NodeError, config):
    seen["thread_id"] = config["configurable"].get("thread_id")
    return {"foo": "handled"}
g = StateGraph(S).set_node_defaults(error_handler=cfg_handler).add_node("always_failing", fails("boom")).add_edge(START, "always_failing").compile(checkpointer=InMemorySaver())
out["defaults_receive_config"] = {"result": g.invoke({"foo": ""}, {"configurable": {"thread_id": "t-config"}}), "thread_id": seen["thread_id"]}

# test_set_node_defaults_error_handler_collides_with_user_node
b = (StateGraph(S).set_node_defaults(error_handler=h_handled)
     .add_node("__default_error_handler__", lambda s: s).add_edge(START, "__default_error_handler__"))
try:
    b.compile(); out["defaults_collide_with_user_node"] = {"error": None}
except Exception as e:
    out["defaults_collide_with_user_node"] = {"error": err_text(e)}
# and a per-node handler whose generated name is taken
try:
    (StateGraph(S).add_node("__error_handler__a", lambda s: s).add_node("a", lambda s: s, error_handler=lambda s: s)
     .add_edge(START, "a").compile())
    out["node_handler_collides_with_user_node"] = {"error": None}
except Exception as e:
    out["node_handler_collides_with_user_node"] = {"error": err_text(e)}

# test_set_node_defaults_retry_policy / _per_node_wins
def flaky_until(n):
    count = [0]
    def f(state):
        count[0] += 1
        if count[0] < n:
            raise ValueError("not yet")
        return {"foo": "ok"}
    return f, count
f, count = flaky_until(3)
g = (StateGraph(S).set_node_defaults(retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=False, retry_on=ValueError))
     .add_node("flaky", f).add_edge(START, "flaky").compile())
with patch("time.sleep"):
    out["defaults_retry_policy"] = {"result": g.invoke({"foo": ""}), "attempts": count[0]}
f, count = flaky_until(2)
g = (StateGraph(S).set_node_defaults(retry_policy=RetryPolicy(max_attempts=1, initial_interval=0.01, jitter=False, retry_on=ValueError))
     .add_node("flaky", f, retry_policy=RetryPolicy(max_attempts=3, initial_interval=0.01, jitter=False, retry_on=ValueError)).add_edge(START, "flaky").compile())
with patch("time.sleep"):
    out["defaults_retry_policy_per_node_wins"] = {"result": g.invoke({"foo": ""}), "attempts": count[0]}
# the default retry policy also retries an error handler
hcount = [0]
def flaky_handler(state, error: NodeError):
    hcount[0] += 1
    if hcount[0] < 2:
        raise ValueError("handler not yet")
    return {"foo": "handled after %d" % hcount[0]}
g = (StateGraph(S).set_node_defaults(retry_policy=RetryPolicy(max_attempts=2, initial_interval=0.01, jitter=False, retry_on=ValueError))
     .add_node("a", fails("boom", ValueError), error_handler=flaky_handler).add_edge(START, "a").compile())
with patch("time.sleep"):
    out["defaults_retry_policy_retries_handler"] = {"result": g.invoke({"foo": ""}), "handler_calls": hcount[0]}

# test_set_node_defaults_chaining
g = (StateGraph(S).add_node("a", fails("boom")).add_edge(START, "a")
     .set_node_defaults(retry_policy=RetryPolicy(max_attempts=1, initial_interval=0.01, jitter=False), error_handler=h_handled).compile())
out["defaults_chaining"] = {"result": g.invoke({"foo": ""})}

# test_set_node_defaults_combined_retry_and_error_handler
attempts[0] = 0
captured = {}
def fail_count(state):
    attempts[0] += 1
    raise ValueError("Always fails")
def comb_handler(state, error: NodeError):
    captured["error"] = str(error.error)
    return {"foo": "handled"}
g = (StateGraph(S).set_node_defaults(retry_policy=RetryPolicy(max_attempts=2, initial_interval=0.01, jitter=False, retry_on=ValueError), error_handler=comb_handler)
     .add_node("fail", fail_count).add_edge(START, "fail").compile())
with patch("time.sleep"):
    out["defaults_combined_retry_and_error_handler"] = {"result": g.invoke({"foo": ""}), "attempts": attempts[0], "captured": captured}

# test_error_handler_resumes_after_crash
counts = {"node": 0, "handler": 0}
errors = []
should_fail = [True]
def crash_node(state):
    counts["node"] += 1
    raise RuntimeError("boom")
def crash_handler(state, error: NodeError):
    counts["handler"] += 1
    errors.append([error.node, str(error.error)])
    if should_fail[0]:
        raise RuntimeError("handler crash")
    return {"foo": "recovered"}
g = StateGraph(S).set_node_defaults(error_handler=crash_handler).add_node("fail", crash_node).add_edge(START, "fail").compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "t1"}}
try:
    g.invoke({"foo": ""}, config); first = "no error"
except Exception as e:
    first = err_text(e)
counts_first = dict(counts)
should_fail[0] = False
second = g.invoke(None, config)
out["resumes_after_crash"] = {"first": first, "counts_after_first": counts_first, "result": second, "counts": counts, "errors": errors}

# test_error_handler_resumes_after_crash_multiple_nodes (without the cross-thread wait)
counts = {"a": 0, "b": 0, "handler_a": 0, "handler_b": 0}
should_fail = [True]
class L(TypedDict):
    results: Annotated[list[str], operator.add]
def mk(name):
    def n(state):
        counts[name] += 1
        raise RuntimeError(name + " failed")
    def h(state, error: NodeError):
        counts["handler_" + name] += 1
        assert error.node == name and (name + " failed") in str(error.error)
        if should_fail[0]:
            raise RuntimeError("handler_" + name + " crash")
        return {"results": ["recovered_%s:%s" % (name, error.node)]}
    return n, h
na, ha = mk("a"); nb, hb = mk("b")
g = (StateGraph(L).add_node("a", na, error_handler=ha).add_node("b", nb, error_handler=hb)
     .add_edge(START, "a").add_edge(START, "b").compile(checkpointer=InMemorySaver()))
try:
    g.invoke({"results": []}, config); first = "no error"
except Exception as e:
    first = type(e).__name__
counts_first = dict(counts)
should_fail[0] = False
second = g.invoke(None, config)
out["resumes_after_crash_multiple_nodes"] = {"first": first, "counts_after_first": counts_first, "result": second, "counts": counts}

# a handler that interrupts: the run stops as interrupted; the resume answers the handler, not the node again
calls = {"node": 0, "handler": 0}
def count_failing(state):
    calls["node"] += 1
    raise ValueError("boom")
def asking_handler(state, error: NodeError):
    calls["handler"] += 1
    return {"foo": "answer:" + interrupt("fix " + error.node + "?")}
g = (StateGraph(S).add_node("a", count_failing, error_handler=asking_handler).add_edge(START, "a")
     .compile(checkpointer=InMemorySaver()))
config = {"configurable": {"thread_id": "handler-interrupt"}}
first = g.invoke({"foo": ""}, config)
out["handler_interrupt"] = {"first": {"foo": first["foo"], "interrupts": [i.value for i in first["__interrupt__"]]},
                            "counts_after_first": dict(calls)}
out["handler_interrupt"]["resumed"] = g.invoke(Command(resume="yes"), config)
out["handler_interrupt"]["counts"] = dict(calls)

# the drawing: a handler's node is drawn unconnected, just before its node; the default handler's last
def to_b(state):
    return Command(goto="b")
g = (StateGraph(S).set_node_defaults(error_handler=h_handled).add_node("a", lambda s: s, error_handler=to_b)
     .add_node("b", lambda s: s).add_edge(START, "a").compile())
out["drawing"] = {"mermaid": g.get_graph().draw_mermaid(), "nodes": list(g.get_graph().nodes)}

print(json.dumps(out, indent=1, sort_keys=True, default=str))
