# LangGraph's output schema (StateGraph(..., output_schema=...)), run against LangGraph 1.2.12: what invoke returns,
# what the values/updates streams and get_state keep, what a subgraph with an output schema writes to its parent, an
# interrupted and a resumed invoke, and the output JSON schema. OutputSchemaParityTest compares its Java form:
#   /work/venv-lg/bin/python output_schema.py > output_schema.json
import json
import operator
from typing import Annotated

from typing_extensions import TypedDict
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt


class State(TypedDict):
    a: str
    b: Annotated[list, operator.add]
    c: str


class Input(TypedDict):
    a: str


class Output(TypedDict):
    b: list


out = {}

builder = StateGraph(State, input_schema=Input, output_schema=Output)
builder.add_node("n1", lambda s: {"b": ["x"], "c": "c1"})
builder.add_node("n2", lambda s: {"c": "c2"})
builder.add_edge(START, "n1")
builder.add_edge("n1", "n2")
app = builder.compile(checkpointer=InMemorySaver())
out["test_output_schema_invoke"] = {
    "invoke": app.invoke({"a": "in", "c": "dropped"}, {"configurable": {"thread_id": "1"}}),
    "state": app.get_state({"configurable": {"thread_id": "1"}}).values,
    "values": list(app.stream({"a": "in"}, {"configurable": {"thread_id": "2"}}, stream_mode="values")),
    "updates": list(app.stream({"a": "in"}, {"configurable": {"thread_id": "3"}}, stream_mode="updates")),
    # without "required": Graphloop's schemas list no required property (GraphSchemas; LANGGRAPH-DIFFERENCES.md)
    "output_schema": {k: v for k, v in app.get_output_jsonschema().items() if k != "required"},
}

child_builder = StateGraph(State, output_schema=Output)
child_builder.add_node("inner", lambda s: {"a": "child-a", "b": ["x"], "c": "child-c"})
child_builder.add_edge(START, "inner")
parent_builder = StateGraph(State)
parent_builder.add_node("child", child_builder.compile())
parent_builder.add_edge(START, "child")
parent = parent_builder.compile()
out["test_output_schema_subgraph"] = {
    "invoke": parent.invoke({"a": "in", "c": "pc"}),
    "updates": list(parent.stream({"a": "in", "c": "pc"}, stream_mode="updates")),
}


def ask(state):
    return {"b": [interrupt("q")]}


asking = StateGraph(State, output_schema=Output)
asking.add_node("n1", lambda s: {"c": "c1"})
asking.add_node("ask", ask)
asking.add_edge(START, "n1")
asking.add_edge("n1", "ask")
app = asking.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "t"}}
first = app.invoke({"a": "x"}, config)
out["test_output_schema_interrupt"] = {
    "interrupted": {k: v for k, v in first.items() if k != "__interrupt__"},
    "asked": [i.value for i in first["__interrupt__"]],
    "resumed": app.invoke(Command(resume="ans"), config),
    "state": app.get_state(config).values,
}

print(json.dumps(out, indent=2, sort_keys=True))
