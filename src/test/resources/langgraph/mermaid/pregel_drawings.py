"""The drawings of libs/langgraph/tests/test_pregel.py (test_nested_graph_xray, test_xray_lance, test_xray_issue,
test_xray_bool, test_get_graph_loop, test_get_graph_self_loop, test_get_graph_nonterminal_last_step_source,
test_conditional_entrypoint_graph_state, test_repeat_condition, test_migration_graph) with the
real LangGraph 1.2.12: python pregel_drawings.py writes <test>.mmd (draw_mermaid()) and <test>.json (to_json()) beside
it. MermaidTest builds the same graphs in Java and compares character for character (the JSON as JSON). Node bodies
never run for a drawing; the state types are reduced to what the drawing reads (none of it)."""
import json
import operator
import os
from typing import Annotated, Literal

from typing_extensions import TypedDict

from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, Send, interrupt

here = os.path.dirname(os.path.abspath(__file__))


def write(name, graph, json_too=False, **draw):
    with open(os.path.join(here, name + ".mmd"), "w") as f:
        f.write(graph.draw_mermaid(**draw))
    if json_too:
        with open(os.path.join(here, name + ".json"), "w") as f:
            f.write(json.dumps(graph.to_json(), indent=1, default=repr))


def noop(state):
    return {}


# test_nested_graph_xray
class XState(TypedDict):
    my_key: Annotated[str, operator.add]
    market: str


tool_two_graph = StateGraph(XState)
tool_two_graph.add_node("tool_two_slow", noop)
tool_two_graph.add_node("tool_two_fast", noop)
tool_two_graph.set_conditional_entry_point(lambda s: "tool_two_fast", ["tool_two_slow", "tool_two_fast"])
graph = StateGraph(XState)
graph.add_node("tool_one", noop)
graph.add_node("tool_two", tool_two_graph.compile())
graph.add_node("tool_three", noop)
graph.set_conditional_entry_point(lambda s: "tool_one", ["tool_one", "tool_two", "tool_three"])
write("nested_graph_xray", graph.compile().get_graph(xray=True), json_too=True)


# test_xray_lance (the pydantic analyst/section types are state fields the drawing does not read)
class InterviewState(TypedDict):
    messages: Annotated[list, add_messages]
    analyst: dict
    section: dict


class ResearchGraphState(TypedDict):
    analysts: list
    topic: str
    max_analysts: int
    sections: list
    interviews: Annotated[list, operator.add]


interview_builder = StateGraph(InterviewState)
interview_builder.add_node("ask_question", noop)
interview_builder.add_node("answer_question", noop)
interview_builder.add_edge(START, "ask_question")
interview_builder.add_edge("ask_question", "answer_question")
interview_builder.add_conditional_edges("answer_question", lambda s: "ask_question", ["ask_question", END])
write("xray_lance_interview", interview_builder.compile().with_config(run_name="Conduct Interviews").get_graph())
builder = StateGraph(ResearchGraphState)
builder.add_node("generate_analysts", noop)
builder.add_node("conduct_interview", interview_builder.compile())
builder.add_node("generate_sections", noop)
builder.add_edge(START, "generate_analysts")
builder.add_conditional_edges("generate_analysts", lambda s: [Send("conduct_interview", {})], ["conduct_interview"])
builder.add_edge("conduct_interview", "generate_sections")
builder.add_edge("generate_sections", END)
lance = builder.compile()
write("xray_lance", lance.get_graph())
write("xray_lance_xray1", lance.get_graph(xray=1))


# test_xray_issue, test_xray_bool
class MState(TypedDict):
    messages: Annotated[list, add_messages]


def looped(prefix, second):
    g = StateGraph(MState)
    g.add_node(prefix + "_one", noop)
    g.add_node(prefix + "_two", second)
    g.add_edge("__start__", prefix + "_one")
    g.add_edge(prefix + "_two", prefix + "_one")
    g.add_conditional_edges(prefix + "_one", lambda x: "1", {"0": prefix + "_two", "1": "__end__"})
    return g.compile()


child = StateGraph(MState)
child.add_node("c_one", noop)
child.add_node("c_two", noop)
child.add_edge("__start__", "c_one")
child.add_edge("c_two", "c_one")
child.add_conditional_edges("c_one", lambda x: "1", {"0": "c_two", "1": "__end__"})
write("xray_issue", looped("p", child.compile()).get_graph(xray=True))
write("xray_bool", looped("gp", looped("p", child.compile())).get_graph(xray=True))


# test_get_graph_loop
class FooState(TypedDict):
    foo: str


def human_node(state):
    return {"foo": interrupt()}


workflow = StateGraph(FooState)
workflow.add_node("human", human_node)
workflow.add_node("agent", noop)
workflow.add_edge(START, "human")
workflow.add_edge("human", "agent")
workflow.add_edge("agent", "human")
write("get_graph_loop", workflow.compile().get_graph(), json_too=True, with_styles=False)


# test_get_graph_self_loop (the node's body, which calls a subgraph, never runs for a drawing)
def worker_node(state: MessagesState) -> Command[Literal["worker_node", "__end__"]]:
    return Command(goto=END)


self_loop_builder = StateGraph(MessagesState)
self_loop_builder.add_node("worker_node", worker_node)
self_loop_builder.add_edge(START, "worker_node")
write("get_graph_self_loop", self_loop_builder.compile().get_graph(), json_too=True, with_styles=False)


# test_get_graph_nonterminal_last_step_source (the test compares to_json(); the drawing is written too)
class ListState(TypedDict):
    messages: list


workflow = StateGraph(ListState)
workflow.add_node("chatbot", noop)
workflow.add_node("tools", noop)
workflow.add_node("human", noop)
workflow.add_edge(START, "human")
workflow.add_edge("tools", "chatbot")
workflow.add_conditional_edges("chatbot", lambda s: "tools", {"tools": "tools", "human": "human"})
workflow.add_conditional_edges("human", lambda s: "chatbot", {"chatbot": "chatbot", END: END})
write("get_graph_nonterminal_last_step_source", workflow.compile().get_graph(), json_too=True)


# test_conditional_entrypoint_graph_state (its drawing; the run is StateGraph's own)
class AgentState(TypedDict, total=False):
    input: str
    output: str
    steps: Annotated[list, operator.add]


workflow = StateGraph(AgentState)
workflow.add_node("left", noop)
workflow.add_node("right", noop)
workflow.set_conditional_entry_point(lambda s: "go-left", {"go-left": "left", "go-right": "right"})
workflow.add_conditional_edges("left", lambda data: END, {END: END})
workflow.add_edge("right", END)
write("conditional_entrypoint_graph_state", workflow.compile().get_graph(), json_too=True, with_styles=False)


# test_repeat_condition
class HelloState(TypedDict):
    hello: str


workflow = StateGraph(HelloState)
workflow.add_node("Researcher", noop)
workflow.add_node("Chart Generator", noop)
workflow.add_node("Call Tool", noop)
workflow.add_conditional_edges("Researcher", lambda s: "hmm", {"redo": "Researcher", "continue": "Chart Generator",
                                                              "call_tool": "Call Tool", "end": END})
workflow.add_conditional_edges("Chart Generator", lambda s: "hmm",
                               {"continue": "Researcher", "call_tool": "Call Tool", "end": END})
workflow.add_conditional_edges("Call Tool", lambda x: x["sender"],
                               {"Researcher": "Researcher", "Chart Generator": "Chart Generator"})
workflow.set_entry_point("Researcher")
write("repeat_condition", workflow.compile().get_graph(), with_styles=False)


# test_migration_graph (its pydantic state is not read by the drawing)
class PassState(TypedDict):
    pass_count: int


migration_graph = StateGraph(PassState)
for name in ("B", "C", "D"):
    migration_graph.add_node(name, noop)
migration_graph.add_edge(START, "B")
migration_graph.add_conditional_edges("B", lambda s: "X", {"X": "C", "Y": "D"})
migration_graph.add_edge("D", "B")
migration_graph.add_edge("C", END)
write("migration_graph", migration_graph.compile().get_graph(), with_styles=False)
