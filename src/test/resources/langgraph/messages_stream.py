"""LangGraph 1.2.12's "messages" stream mode, the scenario MessagesStreamTest mirrors.

A node "agent" invokes a chat model (not .stream: LangGraph's callback streams it because the run streams
messages) whose answer comes in the chunks FakeChatServer sends ("Hello ", "from ", "the ", "model"); a node
"tools" then writes a ToolMessage (never streamed, so sent whole, once) and echoes the human input (already
seen, so not sent). Prints one JSON line per streamed event: [mode, payload summary].
Run: /work/venv-lg/bin/python src/test/resources/langgraph/messages_stream.py
"""
import json
from typing import Annotated, Any, Iterator, List, Optional, TypedDict

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages


class Tokens(BaseChatModel):
    """Streams "Hello from the model" as FakeChatServer does: one chunk per word with its trailing space."""

    @property
    def _llm_type(self) -> str:
        return "tokens"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="Hello from the model", id="ai-1"))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        for token in ["Hello ", "from ", "the ", "model"]:
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=token, id="ai-1"))
            if run_manager:
                run_manager.on_llm_new_token(token, chunk=chunk)
            yield chunk


class S(TypedDict):
    messages: Annotated[list, add_messages]


model = Tokens()


def agent(state):
    return {"messages": [model.invoke(state["messages"])]}


def tools(state):
    return {"messages": [state["messages"][0], ToolMessage(content="42", tool_call_id="c1", id="tool-1")]}


g = StateGraph(S)
g.add_node("agent", agent)
g.add_node("tools", tools)
g.add_edge(START, "agent")
g.add_edge("agent", "tools")
g.add_edge("tools", END)
app = g.compile(checkpointer=InMemorySaver())
config = {"configurable": {"thread_id": "t-1", "user": "ann"}}
for mode, payload in app.stream({"messages": [HumanMessage(content="hi", id="h-1")]}, config,
                                stream_mode=["messages", "updates"]):
    if mode == "messages":
        message, meta = payload
        keep = ["thread_id", "user", "ls_integration", "langgraph_step", "langgraph_node", "langgraph_triggers",
                "langgraph_path"]
        print(json.dumps([mode, message.type, message.content, message.id, {k: meta.get(k) for k in keep},
                          sorted(meta.keys())]))
    else:
        print(json.dumps([mode, sorted(payload.keys())]))
