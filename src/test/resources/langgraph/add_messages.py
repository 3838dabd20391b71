# Scenarios of AddMessagesTest / MessageTest: run with LangGraph 1.2.12 (/work/venv-lg/bin/python add_messages.py);
# each printed line is a golden value asserted by the Java tests (random UUID ids are asserted as UUIDs).
import json
from langgraph.graph.message import add_messages, REMOVE_ALL_MESSAGES
from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage, ToolMessage, SystemMessage, AIMessageChunk
def d(ms): return [m.model_dump() for m in ms]
print(json.dumps(d([SystemMessage("s",id="0"),HumanMessage("h",id="1"),AIMessage("",id="2",tool_calls=[{"name":"add","args":{"a":1},"id":"c1"}]),ToolMessage("3",tool_call_id="c1",id="3",name="add")])))
print(json.dumps(d(add_messages([HumanMessage("Hello",id="1")],[HumanMessage("Hello again",id="1"),AIMessage("x",id="2")]))))
r=add_messages([HumanMessage("a",id="1"),AIMessage("b",id="2")],[RemoveMessage(id="1")]); print(json.dumps(d(r)))
r=add_messages([HumanMessage("a",id="1")],[RemoveMessage(id="1"),HumanMessage("again",id="1")]); print(json.dumps(d(r)))
r=add_messages([HumanMessage("a",id="1")],[HumanMessage("x",id="2"),RemoveMessage(id=REMOVE_ALL_MESSAGES),HumanMessage("y",id="3")]); print(json.dumps(d(r)))
try: add_messages([HumanMessage("a",id="1")],[RemoveMessage(id="9")])
except Exception as e: print(type(e).__name__, e)
r=add_messages([],[{"role":"user","content":"hi"},{"role":"assistant","content":"yo","id":"a"},("system","sys"),"plain",{"type":"tool","content":"t","tool_call_id":"c"}]); print(json.dumps(d(r)))
r=add_messages([HumanMessage("a",id="1")],HumanMessage("b",id="2")); print(json.dumps(d(r)))
try: add_messages([],[{"role":"bogus","content":"x"}])
except Exception as e: print(type(e).__name__, e)
try: add_messages([],[{"content":"x"}])
except Exception as e: print(type(e).__name__, e)
r=add_messages([],[AIMessageChunk("ab",id="k")]); print(json.dumps(d(r)))
print(json.dumps(d([AIMessage([{"type":"text","text":"hi"}],id="p")])))
print(json.dumps(d(add_messages([],[{"role":"assistant","content":"","tool_calls":[{"id":"c9","type":"function","function":{"name":"add","arguments":"{\"a\": 1}"}}]}]))))
print(json.dumps(d(add_messages([],[{"type":"ai","content":"","tool_calls":[{"id":"c9","name":"add","args":{"a":1}}]}]))))
print(RemoveMessage(id="1").model_dump())
m=AIMessage("x",id="2",tool_calls=[{"name":"add","args":{"a":1},"id":"c1"}],usage_metadata={"input_tokens":1,"output_tokens":2,"total_tokens":3}).model_dump()
print(json.dumps([x.model_dump() for x in add_messages([],[m])]))
print(json.dumps([x.model_dump() for x in add_messages([],[{"type":"human","content":"h","id":"1","name":None,"additional_kwargs":{"k":1},"response_metadata":{"r":2},"example":False}])]))
print(json.dumps([x.model_dump() for x in add_messages([],[{"role":"tool","content":"h","tool_call_id":"c","status":"error"}, {"role":"user","content":None,"id":"z"}, ["ai","yo"]])]))
