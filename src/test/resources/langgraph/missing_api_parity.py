# Class 9 (missing API) of issue 10, run against LangGraph 1.2.12; MissingApiParityTest asserts this output.
import operator, time
from typing import Annotated, Any
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.types import Command, Overwrite, interrupt
from langgraph.func import entrypoint, task
from langgraph.checkpoint.memory import InMemorySaver

# test_overwrite_sequential / test_overwrite_parallel (with a checkpointer; Overwrite object and its JSON form)
class M(TypedDict):
    messages: Annotated[list, operator.add]
for as_json in (False, True):
    ow = {"__overwrite__": ["b"]} if as_json else Overwrite(["b"])
    b = StateGraph(M)
    b.add_node("node_a", lambda s: {"messages": ["a"]}); b.add_node("node_b", lambda s: {"messages": ow})
    b.add_edge(START, "node_a"); b.add_edge("node_a", "node_b")
    g = b.compile(checkpointer=InMemorySaver()); cfg = {"configurable": {"thread_id": "1"}}
    print("overwrite_sequential", as_json, g.invoke({"messages": ["START"]}, cfg))
    b = StateGraph(M)
    b.add_node("node_a", lambda s: {"messages": ["a"]}); b.add_node("node_b", lambda s: {"messages": ow})
    b.add_node("node_c", lambda s: {"messages": ["c"]}); b.add_node("node_d", lambda s: {"messages": ["d"]})
    b.add_edge(START, "node_a"); b.add_edge("node_a", "node_b"); b.add_edge("node_a", "node_c")
    b.add_edge("node_b", "node_d"); b.add_edge("node_c", "node_d")
    g = b.compile(checkpointer=InMemorySaver()); cfg = {"configurable": {"thread_id": "1"}}
    print("overwrite_parallel", as_json, g.invoke({"messages": ["START"]}, cfg))
    print("overwrite_parallel updates", as_json, list(g.stream({"messages": ["START"]}, {"configurable": {"thread_id": "2"}}, stream_mode="updates")))
    print("overwrite_parallel history", as_json, [(h.metadata["step"], h.values["messages"]) for h in g.get_state_history(cfg)])

# test_entrypoint_stateful_update_state
states = []
@entrypoint(checkpointer=InMemorySaver())
def foo(inputs, *, previous: Any) -> Any:
    states.append(previous)
    return {"previous": previous, "current": inputs}
cfg = {"configurable": {"thread_id": "1"}}
foo.update_state(cfg, {"a": "-1"})
print("update_state state", foo.get_state(cfg).values, foo.get_state(cfg).next, foo.get_state(cfg).metadata)
print("stateful 1", foo.invoke({"a": "1"}, cfg))
print("stateful 2", foo.invoke({"a": "2"}, cfg))
foo.update_state(cfg, {"a": "3"})
print("stateful stream", list(foo.stream({"a": "1"}, cfg)))
print("stateful states", states)
print("stateful history", [(h.metadata["source"], h.metadata["step"], h.values) for h in foo.get_state_history(cfg)])

# test_imp_nested: a task calling a task, calls in parallel, an interrupt, then resume (the subgraph part left out)
@task
def submapper(input: int) -> str:
    time.sleep(input / 100)
    return str(input)
@task()
def mapper(input: int) -> str:
    sub = submapper(input)
    time.sleep(input / 100)
    return sub.result() * 2
@entrypoint(checkpointer=InMemorySaver())
def graph(input: list[int]) -> list[str]:
    futures = [mapper(i) for i in input]
    mapped = [f.result() for f in futures]
    answer = interrupt("question")
    return [m + answer for m in mapped]
t1 = {"configurable": {"thread_id": "1"}}
res = list(graph.stream([0, 1], t1))
print("imp_nested first", sorted([str(r) for r in res[:-1]]), [i.value for i in res[-1]["__interrupt__"]])
print("imp_nested resume", graph.invoke(Command(resume="answer"), t1))
print("imp_nested tasks stream", [(c["name"], "result" in c) for c in graph.stream([2], {"configurable": {"thread_id": "2"}}, stream_mode="tasks")])

# test_named_tasks_functional (the tasks named explicitly)
@task(name="custom_bar")
def bar(value: str) -> str:
    return value + "|bar"
foo_t = task(lambda v: v + "foo", name="custom_foo")
@entrypoint()
def workflow(inputs: str) -> str:
    r = foo_t(inputs).result()
    return bar(r).result()
print("named", list(workflow.stream("", stream_mode="updates")))
