# The pydantic/dataclass state tests of libs/langgraph/tests/test_pregel.py that map onto Graphloop's typed state (a
# Java record): test_pydantic_none_state_update, test_pydantic_state_update_command and test_command_pydantic_dataclass,
# run against LangGraph 1.2.12. PregelTypedStateParityTest compares its Java form with the JSON this prints:
#   /work/venv-lg/bin/python pregel_typed.py > pregel_typed.json
import json
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command

out = {}


# test_pydantic_none_state_update: a node returning the state with foo=None writes None
class NoneState(BaseModel):
    foo: str | None


graph = StateGraph(NoneState).add_node("node_a", lambda s: NoneState(foo=None)).add_edge(START, "node_a").compile()
out["test_pydantic_none_state_update"] = graph.invoke({"foo": ""})

# test_pydantic_state_update_command: the same through a Command, then a partial state and a Command's partial state
graph = (StateGraph(NoneState).add_node("node_a", lambda s: Command(update=NoneState(foo=None)))
         .add_edge(START, "node_a").compile())
first = graph.invoke({"foo": ""})


class TwoState(BaseModel):
    foo: str | None = None
    bar: str | None = None


builder = StateGraph(TwoState)
builder.add_node("node_a", lambda s: TwoState(foo="foo"))
builder.add_node("node_b", lambda s: Command(update=TwoState(bar="bar")))
builder.add_edge(START, "node_a")
builder.add_edge("node_a", "node_b")
builder.add_edge("node_b", END)
out["test_pydantic_state_update_command"] = {"none": first, "partial": builder.compile().invoke(TwoState())}


# test_command_pydantic_dataclass: a Command whose update is the state object, with goto
class PydanticState(BaseModel):
    foo: str


@dataclass
class DataclassState:
    foo: str


results = {}
for State in (PydanticState, DataclassState):
    def node_a(state, S=State) -> Command[Literal["node_b"]]:
        return Command(update=S(foo="foo"), goto="node_b")

    def node_b(state):
        return {"foo": state.foo + "bar"}

    builder = StateGraph(State)
    builder.add_edge(START, "node_a")
    builder.add_node("node_a", node_a)
    builder.add_node("node_b", node_b)
    results[State.__name__] = builder.compile().invoke(State(foo=""))
out["test_command_pydantic_dataclass"] = results

print(json.dumps(out, indent=1))
