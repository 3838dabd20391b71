from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.types import Command, interrupt

@task
def add_one(x: int) -> int:
    return x + 1

@entrypoint(checkpointer=InMemorySaver())
def counter(n: int, *, previous=None):
    total = add_one(n).result() + (previous or 0)
    if n == 99:
        interrupt("ok?")
    return entrypoint.final(value={"total": total}, save=total)

c = {"configurable": {"thread_id": "1"}}
print("invoke1", counter.invoke(1, c))
s = counter.get_state(c)
print("state1", repr(s.values), s.next)
print("values stream", list(counter.stream(2, c, stream_mode="values")))
print("updates stream", list(counter.stream(3, c, stream_mode="updates")))
print("history", [(h.metadata["source"], h.metadata["step"], h.values, h.next) for h in counter.get_state_history(c)][:4])
counter.update_state(c, 100)
s = counter.get_state(c)
print("after update", repr(s.values), s.next, s.metadata["source"])
print("invoke after update", counter.invoke(1, c))
print("interrupted", counter.invoke(99, c))
s = counter.get_state(c)
print("state interrupted", repr(s.values), s.next)
print("values stream interrupted", list(counter.stream(Command(resume="yes"), c, stream_mode="values")))

@entrypoint(checkpointer=InMemorySaver())
def echo(x):
    return x
c = {"configurable": {"thread_id": "2"}}
print("echo dict", echo.invoke({"input": 5}, c), repr(echo.get_state(c).values))
print("echo none state", repr(echo.get_state({"configurable": {"thread_id": "zz"}}).values))
