// The JS equivalents of Graphloop's SDK test graphs (io.graphloop.server.SdkGraphs), for the reference server
// (langgraphjs dev) in the conformance comparison (conformance.mjs).
import { Annotation, StateGraph, START, END, interrupt } from "@langchain/langgraph";

const EchoState = Annotation.Root({ in: Annotation(), out: Annotation() });
export const echo = new StateGraph(EchoState)
  .addNode("echo", (state) => ({ out: `${state.in}!` }))
  .addEdge(START, "echo").addEdge("echo", END).compile();

const SlowState = Annotation.Root({
  delayMs: Annotation(),
  trail: Annotation({ reducer: (a, b) => a.concat(b), default: () => [] }),
});
const step = (name) => async (state, config) => {
  config.writer?.({ progress: name });
  await new Promise((resolve) => setTimeout(resolve, state.delayMs ?? 300));
  return { trail: [name] };
};
export const slow = new StateGraph(SlowState)
  .addNode("first", step("first")).addNode("second", step("second"))
  .addEdge(START, "first").addEdge("first", "second").addEdge("second", END).compile();

const HitlState = Annotation.Root({ topic: Annotation(), text: Annotation(), answer: Annotation(), published: Annotation() });
export const hitl = new StateGraph(HitlState)
  .addNode("draft", (state) => ({ text: `Draft about ${state.topic}` }))
  .addNode("approve", () => ({ answer: interrupt({ question: "Publish it?" }) }))
  .addNode("publish", (state) => ({ published: state.answer === "yes" }))
  .addEdge(START, "draft").addEdge("draft", "approve").addEdge("approve", "publish").addEdge("publish", END).compile();

export const boom = new StateGraph(EchoState)
  .addNode("explode", () => { throw new Error("node exploded"); })
  .addEdge(START, "explode").addEdge("explode", END).compile();

const NestedState = Annotation.Root({ in: Annotation(), a: Annotation(), out: Annotation() });
const inner = new StateGraph(NestedState)
  .addNode("step1", (state) => ({ a: `${state.a}1` }))
  .addNode("step2", (state) => ({ out: `${state.a}2` }))
  .addEdge(START, "step1").addEdge("step1", "step2").addEdge("step2", END).compile();
export const nested = new StateGraph(NestedState)
  .addNode("prepare", (state) => ({ a: `${state.in}>` }))
  .addNode("inner", inner)
  .addEdge(START, "prepare").addEdge("prepare", "inner").addEdge("inner", END).compile();
