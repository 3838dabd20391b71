# The "messages" and "custom" stream tests of libs/langgraph/tests/test_pregel.py run against LangGraph 1.2.12:
# test_stream_messages_dedupe_inputs, test_stream_messages_dedupe_state (a subgraph's message streamed once, though its
# parent's task writes it again), test_configurable_propagates_to_stream_metadata (which configurable keys reach the
# metadata), test_stream_mode_messages_command (messages written by updates, a Command and a list of Commands), and
# test_get_stream_writer, and test_stream_messages_dedupe_pydantic_subgraph_interrupt (a subgraph's messages once across
# an interrupted and a resumed request, with a map state where the test has a pydantic one).
# PregelMessagesParityTest compares its Java form with the JSON this prints:
#   /work/venv-lg/bin/python pregel_messages.py > pregel_messages.json
# A chunk is [namespace, message type/content/id, metadata]; random parts (a task id in a namespace or in
# langgraph_checkpoint_ns, a fresh message id) show as <id>.
import json
import re
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.config import get_stream_writer
from langgraph.graph import START, MessagesState, StateGraph
from langgraph.types import Command
from typing_extensions import TypedDict

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
out = {}


def norm(text):
    return re.sub(UUID, "<id>", text) if isinstance(text, str) else text


def meta(metadata):
    return {k: (norm(v) if isinstance(v, str) else list(v) if isinstance(v, tuple) else v)
            for k, v in sorted(metadata.items())}


def chunk(namespace, payload):
    message, metadata = payload
    return [[norm(n) for n in namespace], {"type": message.type, "content": message.content, "id": norm(message.id)},
            meta(metadata)]


def subgraph_routing(call_model):
    def route(state):
        return Command(goto="node_2", graph=Command.PARENT)

    return (StateGraph(MessagesState).add_node("call_model", call_model).add_node("route", route)
            .add_edge(START, "call_model").add_edge("call_model", "route").compile())


def parent(subgraph, checkpointer=None):
    return (StateGraph(MessagesState).add_node("node_1", subgraph).add_node("node_2", lambda state: state)
            .add_edge(START, "node_1").compile(checkpointer=checkpointer))


# test_stream_messages_dedupe_inputs
graph = parent(subgraph_routing(lambda state: {"messages": AIMessage("hi", id="1")}))
out["test_stream_messages_dedupe_inputs"] = [
    chunk(ns, c) for ns, c in graph.stream({"messages": "hi"}, stream_mode="messages", subgraphs=True)]

# test_stream_messages_dedupe_state
to_emit = [AIMessage("bye", id="1"), AIMessage("bye again", id="2")]
graph = parent(subgraph_routing(lambda state: {"messages": to_emit.pop(0)}), InMemorySaver())
thread1 = {"configurable": {"thread_id": "1"}}
out["test_stream_messages_dedupe_state"] = [
    [chunk(ns, c) for ns, c in graph.stream({"messages": given}, thread1, stream_mode="messages", subgraphs=True)]
    for given in ("hi", "hi again")]

# test_configurable_propagates_to_stream_metadata
graph = (StateGraph(MessagesState).add_node("my_node", lambda state: {"messages": HumanMessage(content="hello")})
         .add_edge(START, "my_node").compile())
config = {"configurable": {"thread_id": "th-123", "checkpoint_id": "ckpt-1", "checkpoint_ns": "ns-1",
                           "task_id": "task-1", "run_id": "run-456", "assistant_id": "asst-789",
                           "graph_id": "graph-0", "model": "gpt-4o", "user_id": "uid-1", "cron_id": "cron-1",
                           "langgraph_auth_user_id": "user-1", "some_api_key": "secret",
                           "custom_setting": {"nested": True}}}
out["test_configurable_propagates_to_stream_metadata"] = [
    chunk((), c) for c in graph.stream({"messages": []}, config, stream_mode="messages")]

# test_stream_mode_messages_command
def my_node(state):
    return {"messages": HumanMessage(content="foo")}


def my_other_node(state):
    return Command(update={"messages": HumanMessage(content="bar")})


def my_last_node(state):
    return [Command(update={"messages": HumanMessage(content="baz")})]


graph = (StateGraph(MessagesState).add_sequence([my_node, my_other_node, my_last_node])
         .add_edge(START, "my_node").compile())
out["test_stream_mode_messages_command"] = [chunk((), c) for c in graph.stream({"messages": []},
                                                                                stream_mode="messages")]


# test_get_stream_writer
class FooState(TypedDict):
    foo: str


def writing(state):
    get_stream_writer()("custom!")
    return state


graph = StateGraph(FooState).add_node("my_node", writing).add_edge(START, "my_node").compile()
out["test_get_stream_writer"] = {
    "custom": list(graph.stream({"foo": "bar"}, stream_mode="custom")),
    "values": list(graph.stream({"foo": "bar"}, stream_mode="values")),
    "customAndUpdates": [list(c) for c in graph.stream({"foo": "bar"}, stream_mode=["custom", "updates"])],
}


# test_stream_messages_dedupe_pydantic_subgraph_interrupt (a map state where the test has a pydantic one: the
# duplicates it guards against came from pydantic inputs; the rule, each message once across the two requests, is
# the state type's no matter)
from typing import Literal
from langchain_core.messages import HumanMessage as Human
from langgraph.types import interrupt


def subgraph_proposal(state) -> Command[Literal["subgraph_approval"]]:
    return Command(goto="subgraph_approval", update={"messages": [AIMessage(content="Proposal", id="proposal_msg")]})


def subgraph_approval(state) -> Command[Literal["__end__"]]:
    resume_value = interrupt({"message": "Waiting for approval"})
    user_msg = resume_value.get("user_message", "")
    return Command(goto="__end__", update={"messages": [Human(content=user_msg)] if user_msg else []})


def finalize(state) -> Command[Literal["__end__"]]:
    return Command(goto="__end__", update={"messages": [AIMessage(content="Finalized", id="finalize_msg")]})


saver = InMemorySaver()
subgraph = (StateGraph(MessagesState).add_node("proposal", subgraph_proposal)
            .add_node("subgraph_approval", subgraph_approval).add_edge(START, "proposal").compile(checkpointer=saver))
graph = (StateGraph(MessagesState).add_node("subgraph", subgraph).add_node("finalize", finalize)
         .add_edge(START, "subgraph").add_edge("subgraph", "finalize").compile(checkpointer=saver))
thread1 = {"configurable": {"thread_id": "1"}}
first = [chunk(ns, c) for ns, c in graph.stream({"messages": [Human(content="Create a proposal", id="human_msg")]},
                                                thread1, stream_mode="messages", subgraphs=True)]
next_due = list(graph.get_state(thread1).next)
second = [chunk(ns, c) for ns, c in graph.stream(Command(resume={"user_message": "Yes"}), thread1,
                                                 stream_mode="messages", subgraphs=True)]
out["test_stream_messages_dedupe_pydantic_subgraph_interrupt"] = {"first": first, "next": next_due, "second": second}

print(json.dumps(out, indent=1))
