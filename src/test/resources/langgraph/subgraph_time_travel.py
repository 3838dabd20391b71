# Time travel into a subgraph's own checkpoint (a config whose checkpoint_ns names the child), run against LangGraph
# 1.2.12; SubgraphTimeTravelParityTest asserts these outputs. Each scenario names the test of
# libs/langgraph/tests/test_time_travel.py it mirrors.
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, interrupt


class State(TypedDict):
    value: Annotated[list[str], operator.add]


called = []


def node(name, value):
    def run(s):
        called.append(name)
        return {"value": [value]}
    return run


def asker(name, question, prefix):
    def run(s):
        called.append(name)
        return {"value": [f"{prefix}:{interrupt(question)}"]}
    return run


def flow(checkpointer):
    sub = (StateGraph(State).add_node("step_a", node("step_a", "sub_a"))
           .add_node("ask_human", asker("ask_human", "Provide input:", "human")).add_node("step_b", node("step_b", "sub_b"))
           .add_edge(START, "step_a").add_edge("step_a", "ask_human").add_edge("ask_human", "step_b")
           .compile(checkpointer=checkpointer))
    return (StateGraph(State).add_node("router", node("router", "routed")).add_node("subgraph_node", sub)
            .add_node("post_process", node("post_process", "post")).add_edge(START, "router")
            .add_edge("router", "subgraph_node").add_edge("subgraph_node", "post_process")
            .compile(checkpointer=InMemorySaver()))


def show(r):
    out = (r["value"], [i.value for i in r.get("__interrupt__", [])], list(called))
    called.clear()
    return out


for mode in (True, None):
    print(f"== test_subgraph_replay_from_subgraph_checkpoint checkpointer={mode}")
    app = flow(mode)
    c = {"configurable": {"thread_id": "1"}}
    print("first", show(app.invoke({"value": []}, c)))
    sub_config = app.get_state(c, subgraphs=True).tasks[0].state.config
    print("ns", sub_config["configurable"]["checkpoint_ns"].split(":")[0])
    print("replay", show(app.invoke(None, sub_config)))
    print("resume", show(app.invoke(Command(resume="replayed_answer"), sub_config)))
    print("history", [(s.metadata["source"], list(s.next), s.values["value"]) for s in app.get_state_history(c)])

    print(f"== test_subgraph_interrupt_full_flow checkpointer={mode}")
    app = flow(mode)
    print("first", show(app.invoke({"value": []}, c)))
    sub_config = app.get_state(c, subgraphs=True).tasks[0].state.config
    fork_config = app.update_state(sub_config, {"value": ["sub_forked"]})
    print("fork ns", fork_config["configurable"]["checkpoint_ns"].split(":")[0])
    fs = app.get_state(fork_config)
    print("fork state", list(fs.next), fs.values, fs.metadata["source"])
    print("replay", show(app.invoke(None, fork_config)))
    print("resume", show(app.invoke(Command(resume="new_answer"), fork_config)))

print("== test_subgraph_time_travel_to_first_interrupt / second")
def executor_graph():
    ex = (StateGraph(State).add_node("step_a", node("step_a", "step_a_done"))
          .add_node("ask_1", asker("ask_1", "Question 1?", "ask_1")).add_node("ask_2", asker("ask_2", "Question 2?", "ask_2"))
          .add_edge(START, "step_a").add_edge("step_a", "ask_1").add_edge("ask_1", "ask_2").add_edge("ask_2", "__end__")
          .compile(checkpointer=True))
    return StateGraph(State).add_node("executor", ex).add_edge(START, "executor").compile(checkpointer=InMemorySaver())
app = executor_graph()
c = {"configurable": {"thread_id": "1"}}
print("first", show(app.invoke({"value": []}, c)))
at_first = app.get_state(c, subgraphs=True).tasks[0].state.config
print("second", show(app.invoke(Command(resume="answer_1"), c)))
at_second = app.get_state(c, subgraphs=True).tasks[0].state.config
print("done", show(app.invoke(Command(resume="answer_2"), c)))
print("replay first", show(app.invoke(None, at_first)))
fork = app.update_state(at_first, {"value": ["forked"]})
print("fork first", show(app.invoke(None, fork)))
print("resume fork", show(app.invoke(Command(resume="new_1"), fork)))
print("replay second", show(app.invoke(None, at_second)))
print("resume second", show(app.invoke(Command(resume="new_2"), at_second)))
