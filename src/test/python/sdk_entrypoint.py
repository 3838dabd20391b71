"""An entrypoint of Graphloop's functional API over HTTP, seen as LangGraph Server shows one, with LangGraph's real
Python SDK (langgraph_sdk); run by io.graphloop.server.PythonSdkEntrypointTest against its graphs:

    add_one = Task.of("add_one", x -> x + 1)
    counter(n, previous) = total = add_one(n) + (previous or 0); n == 99 asks interrupt("ok?");
                           returns Final.of({"total": total}, total)          # value shown, total saved
    echo(x) = x
    counter-channels: counter kept in Graphloop's channel form (ServerOptions.setEntrypointChannels)

Expected values: src/test/resources/langgraph/functional_state.py (LangGraph 1.2.12): the run's input is the bare
value, its output and the thread's values are the returned value (not the saved one), update_state takes the value.
Usage: python sdk_entrypoint.py BASE_URL; prints "ok entrypoint" when every check passed.
"""
import asyncio
import sys

from langgraph_sdk import get_client
from langgraph_sdk.schema import Command

BASE = sys.argv[1]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def main():
    client = get_client(url=BASE)
    tid = (await client.threads.create())["thread_id"]
    check((await client.threads.get_state(tid))["values"] == {}, "a new thread's values")

    out = await client.runs.wait(tid, "counter", input=1)
    check(out == {"total": 2}, f"invoke1: {out}")
    state = await client.threads.get_state(tid)
    check(state["values"] == {"total": 2} and state["next"] == [], f"state1: {state}")
    check((await client.threads.get(tid))["values"] == {"total": 2}, "the thread's values")

    values = [c.data async for c in client.runs.stream(tid, "counter", input=2, stream_mode="values")
              if c.event == "values"]
    check(values[-1] == {"total": 5}, f"values stream: {values}")
    updates = [c.data async for c in client.runs.stream(tid, "counter", input=3, stream_mode="updates")
               if c.event == "updates"]
    check(updates == [{"add_one": 4}, {"counter": {"total": 9}}], f"updates stream: {updates}")
    history = await client.threads.get_history(tid, limit=4)
    check([(h["metadata"]["source"], h["metadata"]["step"], h["values"], h["next"]) for h in history]
          == [("loop", 4, {"total": 9}, []), ("input", 3, {"total": 5}, ["counter"]),
              ("loop", 2, {"total": 5}, []), ("input", 1, {"total": 2}, ["counter"])], f"history: {history}")

    await client.threads.update_state(tid, 100)
    state = await client.threads.get_state(tid)
    check(state["values"] == 100 and state["next"] == [] and state["metadata"]["source"] == "update",
          f"after update: {state}")
    out = await client.runs.wait(tid, "counter", input=1)
    check(out == {"total": 102}, f"invoke after update: {out}")

    out = await client.runs.wait(tid, "counter", input=99)
    check(out["total"] == 102 and [i["value"] for i in out["__interrupt__"]] == ["ok?"], f"interrupted: {out}")
    state = await client.threads.get_state(tid)
    check(state["values"] == {"total": 102} and state["next"] == ["counter"], f"state interrupted: {state}")
    values = [c.data async for c in client.runs.stream(tid, "counter", command=Command(resume="yes"),
                                                      stream_mode="values") if c.event == "values"]
    check(values[-1] == {"total": 202}, f"values stream resumed: {values}")
    check((await client.threads.get(tid))["values"] == {"total": 202}, "the thread's values after the resume")
    found = [t["thread_id"] for t in await client.threads.search(values={"total": 202})]
    check(found == [tid], f"a values filter matches the returned value: {found}")
    found = [t["thread_id"] for t in await client.threads.search(values={"output": {"total": 202}})]
    check(found == [], f"a values filter does not see the channels: {found}")
    check(await client.threads.count(values={"total": 202}) == 1, "a count with a values filter")

    echo = (await client.threads.create())["thread_id"]
    out = await client.runs.wait(echo, "echo", input={"input": 5})
    check(out == {"input": 5}, f"an object input is the value itself: {out}")
    check((await client.threads.get_state(echo))["values"] == {"input": 5}, "echo's state")
    out = await client.runs.wait(None, "echo", input=[1, "two"])
    check(out == [1, "two"], f"a stateless run's output: {out}")
    events = [c.data async for c in client.runs.stream(None, "echo", input={"x": 7}, stream_mode="events")
              if c.event == "events"]
    graph_events = [(e["event"], e["data"]) for e in events if e["name"] == "LangGraph"]
    check(graph_events == [("on_chain_start", {"input": {"x": 7}}), ("on_chain_end", {"output": {"x": 7}})],
          f"events mode's graph start and end show the value: {graph_events}")

    channels = (await client.threads.create())["thread_id"]
    out = await client.runs.wait(channels, "counter-channels", input={"input": 1})
    check(out == {"input": 1, "output": {"total": 2}, "previous": 2}, f"the channel form kept: {out}")
    print("ok entrypoint")


asyncio.run(main())
