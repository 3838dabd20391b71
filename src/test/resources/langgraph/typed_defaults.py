# Issue 10, typed state field defaults on last-value keys, run against LangGraph 1.2.12; TypedDefaultsParityTest
# asserts this output. A pydantic model and a dataclass with defaults (x: int = 0, s: str = "a", a list with
# default_factory, Optional None, and an operator.add list whose factory default is ["n0"]), a TypedDict without.
# Run: /work/venv-lg/bin/python src/test/resources/langgraph/typed_defaults.py
import dataclasses
import json
import operator
from typing import Annotated, Optional

from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph


class P(BaseModel):
    req: Optional[str] = None
    x: int = 0
    s: str = "a"
    items: list[str] = Field(default_factory=list)
    o: Optional[str] = None
    notes: Annotated[list[str], operator.add] = Field(default_factory=lambda: ["n0"])


@dataclasses.dataclass
class D:
    req: Optional[str] = None
    x: int = 0
    s: str = "a"
    items: list[str] = dataclasses.field(default_factory=list)
    o: Optional[str] = None
    notes: Annotated[list[str], operator.add] = dataclasses.field(default_factory=lambda: ["n0"])


class T(TypedDict, total=False):
    req: Optional[str]
    x: int
    s: str
    items: list[str]
    o: Optional[str]
    notes: Annotated[list[str], operator.add]


def view(state):
    if isinstance(state, dict):
        return dict(state)
    return {k: getattr(state, k) for k in ("req", "x", "s", "items", "o", "notes")}


def run(schema, label):
    seen = []

    def a(state):
        seen.append(["a", view(state)])
        return {"x": 5}

    def b(state):
        seen.append(["b", view(state)])
        return {"s": "b"}

    def route(state):
        seen.append(["route", view(state)])
        return "b"

    g = StateGraph(schema)
    g.add_node("a", a)
    g.add_node("b", b)
    g.add_edge(START, "a")
    g.add_conditional_edges("a", route, ["b"])
    g.add_edge("b", END)
    app = g.compile(checkpointer=InMemorySaver(), interrupt_before=["b"])
    cfg = {"configurable": {"thread_id": "1"}}
    schema_json = app.get_input_jsonschema()["properties"]
    print(label, "input schema defaults",
          json.dumps({k: v["default"] for k, v in schema_json.items() if "default" in v}, sort_keys=True))
    print(label, "values", json.dumps([c for c in app.stream({"req": "r"}, cfg, stream_mode="values")]))
    print(label, "state", json.dumps(app.get_state(cfg).values, sort_keys=True))
    print(label, "result", json.dumps(app.invoke(None, cfg), sort_keys=True))
    print(label, "history", json.dumps([[h.metadata["step"], h.values] for h in app.get_state_history(cfg)],
                                       sort_keys=True))
    print(label, "seen", json.dumps(seen, sort_keys=True))
    # a default is not a write: writing the default's value or None stores it
    cfg = {"configurable": {"thread_id": "2"}}
    print(label, "explicit", json.dumps(app.invoke({"x": 0, "o": None, "s": "a"}, cfg), sort_keys=True))


for schema, label in ((P, "pydantic"), (D, "dataclass"), (T, "typeddict")):
    run(schema, label)
