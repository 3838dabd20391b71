# Per-node input schemas (LangGraph's add_node with a node whose first parameter is typed with its own TypedDict):
# test_pregel.py::test_node_schemas_custom_output run against LangGraph 1.2.12, recording what each node receives,
# what invoke returns and the updates stream, plus a Send to a node with an input schema (its argument is passed
# whole, as LangGraph maps only PULL tasks' input). NodeInputKeysParityTest compares its Java form:
#   /work/venv-lg/bin/python node_input_schemas.py > node_input_schemas.json
import json
from typing import Annotated

from typing_extensions import TypedDict
from langgraph.graph import START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Send


def d(value):
    """Messages as {type, content} (ParityExpectations.typeAndContent); other values kept."""
    if isinstance(value, dict):
        return {k: d(v) for k, v in value.items()}
    if isinstance(value, list):
        return [d(v) for v in value]
    if hasattr(value, "type") and hasattr(value, "content"):
        return {"type": value.type, "content": value.content}
    return value


class State(TypedDict):
    hello: str
    bye: str
    messages: Annotated[list[str], add_messages]


class Output(TypedDict):
    messages: list[str]


class StateForA(TypedDict):
    hello: str
    messages: Annotated[list[str], add_messages]


class StateForB(TypedDict):
    bye: str
    now: int


class StateForC(TypedDict):
    hello: str
    now: int


def build(seen):
    def node_a(state: StateForA) -> State:
        seen.append(["a", d(state)])

    def node_b(state: StateForB):
        seen.append(["b", d(state)])
        return {"now": 123, "hello": "again"}

    def node_c(state: StateForC) -> StateForC:
        seen.append(["c", d(state)])

    builder = StateGraph(State, output_schema=Output)
    builder.add_node("a", node_a)
    builder.add_node("b", node_b)
    builder.add_node("c", node_c)
    builder.add_edge(START, "a")
    builder.add_edge("a", "b")
    builder.add_edge("b", "c")
    return builder.compile()


out = {}
seen = []
out["test_node_schemas_custom_output"] = {
    "invoke": d(build(seen).invoke({"hello": "there", "bye": "world", "messages": "hello"})),
    "seen": seen,
}
seen = []
graph = build(seen)
out["test_node_schemas_custom_output_ignored_input"] = {
    "invoke": d(graph.invoke({"hello": "there", "bye": "world", "messages": "hello", "now": 345})),
    "stream": d(list(graph.stream({"hello": "there", "bye": "world", "messages": "hello", "now": 345}))),
    "seen": seen,
}


class SendState(TypedDict):
    items: list
    done: Annotated[list, lambda a, b: a + b]


class Only(TypedDict):
    items: list


got = []


def worker(state: Only):
    got.append(state)
    return {"done": [state.get("x", "?")]}


b = StateGraph(SendState)
b.add_node("fan", lambda s: {})
b.add_node("worker", worker)
b.add_edge(START, "fan")
b.add_conditional_edges("fan", lambda s: [Send("worker", {"x": i, "extra": True}) for i in s["items"]])
out["send_to_a_node_with_an_input_schema"] = {"invoke": b.compile().invoke({"items": [1, 2], "done": []}),
                                               "worker_inputs": got}
print(json.dumps(out, indent=1, sort_keys=True))
