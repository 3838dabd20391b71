# Input keys outside a graph's input schema, run against LangGraph 1.2.12; InputSchemaTest asserts these outputs.
# LangGraph's __start__ writes only the keys of the input schema (graph/state.py: _get_updates over the input
# schema's keys) and apply_writes skips channels the graph does not have (a Command's update given as input).
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.types import Command
from langgraph.checkpoint.memory import InMemorySaver

class State(TypedDict):
    a: str
    log: Annotated[list[str], operator.add]

class Input(TypedDict):
    a: str

seen = []
def n(s):
    seen.append(dict(s))
    return {"log": ["n"]}

def graph(**schemas):
    b = StateGraph(State, **schemas)
    b.add_node("n", n)
    b.add_edge(START, "n")
    b.add_edge("n", END)
    return b.compile(checkpointer=InMemorySaver())

def show(label, value):
    print(label, value, "seen:", seen)
    seen.clear()

print("== extra input keys are dropped (test_input_schema_conditional_edge's something_else, as an input)")
g = graph()
c = {"configurable": {"thread_id": "t"}}
show("invoke", g.invoke({"a": "x", "zzz": 1}, c))
print("history", [(s.metadata["source"], s.metadata["step"], s.values) for s in g.get_state_history(c)])

print("== an input of unknown keys only writes nothing; streams")
g = graph()
show("stream", list(g.stream({"zzz": 1}, c, stream_mode=["values", "updates"])))

print("== input_schema (test_in_one_fan_out_state_graph_waiting_edge_custom_state_class_pydantic_input's Input)")
g = graph(input_schema=Input)
show("invoke", g.invoke({"a": "x", "log": ["in"], "zzz": 1}, c))

print("== a Command's update as input: keys that are no channel are skipped")
g = graph()
g.invoke({"a": "x"}, c); seen.clear()
show("command", g.invoke(Command(update={"a": "y", "zzz": 1}, goto="n"), c))

print("== update_state as __start__ with extra keys")
g = graph(input_schema=Input)
s = g.get_state(g.update_state(c, {"a": "u", "log": ["u"], "zzz": 1}, as_node=START))
print("update", s.values, s.next)
