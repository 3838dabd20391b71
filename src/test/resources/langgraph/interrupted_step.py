# An interrupt in a step whose other tasks complete, run against LangGraph 1.2.12; InterruptedStepTest asserts these.
# Mirrors test_pregel.py::test_interrupt_stream_mode_values (1) and test_pregel.py::test_parallel_interrupts (2):
# LangGraph's loop applies the completed tasks' writes on its way out (_loop.py _suppress_interrupt).
import operator
from typing import Annotated, TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.types import interrupt, Command
from langgraph.checkpoint.memory import InMemorySaver

# 1: test_interrupt_stream_mode_values
class S1(TypedDict):
    robot_input: str
    human_input: str

def robot(s): return {"robot_input": "beep boop i am a robot"}
def human(s): return Command(update={"human_input": interrupt("interrupt")})
b = StateGraph(S1)
b.add_node("robot_input_node", robot); b.add_node("human_input_node", human)
b.add_edge(START, "robot_input_node"); b.add_edge("robot_input_node", "human_input_node")
app = b.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "1"}}
print("1", [(m, {k: v for k, v in c.items()}) for m, c in app.stream({}, cfg, stream_mode=["updates", "values"])])
print("1r", list(app.stream(Command(resume="i am a human"), cfg, stream_mode=["updates", "values"])))

# 2: a, b (asks), c in one step, then the join [a, b, c] -> d
class S(TypedDict):
    items: Annotated[list, operator.add]
    x: str

def a(s): return {"items": ["a"], "x": "a"}
def bb(s): return {"items": ["b:" + interrupt("ask-b")]}
def c(s): return {"items": ["c"]}
def d(s): return {"items": ["d"]}
g = StateGraph(S)
g.add_node("a", a); g.add_node("b", bb); g.add_node("c", c); g.add_node("d", d)
g.add_edge(START, "a"); g.add_edge(START, "b"); g.add_edge(START, "c")
g.add_edge(["a", "b", "c"], "d"); g.add_edge("d", END)
app = g.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "2"}}
print("2 invoke", app.invoke({"items": ["in"]}, cfg))
st = app.get_state(cfg)
print("2 state", st.values, st.next, [(t.name, bool(t.interrupts), t.result) for t in st.tasks])
cfg = {"configurable": {"thread_id": "3"}}
# the order of the middle chunks follows the tasks' timing; the first and the last are fixed
print("2 stream", list(app.stream({"items": ["in"]}, cfg, stream_mode=["values", "updates"])))
print("2 resume", list(app.stream(Command(resume="yes"), cfg, stream_mode=["values", "updates"])))
print("2 history", [(h.metadata["step"], h.metadata["source"], h.next) for h in app.get_state_history(cfg)])
