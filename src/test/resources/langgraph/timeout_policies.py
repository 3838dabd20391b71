"""Expected values for TimeoutPolicyParityTest and ExecutionInfoParityTest: LangGraph 1.2.12's TimeoutPolicy (run and
idle timeouts, heartbeats, Send timeouts, entrypoint timeouts) and execution info, run as graphs (the scenarios of
test_retry.py, test_pregel.py::test_store_injected and test_time_travel.py::test_checkpoint_ns_accessible_in_subgraph).
Run with /work/venv-lg/bin/python; prints one JSON object, kept beside it as timeout_policies.json."""
import asyncio
import json
import re
from typing import TypedDict

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.config import get_stream_writer
from langgraph.errors import NodeTimeoutError
from langgraph.func import entrypoint, task
from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import RetryPolicy, Send, TimeoutPolicy
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

out = {}


class S(TypedDict):
    x: int


def timeout_error(e):
    return {"node": e.node, "kind": e.kind, "timeout": e.timeout, "run_timeout": e.run_timeout,
            "idle_timeout": e.idle_timeout}


async def run_node(body, policy, stream_mode=None):
    g = StateGraph(S).add_node("n", body, timeout=policy).add_edge(START, "n").add_edge("n", END).compile()
    try:
        if stream_mode:
            events = [c async for c in g.astream({"x": 1}, stream_mode=stream_mode)]
            return {"ok": True, "events": events}
        return {"ok": True, "result": await g.ainvoke({"x": 1})}
    except NodeTimeoutError as e:
        return {"ok": False, "error": timeout_error(e)}


async def main():
    # test_arun_with_retry_run_timeout_is_not_refreshed_by_heartbeat
    async def heartbeating(state, runtime: Runtime):
        while True:
            runtime.heartbeat()
            await asyncio.sleep(0.01)
    out["run_timeout_not_refreshed_by_heartbeat"] = await run_node(heartbeating, 0.05)

    # test_node_timeout_error_carries_both_configured_timeouts
    async def slow(state):
        await asyncio.sleep(1.0)
        return {"x": 2}
    out["both_configured_timeouts"] = await run_node(slow, TimeoutPolicy(run_timeout=0.05, idle_timeout=0.5))

    # idle timeout fires (idle only)
    out["idle_timeout_fires"] = await run_node(slow, TimeoutPolicy(idle_timeout=0.05))

    # test_arun_with_retry_idle_timeout_resets_on_runtime_stream_writer / _on_stream_event
    async def writer(state):
        w = get_stream_writer()
        for _ in range(3):
            await asyncio.sleep(0.08)
            w("tick")
        return {"x": 2}
    out["idle_resets_on_stream_writer"] = await run_node(writer, TimeoutPolicy(idle_timeout=0.2), ["custom", "values"])

    # test_arun_with_retry_idle_timeout_resets_on_runtime_heartbeat
    async def beating(state, runtime: Runtime):
        for _ in range(3):
            await asyncio.sleep(0.08)
            runtime.heartbeat()
        return {"x": 2}
    out["idle_resets_on_heartbeat"] = await run_node(beating, TimeoutPolicy(idle_timeout=0.15))

    # test_arun_with_retry_heartbeat_refresh_mode_ignores_stream_events
    async def chatty(state):
        w = get_stream_writer()
        while True:
            await asyncio.sleep(0.01)
            w("tick")
    r = await run_node(chatty, TimeoutPolicy(idle_timeout=0.05, refresh_on="heartbeat"))
    out["heartbeat_mode_ignores_stream_events"] = r

    # test_arun_with_retry_heartbeat_refresh_mode_accepts_heartbeat
    async def beating2(state, runtime: Runtime):
        for _ in range(3):
            await asyncio.sleep(0.03)
            runtime.heartbeat()
        return {"x": 2}
    out["heartbeat_mode_accepts_heartbeat"] = await run_node(beating2, TimeoutPolicy(idle_timeout=0.08,
                                                                                        refresh_on="heartbeat"))

    # test_runtime_heartbeat_outside_idle_attempt_is_no_op: a node without an idle timeout heartbeats
    async def plain_beat(state, runtime: Runtime):
        runtime.heartbeat()
        return {"x": 2}
    out["heartbeat_outside_idle_attempt"] = await run_node(plain_beat, None)
    out["heartbeat_under_run_timeout_only"] = await run_node(plain_beat, 1.0)

    # test_send_timeout_overrides_target_node_timeout
    async def slow_send(state):
        await asyncio.sleep(0.2)
        return {"x": state["x"] + 1}
    b = StateGraph(S)
    b.add_node("slow", slow_send, timeout=TimeoutPolicy(idle_timeout=1.0))
    b.add_conditional_edges(START, lambda s: [Send("slow", s, timeout=TimeoutPolicy(idle_timeout=0.05))])
    b.add_edge("slow", END)
    try:
        await b.compile().ainvoke({"x": 1})
        out["send_timeout_overrides_node"] = {"ok": True}
    except NodeTimeoutError as e:
        out["send_timeout_overrides_node"] = {"ok": False, "error": timeout_error(e)}
    # and a Send without a timeout takes the node's (here idle 0.05 on the node, 0.2 s sleep: times out)
    b = StateGraph(S)
    b.add_node("slow", slow_send, timeout=TimeoutPolicy(idle_timeout=0.05))
    b.add_conditional_edges(START, lambda s: [Send("slow", s)])
    b.add_edge("slow", END)
    try:
        await b.compile().ainvoke({"x": 1})
        out["send_without_timeout_takes_node"] = {"ok": True}
    except NodeTimeoutError as e:
        out["send_without_timeout_takes_node"] = {"ok": False, "error": timeout_error(e)}
    # a Send with a longer run timeout than the node's rescues it
    b = StateGraph(S)
    b.add_node("slow", slow_send, timeout=0.05)
    b.add_conditional_edges(START, lambda s: [Send("slow", s, timeout=1.0)])
    b.add_edge("slow", END)
    out["send_timeout_loosens_node"] = {"result": await b.compile().ainvoke({"x": 1})}

    # test_send_timeout_round_trips_through_msgpack_serde / without
    serde = JsonPlusSerializer(allowed_msgpack_modules=None)
    p = Send("worker", {"x": 1}, timeout=TimeoutPolicy(run_timeout=1, idle_timeout=2))
    back = serde.loads_typed(serde.dumps_typed(p))
    out["send_serde"] = {"equal": back == p, "run_timeout": back.timeout.run_timeout,
                         "idle_timeout": back.timeout.idle_timeout, "refresh_on": back.timeout.refresh_on}
    p = Send("worker", {"x": 1})
    back = serde.loads_typed(serde.dumps_typed(p))
    out["send_serde_without"] = {"equal": back == p, "timeout": back.timeout}

    # test_entrypoint_timeout_e2e
    @entrypoint(timeout=TimeoutPolicy(idle_timeout=0.05))
    async def slow_workflow(x: int) -> int:
        await asyncio.sleep(0.2)
        return x
    try:
        await slow_workflow.ainvoke(1)
        out["entrypoint_timeout_e2e"] = {"ok": True}
    except NodeTimeoutError as e:
        out["entrypoint_timeout_e2e"] = {"ok": False, "error": timeout_error(e)}

    # test_entrypoint_timeout_allows_pre_timeout_child_task_to_run
    started = []

    @task()
    def child(value: int) -> int:
        started.append(value)
        return value + 1

    @entrypoint(timeout=TimeoutPolicy(idle_timeout=0.05))
    async def parent(value: int) -> int:
        child(value)
        await asyncio.sleep(0.2)
        return value
    try:
        await parent.ainvoke(1)
        out["entrypoint_child_task"] = {"ok": True}
    except NodeTimeoutError as e:
        await asyncio.sleep(0.1)
        out["entrypoint_child_task"] = {"ok": False, "error": timeout_error(e), "child_started": started}

    # test_task_decorator_preserves_user_idle_timeout_kwarg
    @task(timeout=TimeoutPolicy(idle_timeout=1.0))
    async def echo_idle_timeout(*, idle_timeout: int) -> int:
        await asyncio.sleep(0)
        return idle_timeout

    @entrypoint()
    async def workflow(x: int) -> int:
        return await echo_idle_timeout(idle_timeout=x)
    out["task_with_idle_timeout"] = {"result": await workflow.ainvoke(5)}

    # test_runtime_execution_info_defaults_without_retry
    cap = {}

    def node(state: S, runtime: Runtime):
        info = runtime.execution_info
        cap.update(node_attempt=info.node_attempt, first_is_float=isinstance(info.node_first_attempt_time, float),
                   thread_id=info.thread_id, run_id=info.run_id,
                   checkpoint_ns_is_node_colon_task_id=info.checkpoint_ns == "node:" + info.task_id,
                   checkpoint_id_is_str=isinstance(info.checkpoint_id, str),
                   task_id_is_str=isinstance(info.task_id, str))
        return {"x": 2}
    StateGraph(S).add_node("node", node).add_edge(START, "node").compile().invoke({"x": 1})
    out["execution_info_defaults"] = cap

    # test_execution_info_identity_fields_populated_on_retry
    infos = []

    def failing(state: S, runtime: Runtime, config):
        info = runtime.execution_info
        infos.append({"thread_id": info.thread_id, "node_attempt": info.node_attempt,
                      "first": info.node_first_attempt_time, "checkpoint_ns": info.checkpoint_ns,
                      "task_id": info.task_id, "checkpoint_id": info.checkpoint_id,
                      "config_checkpoint_ns": config["configurable"].get("checkpoint_ns"),
                      "config_thread_id": config["configurable"].get("thread_id")})
        if len(infos) < 2:
            raise ValueError("Intentional failure")
        return {"x": 2}
    g = StateGraph(S).add_node("failing_node", failing, retry_policy=RetryPolicy(
        max_attempts=3, initial_interval=0.01, jitter=False, retry_on=ValueError)).add_edge(START, "failing_node") \
        .compile(checkpointer=InMemorySaver())
    cfg = {"configurable": {"thread_id": "retry-thread"}}
    g.invoke({"x": 1}, cfg)
    hist = list(g.get_state_history(cfg))
    loop_cp = [h for h in hist if h.metadata["step"] == 0][0].config["configurable"]["checkpoint_id"]
    out["execution_info_on_retry"] = {
        "thread_ids": [i["thread_id"] for i in infos], "attempts": [i["node_attempt"] for i in infos],
        "same_first_time": infos[0]["first"] == infos[1]["first"],
        "checkpoint_ns_is_node_colon_task_id": [i["checkpoint_ns"] == "failing_node:" + i["task_id"] for i in infos],
        "config_checkpoint_ns_equals_info": [i["config_checkpoint_ns"] == i["checkpoint_ns"] for i in infos],
        "config_thread_ids": [i["config_thread_id"] for i in infos],
        "checkpoint_id_is_step0_checkpoint": [i["checkpoint_id"] == loop_cp for i in infos]}

    # test_checkpoint_ns_accessible_in_subgraph
    seen = {}

    def sub_node(state: S, config):
        seen["checkpoint_ns"] = config["configurable"].get("checkpoint_ns")
        seen["thread_id"] = config["configurable"].get("thread_id")
        return {"x": 2}
    sub = StateGraph(S).add_node("inner", sub_node).add_edge(START, "inner").compile()
    parent_g = StateGraph(S).add_node("outer", sub).add_edge(START, "outer").compile(checkpointer=InMemorySaver())
    parent_g.invoke({"x": 1}, {"configurable": {"thread_id": "1"}})
    ns = seen["checkpoint_ns"]
    out["checkpoint_ns_in_subgraph"] = {
        "thread_id": seen["thread_id"],
        "shape": re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", ns)}
    # and without a checkpointer: no thread id
    seen.clear()
    parent_g2 = StateGraph(S).add_node("outer", sub).add_edge(START, "outer").compile()
    parent_g2.invoke({"x": 1})
    out["checkpoint_ns_in_subgraph_no_thread"] = {"thread_id": seen["thread_id"],
                                                  "ns_nonempty": bool(seen["checkpoint_ns"])}


    # test_idle_timeout_resets_on_message_stream_callbacks: a model streaming 3 chunks 0.08 s apart, idle 0.15
    from typing import Annotated, Any
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
    from langgraph.graph.message import add_messages

    class MS(TypedDict):
        messages: Annotated[list[BaseMessage], add_messages]

    class SlowModel(GenericFakeChatModel):
        async def _astream(self, messages, stop=None, run_manager=None, **kwargs: Any):
            for i in range(3):
                await asyncio.sleep(0.08)
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=str(i),
                                                                   chunk_position="last" if i == 2 else None))
                if run_manager:
                    await run_manager.on_llm_new_token(str(i), chunk=chunk)
                yield chunk

        def _generate(self, messages, stop=None, run_manager=None, **kwargs: Any):
            return ChatResult(generations=[ChatGeneration(message=AIMessage(content=""))])

    model = SlowModel(messages=iter([]))

    async def call_model(state: MS):
        return {"messages": [await model.ainvoke(state["messages"])]}
    mb = StateGraph(MS)
    mb.add_node("call_model", call_model, timeout=TimeoutPolicy(idle_timeout=0.15))
    mb.add_edge(START, "call_model")
    mb.add_edge("call_model", END)
    chunks = [c.content async for c, _m in mb.compile().astream({"messages": [HumanMessage(content="hi")]},
                                                                 stream_mode="messages")]
    out["idle_resets_on_message_chunks"] = {"chunks": chunks}



def store_injected():
    # test_pregel.py::test_store_injected: 51 parallel nodes write one document stamped with the run's thread id
    import operator
    import uuid
    from typing import Annotated
    from langgraph.store.memory import InMemoryStore

    class CS(TypedDict):
        count: Annotated[int, operator.add]
    store = InMemoryStore()
    namespace = ("foo", "bar")
    thread_1, thread_2 = "thread-1", "thread-2"

    def make(i):
        def node(inputs: CS, config, store):
            store.put(namespace if i is not None and config["configurable"]["thread_id"] in (thread_1, thread_2)
                      else (f"foo_{i}", "bar"), "doc",
                      {"some-key": "this-is-a-val", "from_thread": config["configurable"]["thread_id"],
                       "some_val": inputs["count"]})
            return {"count": 1}
        return node
    b = StateGraph(CS)
    b.add_node("node", make(None))
    b.add_edge(START, "node")
    for i in range(50):
        b.add_node(f"node_{i}", make(i))
        b.add_edge(START, f"node_{i}")
    g = b.compile(store=store, checkpointer=InMemorySaver())
    rows = []
    for thread in (thread_1, thread_1, thread_2):
        result = g.invoke({"count": 0}, {"configurable": {"thread_id": thread}})
        rows.append({"result": result, "doc": store.get(namespace, "doc").value,
                     "found": len(store.search(namespace))})
    return rows


asyncio.run(main())
out["store_injected"] = {"rows": store_injected()}
print(json.dumps(out, indent=1, sort_keys=True))
