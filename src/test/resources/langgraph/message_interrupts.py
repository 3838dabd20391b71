# test_state_graph_packets of libs/langgraph/tests/test_large_cases.py (a messages state with add_messages, Sends of
# tool calls, interrupt_after=["agent"] and interrupt_before=["tools"], update_state with an edited message by id),
# run against LangGraph 1.2.12; MessageInterruptParityTest compares its output with message_interrupts.json, which this
# script writes (python message_interrupts.py > message_interrupts.json). The fake chat model is replaced by a node
# answering by the number of AI messages so far, and messages are printed as type, id, content, tool_calls,
# tool_call_id and name. The ToolMessage has an id of its own, so the output does not depend on random ids.
import json
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import END, StateGraph
from langgraph.graph.message import add_messages
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.types import Send
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage, BaseMessage

class AgentState(TypedDict):
    messages: Annotated[list[BaseMessage], add_messages]
RESPONSES = [
    AIMessage(id="ai1", content="", tool_calls=[{"id": "tool_call123", "name": "search_api", "args": {"query": "query"}}]),
    AIMessage(id="ai2", content="", tool_calls=[{"id": "tool_call234", "name": "search_api", "args": {"query": "another", "idx": 0}},
                                                {"id": "tool_call567", "name": "search_api", "args": {"query": "a third one", "idx": 1}}]),
    AIMessage(id="ai3", content="answer")]
def agent(data):
    n = sum(1 for m in data["messages"] if isinstance(m, AIMessage))
    return {"messages": RESPONSES[n], "something_extra": "hi there"}
def should_continue(data):
    if tool_calls := data["messages"][-1].tool_calls:
        return [Send("tools", tc) for tc in tool_calls]
    return END
def tools_node(inp):
    return {"messages": ToolMessage(content="result for " + inp["args"]["query"], name=inp["name"], tool_call_id=inp["id"], id="tm-" + inp["id"])}
w = StateGraph(AgentState)
w.add_node("agent", agent); w.add_node("tools", tools_node)
w.set_entry_point("agent"); w.add_conditional_edges("agent", should_continue); w.add_edge("tools", "agent")
def d(v):
    if isinstance(v, BaseMessage):
        x = v.model_dump(); return {k: x[k] for k in ("type", "id", "content", "tool_calls", "tool_call_id", "name") if k in x}
    if isinstance(v, dict): return {k: d(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)): return [d(x) for x in v]
    return v
def st(app, c):
    s = app.get_state(c)
    return {"values": d(s.values), "next": list(s.next), "tasks": [[t.name, d(t.result)] for t in s.tasks], "source": s.metadata["source"], "step": s.metadata["step"]}
out = {}
for mode in ["after", "before"]:
    app = w.compile(checkpointer=InMemorySaver(), **({"interrupt_after": ["agent"]} if mode == "after" else {"interrupt_before": ["tools"]}))
    c = {"configurable": {"thread_id": "1"}}
    o = out[mode] = {}
    o["first"] = d(list(app.stream({"messages": HumanMessage(content="what is weather in sf", id="h1")}, c, durability="exit")))
    o["state"] = st(app, c)
    last = app.get_state(c).values["messages"][-1]
    last.tool_calls[0]["args"]["query"] = "a different query"
    app.update_state(c, {"messages": last, "something_extra": "hi there"})
    o["updated"] = st(app, c)
    o["second"] = d(list(app.stream(None, c)))
    o["state2"] = st(app, c)
    app.update_state(c, {"messages": AIMessage(content="answer", id="ai2")})
    o["updated2"] = st(app, c)
    o["third"] = d(list(app.stream(None, c)))
    o["final"] = st(app, c)
    o["history"] = [[s.metadata["source"], s.metadata["step"], list(s.next), len(s.values.get("messages", []))] for s in app.get_state_history(c)]
print(json.dumps(out, indent=1))
