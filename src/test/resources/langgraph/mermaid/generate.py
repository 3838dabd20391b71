"""Writes the golden Mermaid files beside it with the real LangGraph 1.2.12: python generate.py.
MermaidTest draws the same graphs in Java and compares character for character."""
import operator, json
from typing import TypedDict, Annotated, Literal
from langgraph.graph import StateGraph, START, END
from langgraph.types import Send, Command
class S(TypedDict):
    x: int
    log: Annotated[list, operator.add]
def f(s): return {}
out = {}
# 1 seed-like with join and conditional loop with path map
g=StateGraph(S)
g.add_node('llm', f); g.add_node('db', f); g.add_node('write', f)
g.add_edge(START,'llm'); g.add_edge(START,'db'); g.add_edge(['llm','db'],'write')
g.add_conditional_edges('write', lambda s: END, {'again':'write', END:END})
out['join_pathmap']=g.compile().get_graph().draw_mermaid()
# 2 plain chain
g=StateGraph(S); g.add_node('a',f); g.add_node('b',f); g.add_edge(START,'a'); g.add_edge('a','b'); g.add_edge('b',END)
out['chain']=g.compile().get_graph().draw_mermaid()
# 3 router without path map
g=StateGraph(S); g.add_node('agent',f); g.add_node('tools',f); g.add_edge(START,'agent'); g.add_conditional_edges('agent', lambda s: END); g.add_edge('tools','agent')
out['router_nomap']=g.compile().get_graph().draw_mermaid()
# 4 router with list path map
g=StateGraph(S); g.add_node('agent',f); g.add_node('tools',f); g.add_edge(START,'agent'); g.add_conditional_edges('agent', lambda s: END, ['tools', END]); g.add_edge('tools','agent')
out['router_list']=g.compile().get_graph().draw_mermaid()
# 5 dead end, no END edge
g=StateGraph(S); g.add_node('a',f); g.add_node('b',f); g.add_edge(START,'a'); g.add_edge('a','b')
out['deadend']=g.compile().get_graph().draw_mermaid()
# 6 fanout static + two-source edges separately
g=StateGraph(S); 
for n in ['c','a','b','d']: g.add_node(n,f)
g.add_edge(START,'a'); g.add_edge(START,'b'); g.add_edge('a','c'); g.add_edge('b','c'); g.add_edge('c','d'); g.add_edge('d',END)
out['fanout']=g.compile().get_graph().draw_mermaid()
# 7 command destinations
def cmd(s) -> Command[Literal['b', '__end__']]: return Command(goto='b')
g=StateGraph(S); g.add_node('a',cmd); g.add_node('b',f); g.add_edge(START,'a'); g.add_edge('b',END)
out['command']=g.compile().get_graph().draw_mermaid()
# 8 interrupt_before metadata
g=StateGraph(S); g.add_node('a',f); g.add_node('b',f); g.add_edge(START,'a'); g.add_edge('a','b'); g.add_edge('b',END)
out['interrupt']=g.compile(interrupt_before=['b'], interrupt_after=['a']).get_graph().draw_mermaid()
# 9 conditional from START with path map dict labels
g=StateGraph(S); g.add_node('a',f); g.add_node('b',f); g.add_conditional_edges(START, lambda s: 'x', {'x':'a','y':'b'}); g.add_edge('a',END); g.add_edge('b',END)
out['start_cond']=g.compile().get_graph().draw_mermaid()
# 10 subgraph xray
sub=StateGraph(S); sub.add_node('s1',f); sub.add_node('s2',f); sub.add_edge(START,'s1'); sub.add_edge('s1','s2'); sub.add_edge('s2',END)
g=StateGraph(S); g.add_node('p',f); g.add_node('child', sub.compile()); g.add_edge(START,'p'); g.add_edge('p','child'); g.add_edge('child',END)
cg=g.compile()
out['sub_noxray']=cg.get_graph().draw_mermaid()
out['sub_xray']=cg.get_graph(xray=True).draw_mermaid()
# 11 odd names
g=StateGraph(S); g.add_node('my node',f); g.add_node('b.c',f); g.add_edge(START,'my node'); g.add_edge('my node','b.c'); g.add_edge('b.c',END)
out['names']=g.compile().get_graph().draw_mermaid()
# 12 self loop conditional with path map + label same as dest
g=StateGraph(S); g.add_node('loop',f); g.add_edge(START,'loop'); g.add_conditional_edges('loop', lambda s: END, {'loop':'loop', 'done':END})
out['selfloop']=g.compile().get_graph().draw_mermaid()
# 13 an explicit END edge is drawn only for nodes with no other way on
g=StateGraph(S)
for n in ['a','b','c']: g.add_node(n,f)
g.add_edge(START,'a'); g.add_edge('a','b'); g.add_edge('b','c'); g.add_edge('b',END); g.add_edge('c',END)
out['end_edges']=g.compile().get_graph().draw_mermaid()
# 14 closed loop: the last simulated step's single task gets a dotted edge to END
g=StateGraph(S)
for n in ['a','b']: g.add_node(n,f)
g.add_edge(START,'a'); g.add_edge('a','b'); g.add_edge('b','a')
out['closed_loop']=g.compile().get_graph().draw_mermaid()
# 15 a join whose sources run at different steps
g=StateGraph(S)
for n in ['a','x','b','c']: g.add_node(n,f)
g.add_edge(START,'a'); g.add_edge(START,'x'); g.add_edge('x','b'); g.add_edge(['a','b'],'c'); g.add_edge('c',END)
out['join_steps']=g.compile().get_graph().draw_mermaid()
# 16 two path-map keys to one node: one edge, the first label in order
g=StateGraph(S)
for n in ['a','b']: g.add_node(n,f)
g.add_edge(START,'a'); g.add_conditional_edges('a', lambda s: 'x', {'x':'b','y':'b','z':END})
out['shared_target']=g.compile().get_graph().draw_mermaid()
# 17 the CLI's example graph 'seed' (DrawCommandTest): start -> (llm, db) -> END
g=StateGraph(S)
for n in ['start','llm','db']: g.add_node(n,f)
g.add_edge(START,'start'); g.add_edge('start','llm'); g.add_edge('start','db'); g.add_edge('llm',END); g.add_edge('db',END)
out['seed']=g.compile().get_graph().draw_mermaid()
# test_multiple_sinks_subgraphs (test_pregel.py): a conditional edge with a path list, into a subgraph whose own
# conditional edge leaves two sinks, drawn with xray
sub=StateGraph(S); sub.add_node('one',f); sub.add_node('two',f); sub.add_node('three',f)
sub.add_edge(START,'one'); sub.add_conditional_edges('one', lambda x: 'two', ['two','three'])
g=StateGraph(S); g.add_node('uno',f); g.add_node('dos',f); g.add_node('subgraph', sub.compile())
g.add_edge(START,'uno'); g.add_conditional_edges('uno', lambda x: 'dos', ['dos','subgraph'])
out['multiple_sinks_subgraphs']=g.compile().get_graph(xray=True).draw_mermaid()
import os
here=os.path.dirname(os.path.abspath(__file__))
for k,v in out.items():
    open(os.path.join(here, k + '.mmd'), 'w').write(v)
