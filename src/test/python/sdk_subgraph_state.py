"""A subgraph's own state read and updated over HTTP with LangGraph's real Python SDK (langgraph_sdk), as
LangGraph's get_state / update_state / get_state_history of a config whose checkpoint_ns names the child; run by
io.graphloop.server.PythonSdkSubgraphStateTest against its graph "sdk-weather":

    weather_graph = START -> model_node -> weather_node -> END, interrupt_before=["weather_node"]
    sdk-weather   = START -> router_node -> weather_graph -> END

Expected values: test_weather_subgraph's thread "14" in src/test/resources/langgraph/subgraph_update_state.py
(LangGraph 1.2.12): the child waits before weather_node with city "San Francisco"; an update of the child's
checkpoint as weather_node leaves nothing due in it (source "update", step 2), the root's values stay; the resumed
run ends with the human message and "rainy". The SDK sends the child's checkpoint as {"checkpoint": {...,
"checkpoint_ns"}} to POST /threads/{id}/state/checkpoint, /state and /history.
Usage: python sdk_subgraph_state.py BASE_URL; prints "ok subgraph state" when every check passed.
"""
import asyncio
import sys

import httpx
from langgraph_sdk import get_client

BASE = sys.argv[1]
GRAPH = "sdk-weather"


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def contents(values):
    return [m["content"] for m in values["messages"]]


async def main():
    client = get_client(url=BASE)
    thread = await client.threads.create()
    tid = thread["thread_id"]
    inputs = {"messages": [{"role": "user", "content": "what's the weather in sf", "id": "u1"}]}

    out = await client.runs.wait(tid, GRAPH, input=inputs)
    check(contents(out) == ["what's the weather in sf"] and out["route"] == "weather", f"first run: {out}")
    state = await client.threads.get_state(tid, subgraphs=True)
    check(state["next"] == ["weather_graph"], f"next: {state}")
    child = state["tasks"][0]["state"]
    ns = child["checkpoint"]["checkpoint_ns"]
    check(ns.startswith("weather_graph:"), f"child namespace: {child['checkpoint']}")
    check(child["values"]["city"] == "San Francisco" and child["next"] == ["weather_node"], f"child: {child}")

    # get_state of the child's checkpoint, with and without its id
    at = await client.threads.get_state(tid, checkpoint=child["checkpoint"])
    check(at["checkpoint"]["checkpoint_ns"] == ns and at["checkpoint_id"] == child["checkpoint_id"], f"at: {at}")
    check(at["next"] == ["weather_node"] and at["metadata"]["step"] == 1, f"at: {at}")
    latest = await client.threads.get_state(tid, checkpoint={"checkpoint_ns": ns})
    check(latest["checkpoint_id"] == child["checkpoint_id"], f"latest in the namespace: {latest}")

    # update_state of the child, as weather_node
    updated = await client.threads.update_state(
        tid, {"messages": [{"role": "assistant", "content": "rainy", "id": "r1"}]}, as_node="weather_node",
        checkpoint=child["checkpoint"])
    check(updated["checkpoint"]["checkpoint_ns"] == ns, f"update answer: {updated}")
    state = await client.threads.get_state(tid, subgraphs=True)
    check(contents(state["values"]) == ["what's the weather in sf"], f"the root's values stay: {state}")
    child = state["tasks"][0]["state"]
    check(child["checkpoint_id"] == updated["checkpoint"]["checkpoint_id"], f"child after update: {child}")
    check(child["next"] == [] and child["metadata"]["source"] == "update" and child["metadata"]["step"] == 2,
          f"child after update: {child}")
    check(contents(child["values"]) == ["what's the weather in sf", "rainy"], f"child values: {child}")
    got = await client.threads.get(tid)
    check(contents(got["values"]) == ["what's the weather in sf"], f"thread values: {got}")

    # get_history of the child's namespace
    history = await client.threads.get_history(tid, checkpoint={"checkpoint_ns": ns}, limit=10)
    check([h["metadata"]["source"] for h in history][:2] == ["update", "loop"], f"child history: {history}")
    check(all(h["checkpoint"]["checkpoint_ns"] == ns for h in history), f"child history: {history}")

    # the parent continues the updated child
    done = await client.runs.wait(tid, GRAPH, input=None)
    check(contents(done) == ["what's the weather in sf", "rainy"] and done["route"] == "weather", f"resumed: {done}")

    # a namespace the graph does not have
    try:
        await client.threads.get_state(tid, checkpoint={"checkpoint_ns": "nope:1"})
        check(False, "an unknown namespace was answered")
    except httpx.HTTPStatusError as e:
        check(e.response.status_code == 404, f"unknown namespace: {e.response.status_code} {e.response.text}")
    print("ok subgraph state")


asyncio.run(main())
