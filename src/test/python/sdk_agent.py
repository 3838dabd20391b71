"""Streams the tokens of Graphloop's ReAct agent (io.graphloop.examples.AgentExample, tools add and multiply) with
LangGraph's real Python SDK (langgraph_sdk 0.4.5); run by io.graphloop.server.AgentSdkTest against a server whose
model is FakeChatServer (OpenAI's streaming wire format over HTTP on 127.0.0.1). FakeChatServer answers "What is 6
times 7?" with a streamed call multiply(6, 7), then, after the tool's answer, "The answer is 42." one word per chunk.

Usage: python sdk_agent.py BASE_URL [GRAPH]
Prints "ok <flow>" per flow that passed and, for the Java side, "tokens <json list>" with the text chunks of the last
answer as the SDK received them; exits 1 with the failing assertion otherwise.
"""
import asyncio
import json
import sys

from langgraph_sdk import get_client

BASE = sys.argv[1]
GRAPH = sys.argv[2] if len(sys.argv) > 2 else "agent"
QUESTION = {"messages": [{"type": "human", "content": "What is 6 times 7?"}]}


def check(condition, message):
    if not condition:
        raise AssertionError(message)


async def tuples(client):
    """stream_mode="messages-tuple": one 'messages' event per chunk, data [message, metadata]."""
    thread = await client.threads.create()
    tid = thread["thread_id"]
    parts = []
    async for part in client.runs.stream(tid, GRAPH, input=QUESTION, stream_mode="messages-tuple"):
        parts.append(part)
    names = [p.event for p in parts]
    check(names[0] == "metadata", f"first event {names[:3]}")
    messages = [p.data for p in parts if p.event == "messages"]
    check(messages and all(isinstance(m, list) and len(m) == 2 for m in messages), f"tuples {messages[:2]}")
    check(not [n for n in names if n not in ("metadata", "messages")], f"only metadata and messages: {set(names)}")
    chunks = [(m, meta) for m, meta in messages if m["type"] == "AIMessageChunk"]
    check(all(meta["langgraph_node"] == "agent" for _, meta in chunks), "chunks come from node 'agent'")
    check(all(meta["thread_id"] == tid for _, meta in chunks), "metadata names the thread")
    ids = list(dict.fromkeys(m["id"] for m, _ in chunks))
    check(len(ids) == 2, f"two streamed answers (the tool call, the final answer): {ids}")
    steps = [meta["langgraph_step"] for m, meta in chunks]
    check(steps[0] == 1 and steps[-1] == 3, f"answers at steps 1 and 3: {sorted(set(steps))}")
    call_args = "".join(c.get("args") or "" for m, _ in chunks if m["id"] == ids[0]
                        for c in m.get("tool_call_chunks", []))
    call_names = [c["name"] for m, _ in chunks if m["id"] == ids[0] for c in m.get("tool_call_chunks", [])
                  if c.get("name")]
    check(call_names == ["multiply"] and json.loads(call_args) == {"a": 6, "b": 7},
          f"streamed tool call {call_names} {call_args!r}")
    tokens = [m["content"] for m, _ in chunks if m["id"] == ids[1] and m["content"]]
    check("".join(tokens) == "The answer is 42.", f"final answer tokens {tokens}")
    check(len(tokens) >= 4, f"one chunk per word: {tokens}")
    tools = [(m, meta) for m, meta in messages if m["type"] == "tool"]
    check(len(tools) == 1 and tools[0][0]["content"] == "42" and tools[0][1]["langgraph_node"] == "tools",
          f"the tool's answer, from node 'tools': {tools}")
    state = await client.threads.get_state(tid)
    final = state["values"]["messages"][-1]
    check(final["type"] == "ai" and final["content"] == "The answer is 42.", f"final state {final}")
    print("tokens " + json.dumps(tokens))
    print("ok tuples")


async def accumulated(client):
    """stream_mode="messages": messages/metadata once per message, messages/partial accumulated, tools complete."""
    parts = []
    async for part in client.runs.stream(None, GRAPH, input=QUESTION, stream_mode="messages"):
        parts.append(part)
    seen_metadata = set()
    partial = {}
    complete = []
    for part in parts:
        if part.event == "messages/metadata":
            for mid, value in part.data.items():
                check(mid not in seen_metadata, f"metadata twice for {mid}")
                check("langgraph_node" in value["metadata"], f"metadata {value}")
                seen_metadata.add(mid)
        elif part.event == "messages/partial":
            (message,) = part.data
            check(message["id"] in seen_metadata, f"partial before its metadata: {message['id']}")
            before = partial.get(message["id"], {"content": ""})["content"]
            check(message["content"].startswith(before), f"accumulated, not deltas: {before!r} -> {message['content']!r}")
            partial[message["id"]] = message
        elif part.event == "messages/complete":
            (message,) = part.data
            check(message["id"] in seen_metadata, f"complete before its metadata: {message['id']}")
            complete.append(message)
        else:
            check(part.event == "metadata", f"unexpected event {part.event}")
    answers = list(partial.values())
    check(len(answers) == 2, f"two streamed answers: {answers}")
    call = answers[0]["tool_calls"]
    check(len(call) == 1 and call[0]["name"] == "multiply" and call[0]["args"] == {"a": 6, "b": 7},
          f"the first answer's tool call, accumulated and parsed: {answers[0]}")
    check(answers[1]["content"] == "The answer is 42." and answers[1]["type"] == "ai", f"final {answers[1]}")
    check([m["type"] for m in complete] == ["tool"] and complete[0]["content"] == "42", f"complete {complete}")
    print("ok accumulated")


async def main():
    client = get_client(url=BASE)
    await tuples(client)
    await accumulated(client)


asyncio.run(main())
