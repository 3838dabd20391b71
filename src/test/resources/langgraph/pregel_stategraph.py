# StateGraph tests of libs/langgraph/tests/test_pregel.py run against LangGraph 1.2.12: test_overwrite_sequential and
# test_overwrite_parallel_error (both forms of Overwrite: the object and its JSON {"__overwrite__": ...}), and
# test_multistep_plan (Commands going to the nodes of a plan kept in the state, one of them a list of two nodes),
# test_graph_validation_with_command (a graph routed by Commands alone) and test_parent_command_goto (a subgraph's
# Command.PARENT with goto, the subgraph with checkpointer True or False, step timeouts inner/outer/both).
# PregelStateGraphParityTest compares its Java form with the JSON this prints:
#   /work/venv-lg/bin/python pregel_stategraph.py > pregel_stategraph.json
# A message shows as [type, content].
import json
import operator
from typing import Annotated

from langchain_core.messages import AnyMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.errors import InvalidUpdateError
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, Overwrite
from typing_extensions import TypedDict

out = {}


class ListState(TypedDict):
    messages: Annotated[list, operator.add]


def overwrite(value, as_json):
    return {"__overwrite__": value} if as_json else Overwrite(value)


for as_json in (False, True):
    form = "json" if as_json else "object"
    builder = StateGraph(ListState)
    builder.add_node("node_a", lambda s: {"messages": ["a"]})
    builder.add_node("node_b", lambda s, j=as_json: {"messages": overwrite(["b"], j)})
    builder.add_edge(START, "node_a")
    builder.add_edge("node_a", "node_b")
    graph = builder.compile(checkpointer=InMemorySaver())
    out[f"test_overwrite_sequential[{form}]"] = graph.invoke({"messages": ["START"]},
                                                              {"configurable": {"thread_id": "1"}})

    builder = StateGraph(ListState)
    builder.add_node("node_a", lambda s: {"messages": ["a"]})
    builder.add_node("node_b", lambda s, j=as_json: {"messages": overwrite(["b"], j)})
    builder.add_node("node_c", lambda s, j=as_json: {"messages": overwrite(["c"], j)})
    builder.add_edge(START, "node_a")
    builder.add_edge("node_a", "node_b")
    builder.add_edge("node_a", "node_c")
    builder.add_edge("node_b", END)
    builder.add_edge("node_c", END)
    graph = builder.compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "1"}}
    try:
        graph.invoke({"messages": ["START"]}, config)
        out[f"test_overwrite_parallel_error[{form}]"] = "no error"
    except InvalidUpdateError as e:
        out[f"test_overwrite_parallel_error[{form}]"] = {"error": str(e).split("\n")[0]}


class PlanState(TypedDict, total=False):
    plan: list
    messages: Annotated[list[AnyMessage], add_messages]


def planner(state):
    if state.get("plan") is None:
        first_step, *plan = ["step1", ["step2", "step3"], "step4"]
        return Command(goto=first_step, update={"plan": plan})
    elif state["plan"]:
        next_step, *next_plan = state["plan"]
        return Command(goto=next_step, update={"plan": next_plan})


def step(name):
    return lambda state: Command(goto="planner", update={"messages": [("human", name)]})


builder = StateGraph(PlanState)
builder.add_node("planner", planner)
for name in ("step1", "step2", "step3", "step4"):
    builder.add_node(name, step(name))
builder.add_edge(START, "planner")
graph = builder.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "1"}}
result = graph.invoke({"messages": [("human", "start")]}, config)
out["test_multistep_plan"] = {
    "messages": [[m.type, m.content] for m in result["messages"]], "plan": result["plan"],
    "history": [{"step": h.metadata["step"], "next": list(h.next)} for h in graph.get_state_history(config)]}



# test_graph_validation_with_command
class FooBar(TypedDict):
    foo: str
    bar: str


builder = StateGraph(FooBar)
builder.add_node("a", lambda s: Command(goto="b", update={"foo": "bar"}))
builder.add_node("b", lambda s: Command(goto=END, update={"bar": "baz"}))
builder.add_edge(START, "a")
out["test_graph_validation_with_command"] = builder.compile().invoke({"foo": ""})


# test_parent_command_goto
class DialogState(TypedDict):
    dialog_state: Annotated[list[str], operator.add]


for persist in (True, False):
    for with_timeout in (False, "inner", "outer", "both"):
        sub_builder = StateGraph(DialogState)
        sub_builder.add_node("node_a_child", lambda s: {"dialog_state": ["a_child_state"]})
        sub_builder.add_node("node_b_child", lambda s: Command(graph=Command.PARENT, goto="node_b_parent",
                                                                update={"dialog_state": ["b_child_state"]}))
        sub_builder.add_edge(START, "node_a_child")
        sub_builder.add_edge("node_a_child", "node_b_child")
        sub_graph = sub_builder.compile(checkpointer=persist)
        if with_timeout in ("inner", "both"):
            sub_graph.step_timeout = 1
        main_builder = StateGraph(DialogState)
        main_builder.add_node("node_b_parent", lambda s: {"dialog_state": ["node_b_parent"]})
        main_builder.add_edge(START, "subgraph_node")
        main_builder.add_node("subgraph_node", sub_graph, destinations=("node_b_parent",))
        main_graph = main_builder.compile(InMemorySaver(), name="parent")
        if with_timeout in ("outer", "both"):
            main_graph.step_timeout = 1
        config = {"configurable": {"thread_id": 1}}
        out[f"test_parent_command_goto[{persist}-{with_timeout}]"] = main_graph.invoke(
            input={"dialog_state": ["init_state"]}, config=config)

print(json.dumps(out, indent=1))
