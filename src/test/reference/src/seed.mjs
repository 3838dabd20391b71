// The seed graph of Graphloop's ServerBench (io.graphloop.examples.SeedGraph), for the reference server
// (langgraphjs dev, langgraph-bench.json) in the benchmark's side-by-side rows: start -> (llm, db) -> END, llm and db
// each waiting the latency without blocking, in the same superstep (a run takes one latency). As ServerBenchServe
// names them: "seed-100ms" (the streams rows) and "seed-0ms" (the /runs/wait rows).
import { Annotation, StateGraph, START, END } from "@langchain/langgraph";

const SeedState = Annotation.Root({ query: Annotation(), llm_result: Annotation(), db_result: Annotation() });
const after = (ms, update) => ms <= 0 ? update : new Promise((resolve) => setTimeout(() => resolve(update), ms));
const seed = (ms) => new StateGraph(SeedState)
  .addNode("start", () => ({}))
  .addNode("llm", (state) => after(ms, { llm_result: `LLM answer for: ${state.query}` }))
  .addNode("db", (state) => after(ms, { db_result: `DB result for: ${state.query}` }))
  .addEdge(START, "start").addEdge("start", "llm").addEdge("start", "db")
  .addEdge("llm", END).addEdge("db", END).compile();
export const seed100 = seed(100);
export const seed0 = seed(0);
