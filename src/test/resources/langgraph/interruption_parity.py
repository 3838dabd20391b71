# Interrupts and breakpoints of StateGraphs (test_interruption.py, test_large_cases.py and test_pregel.py scenarios)
# run against LangGraph 1.2.12; InterruptionParityTest asserts these outputs. Interrupts are shown as {"value": v}
# (their ids are digests of task namespaces, checked by InterruptIdsParityTest).
import operator, time, json
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import START, END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Command, Send, interrupt, RetryPolicy, Interrupt

def norm(x):
    if isinstance(x, Interrupt):
        return {"value": norm(x.value)}
    if isinstance(x, dict):
        return {k: norm(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [norm(v) for v in x]
    return x

def out(label, value):
    print(label, json.dumps(norm(value), ensure_ascii=False))

def state(label, g, c):
    s = g.get_state(c)
    out(label, {"values": s.values, "next": list(s.next), "tasks": [[t.name, t.result, list(t.interrupts)] for t in s.tasks],
                "source": s.metadata["source"], "step": s.metadata["step"], "interrupts": list(s.interrupts),
                "history": len(list(g.get_state_history(c)))})

print("== test_interruption_without_state_updates")
class In(TypedDict):
    input: str
b = StateGraph(In)
for n in ("step_1", "step_2", "step_3"): b.add_node(n, lambda s: None)
b.add_edge(START, "step_1"); b.add_edge("step_1", "step_2"); b.add_edge("step_2", "step_3"); b.add_edge("step_3", END)
for durability in ("sync", "async", "exit"):
    g = b.compile(checkpointer=InMemorySaver(), interrupt_after="*")
    c = {"configurable": {"thread_id": "1"}}
    runs = [g.invoke({"input": "hello world"}, c, durability=durability)]
    seen = [[list(g.get_state(c).next), len(list(g.get_state_history(c)))]]
    for _ in range(2):
        runs.append(g.invoke(None, c, durability=durability))
        seen.append([list(g.get_state(c).next), len(list(g.get_state_history(c)))])
    out("without-updates " + durability, [runs, seen,
        [(h.metadata["source"], h.metadata["step"], list(h.next)) for h in g.get_state_history(c)]])

print("== test_interrupt_loop")
class Age(TypedDict):
    age: int
    other: str
def ask_age(s):
    question = "How old are you?"
    value = None
    for _ in range(10):
        value = interrupt(question)
        if not value.isdigit() or int(value) < 18:
            question = "invalid response"
            value = None
        else:
            break
    return {"age": int(value)}
g = StateGraph(Age).add_node("node", ask_age).add_edge(START, "node").compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "1"}}
out("loop 1", list(g.stream({"other": ""}, c)))
for answer in ("13", "15", "19"):
    out("loop " + answer, list(g.stream(Command(resume=answer), c)))
state("loop state", g, c)

print("== test_node_before_interrupt_resume_graph_api")
class Topics(TypedDict):
    topics: list[str]
    answers: Annotated[list[str], operator.add]
def ask(s):
    answers = []
    for topic in s["topics"]:
        answers.append(interrupt(f"Whats the answer for {topic}?"))
    return {"answers": answers}
g = (StateGraph(Topics).add_node("setup", lambda s: {"topics": [f"topic {i + 1}" for i in range(len(s["topics"]))]})
     .add_node("ask", ask).add_edge(START, "setup").add_edge("setup", "ask").add_edge("ask", END)
     .compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "1"}}
out("topics 1", g.invoke({"topics": ["a", "b"], "answers": []}, c))
out("topics 2", g.invoke(Command(resume="answer1"), c))
state("topics state", g, c)
out("topics 3", g.invoke(Command(resume="answer2"), c))
state("topics done", g, c)

print("== test_command_with_static_breakpoints / test_command_goto_with_static_breakpoints")
class Foo(TypedDict):
    foo: str
b = StateGraph(Foo)
b.add_node("node1", lambda s: {"foo": s["foo"] + "|node-1"}); b.add_node("node2", lambda s: {"foo": s["foo"] + "|node-2"})
b.add_edge(START, "node1"); b.add_edge("node1", "node2")
g = b.compile(checkpointer=InMemorySaver(), interrupt_before=["node1"])
c = {"configurable": {"thread_id": "1"}}
out("static first", g.invoke({"foo": "abc"}, c))
out("static resume", g.invoke(Command(resume="node1"), c))
class FooAdd(TypedDict):
    foo: Annotated[str, operator.add]
b = StateGraph(FooAdd)
b.add_node("node1", lambda s: {"foo": "|node-1"}); b.add_node("node2", lambda s: {"foo": "|node-2"})
b.add_edge(START, "node1"); b.add_edge("node1", "node2")
g = b.compile(checkpointer=InMemorySaver(), interrupt_before=["node1"])
c = {"configurable": {"thread_id": "1"}}
out("goto first", g.invoke({"foo": "abc"}, c))
out("goto stream", list(g.stream(Command(goto=["node2"]), c)))
state("goto state", g, c)

print("== test_dynamic_interrupt")
class Market(TypedDict):
    my_key: Annotated[str, operator.add]
    market: str
count = 0
def tool_two_node(s):
    global count
    count += 1
    return {"my_key": interrupt("Just because...") if s["market"] == "DE" else " all good"}
b = StateGraph(Market)
b.add_node("tool_two", tool_two_node, retry_policy=RetryPolicy()); b.add_edge(START, "tool_two")
out("dynamic no-thread", [b.compile().invoke({"my_key": "value", "market": "DE"}), count])
out("dynamic US", b.compile().invoke({"my_key": "value", "market": "US"}))
g = b.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "2"}}
out("dynamic stream", list(g.stream({"my_key": "value ⛰️", "market": "DE"}, c)))
out("dynamic resumed", list(g.stream(Command(resume=" my answer"), c)))
c = {"configurable": {"thread_id": "1"}}
out("dynamic exit", g.invoke({"my_key": "value ⛰️", "market": "DE"}, c, durability="exit"))
out("dynamic exit metadata", [m.metadata for m in g.checkpointer.list(c)])
out("dynamic exit history", [(h.metadata["source"], h.metadata["step"], list(h.next)) for h in g.get_state_history(c)])
state("dynamic exit state", g, c)
g.update_state(c, None, as_node=END)
state("dynamic cleared", g, c)

print("== test_partial_pending_checkpoint")
def tool_two_slow(s):
    if s["market"] == "DE":
        time.sleep(0.1)
        return {"my_key": interrupt("Just because...")}
    return {"my_key": " all good"}
b = StateGraph(Market)
b.add_node("tool_two", tool_two_slow, retry_policy=RetryPolicy()); b.add_node("tool_one", lambda s: {"my_key": " one"})
b.set_conditional_entry_point(lambda s: ["tool_two", Send("tool_one", s)])
out("partial no-thread", b.compile().invoke({"my_key": "value", "market": "DE"}))
out("partial US", b.compile().invoke({"my_key": "value", "market": "US"}))
g = b.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "2"}}
out("partial stream", list(g.stream({"my_key": "value ⛰️", "market": "DE"}, c)))
out("partial resumed", list(g.stream(Command(resume=" my answer"), c)))
state("partial done", g, c)
c = {"configurable": {"thread_id": "1"}}
out("partial exit", g.invoke({"my_key": "value ⛰️", "market": "DE"}, c, durability="exit"))
out("partial exit metadata", [m.metadata for m in g.checkpointer.list(c)])
out("partial exit history", [(h.metadata["source"], h.metadata["step"], list(h.next)) for h in g.get_state_history(c)])
state("partial exit state", g, c)
g.update_state(c, None, as_node=END)
state("partial cleared", g, c)

print("== test_double_interrupt_subgraph")
class Agent(TypedDict):
    input: str
def node_1(s): return {"input": interrupt("interrupt node 1")}
def node_2(s): return {"input": interrupt("interrupt node 2")}
sb = (StateGraph(Agent).add_node("node_1", node_1).add_node("node_2", node_2)
      .add_edge(START, "node_1").add_edge("node_1", "node_2").add_edge("node_2", END))
sub = sb.compile(checkpointer=InMemorySaver())
c = {"configurable": {"thread_id": "1"}}
out("double alone 1", list(sub.stream({"input": "test"}, c)))
out("double alone 2", list(sub.stream(Command(resume="123"), c)))
out("double alone 3", list(sub.stream(Command(resume="123"), c)))
parent = (StateGraph(Agent).add_node("invoke_sub_agent", sb.compile()).add_edge(START, "invoke_sub_agent")
          .add_edge("invoke_sub_agent", END).compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "1"}}
out("double parent 1", list(parent.stream({"input": "test"}, c)))
out("double parent 2", list(parent.stream(Command(resume=True), c)))
state("double parent state", parent, c)
out("double parent 3", list(parent.stream(Command(resume=True), c)))
state("double parent done", parent, c)

print("== test_multi_resume")
class Child(TypedDict):
    prompt: str
    human_input: str
    human_inputs: list[str]
def get_human_input(s):
    h = interrupt(s["prompt"])
    return {"human_input": h, "human_inputs": [h]}
child = (StateGraph(Child).add_node("get_human_input", get_human_input).add_edge(START, "get_human_input")
         .add_edge("get_human_input", END).compile(checkpointer=InMemorySaver()))
class Parent(TypedDict):
    prompts: list[str]
    human_inputs: Annotated[list[str], operator.add]
def cleanup(s):
    assert len(s["human_inputs"]) == len(s["prompts"])
parent = (StateGraph(Parent).add_node("child_graph", child).add_node("cleanup", cleanup)
          .add_conditional_edges(START, lambda s: [Send("child_graph", {"prompt": p}) for p in s["prompts"]], ["child_graph"])
          .add_edge("child_graph", "cleanup").add_edge("cleanup", END).compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "1"}}
r = parent.invoke({"prompts": ["a", "b", "c", "d", "e"]}, c, stream_mode="values")
out("multi-resume first", sorted(i.value for i in r["__interrupt__"]))
resume = {i.id: f"human input for prompt {i.value}" for i in parent.get_state(c).interrupts}
out("multi-resume done", parent.invoke(Command(resume=resume), c))
state("multi-resume state", parent, c)
