# The task result events of a node that fails, in the tasks and debug stream modes, run against LangGraph 1.2.12;
# FailedTaskEventsParityTest asserts the same shape. The error is the node's exception, shown as LangGraph Server
# serializes an exception for its clients (langgraph_api.serde.default: {"error": type(e).__name__, "message": str(e)});
# task ids are shown as <id>. Streamed with astream: the sync stream raises before the failed task's events are read.
import asyncio, json
from typing_extensions import TypedDict
from langgraph.graph import StateGraph, START
from langgraph.checkpoint.memory import InMemorySaver

class S(TypedDict):
    x: int
def ok(s): return {"x": 2}
def bad(s): raise ValueError("boom")
app = (StateGraph(S).add_node("ok", ok).add_node("bad", bad).add_edge(START, "ok").add_edge(START, "bad")
       .compile(checkpointer=InMemorySaver()))

def server_json(value):
    return json.loads(json.dumps(value, default=lambda e: {"error": type(e).__name__, "message": str(e)}))

async def main():
    try:
        async for mode, e in app.astream({"x": 1}, {"configurable": {"thread_id": "1"}}, stream_mode=["tasks", "debug"]):
            data = e if mode == "tasks" else e["payload"] if e["type"] == "task_result" else None
            if data is not None and "result" in data:
                print(mode, json.dumps({**server_json(data), "id": "<id>"}, sort_keys=True))
    except ValueError as e:
        print("raised", repr(e))
asyncio.run(main())
