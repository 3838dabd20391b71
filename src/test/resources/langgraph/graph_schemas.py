# Expected values for io.graphloop.graph.GraphSchemasTest: LangGraph 1.2.12's get_input_jsonschema() /
# get_output_jsonschema() (what the LangGraph server's GET /assistants/{id}/schemas serves) for graphs equivalent to
# the test's. Run: /work/venv-lg/bin/python graph_schemas.py > graph_schemas.json
import json, operator
from enum import Enum
from typing import Annotated, Any
from typing_extensions import TypedDict
from langchain_core.messages import AnyMessage
from langgraph.graph import StateGraph, START, END
from langgraph.graph.message import add_messages


class Mood(Enum):
    CALM = "CALM"
    BUSY = "BUSY"


class Place(TypedDict):
    city: str
    zip_code: int


class Research(TypedDict):
    topic: str
    count: int
    ratio: float
    done: bool
    notes: Annotated[list[str], operator.add]
    scores: dict[str, float]
    anything: Any
    mood: Mood
    place: Place


class Question(TypedDict):
    topic: str


class Chat(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


def compiled(state, **kwargs):
    g = StateGraph(state, **kwargs)
    g.add_node("n", lambda s: {})
    g.add_edge(START, "n")
    g.add_edge("n", END)
    return g.compile()


research = compiled(Research)
chat = compiled(Chat)
out = {
    "research_input": research.get_input_jsonschema(),
    "research_output": research.get_output_jsonschema(),
    "question_input": compiled(Research, input_schema=Question).get_input_jsonschema(),
    "chat_input": chat.get_input_jsonschema(),
}
print(json.dumps(out, indent=1, sort_keys=True))
