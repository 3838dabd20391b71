# LangGraph 1.2.12: the history after a run and after a replay from its input checkpoint (InputCheckpointResumeTest).
# Run: /work/venv-lg/bin/python src/test/resources/langgraph/input_checkpoint.py
from typing import TypedDict, Annotated
import operator
from langgraph.graph import StateGraph, START, END
from langgraph.checkpoint.memory import InMemorySaver
class S(TypedDict):
    trail: Annotated[list, operator.add]
g = StateGraph(S)
g.add_node("a", lambda s: {"trail": ["a"]})
g.add_node("b", lambda s: {"trail": ["b"]})
g.add_edge(START, "a"); g.add_edge("a", "b"); g.add_edge("b", END)
app = g.compile(checkpointer=InMemorySaver())
cfg = {"configurable": {"thread_id": "t"}}
print(app.invoke({"trail": ["in"]}, cfg))
hist = list(app.get_state_history(cfg))
for h in hist: print(h.metadata["source"], h.metadata["step"], h.next, h.values)
inp = hist[-1]
print("replay from input:", app.invoke(None, inp.config))
for h in list(app.get_state_history(cfg))[:4]: print(h.metadata["source"], h.metadata["step"], h.next, h.values)
