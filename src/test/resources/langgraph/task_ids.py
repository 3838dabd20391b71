# Task ids across a thread's stream, state and history, and a resumed run's stream, run against LangGraph 1.2.12;
# TaskIdsParityTest asserts the same relations (the ids themselves differ: LangGraph's are digests of the checkpoint
# id, namespace, step, node and path, Graphloop's are <thread>:<step>:<node>[:push<i>]).
# Prints: the streamed id of each task equals its id in the state, in the history and in the debug checkpoint that
# planned it; the resumed run streams the interrupted task under the same id.
from typing_extensions import TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import interrupt, Command

class S(TypedDict):
    x: int
def a(s): return {"x": s["x"] + 1}
def b(s): return {"x": s["x"] + interrupt("ask")}
app = (StateGraph(S).add_node("a", a).add_node("b", b).add_edge(START, "a").add_edge("a", "b").add_edge("b", END)
       .compile(checkpointer=InMemorySaver()))
c = {"configurable": {"thread_id": "1"}}
streamed, planned = {}, {}
for mode, e in app.stream({"x": 1}, c, stream_mode=["tasks", "debug"]):
    if mode == "tasks":
        streamed.setdefault(e["name"], set()).add(e["id"])
    elif e["type"] == "checkpoint":
        for t in e["payload"]["tasks"]:
            planned[t["name"]] = t["id"]
    else:
        streamed.setdefault(e["payload"]["name"], set()).add(e["payload"]["id"])
state = app.get_state(c)
history = {t.name: t.id for h in app.get_state_history(c) for t in h.tasks}
b_id = state.tasks[0].id
print("one id per task in the stream", all(len(ids) == 1 for ids in streamed.values()))
print("stream == state", streamed["b"] == {b_id})
print("stream == history", all(streamed[n] == {history[n]} for n in ("a", "b")))
print("stream == debug checkpoint", all(streamed[n] == {planned[n]} for n in ("a", "b")))
resumed = {e["id"] for e in app.stream(Command(resume=5), c, stream_mode="tasks")}
print("resumed run streams the same id", resumed == {b_id}, app.get_state(c).values)
