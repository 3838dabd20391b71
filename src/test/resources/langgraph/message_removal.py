# StateGraph tests of libs/langgraph/tests/test_pregel.py about removing messages, run against LangGraph 1.2.12;
# MessageRemovalParityTest compares its output with message_removal.json, which this script writes
# (python message_removal.py > message_removal.json): test_remove_message_via_state_update and
# test_remove_message_from_node, with a messages key where the tests use a root list state (Graphloop's state is a map
# of channels). A message is printed as its type and content (ids are generated).
import json
from typing import Annotated
from typing_extensions import TypedDict
from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, RemoveMessage
from langgraph.graph import END, StateGraph
from langgraph.graph.message import add_messages
from langgraph.checkpoint.memory import InMemorySaver

out = {}


class S(TypedDict):
    messages: Annotated[list[AnyMessage], add_messages]


def d(messages):
    return [{"type": m.type, "content": m.content} for m in messages]


w = StateGraph(S)
w.add_node("chatbot", lambda s: {"messages": [AIMessage(content="Hello! How can I help you")]})
w.set_entry_point("chatbot")
w.add_edge("chatbot", END)
app = w.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "1"}}
output = app.invoke({"messages": [HumanMessage(content="Hi")]}, config)
o = out["test_remove_message_via_state_update"] = {"output": d(output["messages"])}
app.update_state(config, values={"messages": [RemoveMessage(id=output["messages"][-1].id)]})
state = app.get_state(config)
o["updated"] = d(state.values["messages"])
o["next"] = list(state.next)
o["source"] = state.metadata["source"]
o["step"] = state.metadata["step"]

w = StateGraph(S)
w.add_node("chatbot", lambda s: {"messages": [AIMessage(content="Hello!"), AIMessage(content="How can I help you?")]})
w.add_node("delete_messages", lambda s: {"messages": [RemoveMessage(id=s["messages"][-2].id)]})
w.set_entry_point("chatbot")
w.add_edge("chatbot", "delete_messages")
w.add_edge("delete_messages", END)
app = w.compile()
output = app.invoke({"messages": [HumanMessage(content="Hi")]})
out["test_remove_message_from_node"] = {
    "output": d(output["messages"]),
    "updates": [{k: {"messages": [m.type for m in v["messages"]]} for k, v in c.items()}
                for c in app.stream({"messages": [HumanMessage(content="Hi")]}, stream_mode="updates")]}
print(json.dumps(out, indent=1))
