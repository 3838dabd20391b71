# Task ids across branches of one thread, run against LangGraph 1.2.12; TaskIdsParityTest asserts the same relations
# (the ids themselves differ: LangGraph's digest its checkpoint ids, which differ from Graphloop's).
# LangGraph derives a task's id from the checkpoint it was planned from (pregel/_algo.py: prepare_single_task,
# _xxhash_str(checkpoint id, checkpoint_ns, step, node, path)). Prints: a replay from an earlier checkpoint runs from a
# new "fork" checkpoint, so its tasks get new ids, and a second replay again new ones; an update at an earlier
# checkpoint (a fork) plans its tasks anew, and a run from it streams the ids its state showed; in every branch the
# streamed id is the one of the debug checkpoint that planned it and of the history.
from typing_extensions import TypedDict
from langgraph.graph import StateGraph, START, END
from langgraph.checkpoint.memory import InMemorySaver

class S(TypedDict):
    x: int
def a(s): return {"x": s["x"] + 1}
def b(s): return {"x": s["x"] * 2}
def c(s): return {"x": s["x"] + 100}
app = (StateGraph(S).add_node("a", a).add_node("b", b).add_node("c", c).add_edge(START, "a").add_edge("a", "b")
       .add_edge("b", "c").add_edge("c", END).compile(checkpointer=InMemorySaver()))
cfg = {"configurable": {"thread_id": "1"}}

def run(inp, config):
    streamed, planned = {}, {}
    for mode, e in app.stream(inp, config, stream_mode=["tasks", "debug"]):
        if mode == "tasks":
            streamed.setdefault(e["name"], set()).add(e["id"])
        elif e["type"] == "checkpoint":
            for t in e["payload"]["tasks"]:
                planned[t["name"]] = t["id"]
        else:
            streamed.setdefault(e["payload"]["name"], set()).add(e["payload"]["id"])
    return streamed, planned

def history():
    ids = {}
    for h in app.get_state_history(cfg):
        for t in h.tasks:
            ids.setdefault(t.name, set()).add(t.id)
    return ids

original, _ = run({"x": 1}, cfg)
before_b = [h for h in app.get_state_history(cfg) if h.next == ("b",)][0]
print("history shows the streamed id", {before_b.tasks[0].id} == original["b"])
replayed, planned = run(None, before_b.config)
print("one id per task in the replay", all(len(ids) == 1 for ids in replayed.values()))
print("replay: new ids", replayed["b"] != original["b"], replayed["c"] != original["c"])
print("replay: stream == debug checkpoint", replayed["b"] == {planned["b"]})
print("replay: history shows both branches", history()["b"] == original["b"] | replayed["b"])
again, _ = run(None, before_b.config)
print("second replay: new ids again", again["b"] != replayed["b"])
fork = app.update_state(before_b.config, {"x": 10})
fork_b = app.get_state(fork).tasks[0].id
print("fork: new id in its state", {fork_b} != original["b"])
forked, planned = run(None, fork)
print("fork: run streams the state's id", forked["b"] == {fork_b}, "and new ids after", forked["c"] != original["c"])
print("fork: stream == debug checkpoint", forked["c"] == {planned["c"]}, "== history", forked["c"] <= history()["c"])
print("fork: values", app.get_state(cfg).values)
second = app.update_state(before_b.config, {"x": 10})
print("second fork of the same checkpoint: new id", app.get_state(second).tasks[0].id != fork_b)
