# test_in_one_fan_out_state_graph_waiting_edge_custom_state_class_pydantic2 of libs/langgraph/tests/test_pregel.py
# (a pydantic state with a nested model, a custom sorted reducer, pydantic update objects, input and output
# schemas), run against LangGraph 1.2.12 with an InMemorySaver. PregelPydanticFanOutParityTest compares its Java form
# (records) with the JSON this prints:
#   /work/venv-lg/bin/python pregel_pydantic_fanout.py > pregel_pydantic_fanout.json
import json
import operator
import time
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import StateGraph


def sorted_add(x: list[str], y: list[str] | list[tuple[str, str]]) -> list[str]:
    if isinstance(y[0], tuple):
        for rem, _ in y:
            x.remove(rem)
        y = [t[1] for t in y]
    return sorted(operator.add(x, y))


class InnerObject(BaseModel):
    yo: int


class State(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True)

    query: str
    inner: Annotated[InnerObject, lambda x, y: y]
    answer: str | None = None
    docs: Annotated[list[str], sorted_add]


class StateUpdate(BaseModel):
    query: str | None = None
    answer: str | None = None
    docs: list[str] | None = None


class UpdateDocs34(BaseModel):
    docs: list[str] = Field(default_factory=lambda: ["doc3", "doc4"])


class Input(BaseModel):
    query: str
    inner: InnerObject


class Output(BaseModel):
    answer: str
    docs: list[str]


def rewrite_query(data: State) -> State:
    assert isinstance(data.inner, InnerObject)
    return {"query": f"query: {data.query}"}


def analyzer_one(data: State) -> State:
    assert isinstance(data.inner, InnerObject)
    return StateUpdate(query=f"analyzed: {data.query}")


def retriever_one(data: State) -> State:
    return {"docs": ["doc1", "doc2"]}


def retriever_two(data: State) -> State:
    time.sleep(0.1)
    return UpdateDocs34()


def qa(data: State) -> State:
    return {"answer": ",".join(data.docs)}


def decider(data: State) -> str:
    assert isinstance(data, State)
    return "retriever_two"


workflow = StateGraph(State, input_schema=Input, output_schema=Output)
workflow.add_node("rewrite_query", rewrite_query)
workflow.add_node("analyzer_one", analyzer_one)
workflow.add_node("retriever_one", retriever_one)
workflow.add_node("retriever_two", retriever_two)
workflow.add_node("qa", qa)
workflow.set_entry_point("rewrite_query")
workflow.add_edge("rewrite_query", "analyzer_one")
workflow.add_edge("analyzer_one", "retriever_one")
workflow.add_conditional_edges("rewrite_query", decider, {"retriever_two": "retriever_two"})
workflow.add_edge(["retriever_one", "retriever_two"], "qa")
workflow.set_finish_point("qa")
app = workflow.compile()


def dump(value):
    if isinstance(value, BaseModel):
        return value.model_dump()
    if isinstance(value, dict):
        return {k: dump(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [dump(v) for v in value]
    return value


out = {}
try:
    app.invoke({"query": {}})
    out["invalid_input"] = "accepted"
except ValidationError as e:
    out["invalid_input"] = "ValidationError"
out["invoke"] = dump(app.invoke({"query": "what is weather in sf", "inner": {"yo": 1}}))
out["stream"] = dump([*app.stream({"query": "what is weather in sf", "inner": {"yo": 1}})])

app_w_interrupt = workflow.compile(checkpointer=InMemorySaver(), interrupt_after=["retriever_one"])
config = {"configurable": {"thread_id": "1"}}
out["interrupted"] = dump([c for c in app_w_interrupt.stream(
    {"query": "what is weather in sf", "inner": {"yo": 1}}, config)])
out["resumed"] = dump([c for c in app_w_interrupt.stream(None, config)])
updated = app_w_interrupt.update_state(config, {"docs": ["doc5"]}, as_node="rewrite_query")
out["updated_config_keys"] = sorted(updated["configurable"].keys())
state = app_w_interrupt.get_state(config)
out["after_update"] = {"values": dump(state.values), "next": list(state.next)}
print(json.dumps({"test_in_one_fan_out_state_graph_waiting_edge_custom_state_class_pydantic2": out}, indent=2,
                 sort_keys=True))
