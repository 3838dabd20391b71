# test_checkpoint_metadata of libs/langgraph/tests/test_pregel.py (a run's configurable fields in the metadata of
# every checkpoint it saves), run against LangGraph 1.2.12; CheckpointMetadataParityTest asserts these outputs. The
# agent/tools loop is kept with plain list writes (the metadata does not depend on the messages); the configurable
# fields also hold values LangGraph leaves out (None, a dict, a "__" key, thread_id) and one of each kept type.
import operator
from typing import Annotated
from typing_extensions import TypedDict
from langgraph.graph import END, StateGraph
from langgraph.checkpoint.memory import InMemorySaver

class S(TypedDict):
    items: Annotated[list, operator.add]
g = StateGraph(S)
g.add_node("agent", lambda s: {"items": ["a"]})
g.add_node("tools", lambda s: {"items": ["t"]})
g.set_entry_point("agent")
g.add_conditional_edges("agent", lambda s: "continue" if len(s["items"]) < 3 else "exit",
                        {"continue": "tools", "exit": END})
g.add_edge("tools", "agent")
saver = InMemorySaver()
app = g.compile(checkpointer=saver)
print("invoke", app.invoke({"items": ["x"]}, {"configurable": {
    "thread_id": "1", "test_config_1": "foo", "test_config_2": "bar", "count": 2, "ratio": 0.5, "flag": True,
    "none": None, "obj": {"a": 1}, "list": [1], "__hidden": "h", "checkpoint_ns": "", "langgraph_step": 3}}))
for s in app.get_state_history({"configurable": {"thread_id": "1"}}):
    print(" ", s.metadata)
app_w_interrupt = g.compile(checkpointer=saver, interrupt_before=["tools"])
print("invoke", app_w_interrupt.invoke({"items": ["x"]},
                                       {"configurable": {"thread_id": "2", "test_config_3": "foo", "test_config_4": "bar"}}))
print("metadata", app_w_interrupt.get_state({"configurable": {"thread_id": "2"}}).metadata)
print("invoke", app_w_interrupt.invoke(None, {"configurable": {"thread_id": "2", "test_config_3": "foo2", "resumed": "yes"}}))
app_w_interrupt.update_state({"configurable": {"thread_id": "2"}}, {"items": ["u"]})
for s in app_w_interrupt.get_state_history({"configurable": {"thread_id": "2"}}):
    print(" ", s.metadata)
