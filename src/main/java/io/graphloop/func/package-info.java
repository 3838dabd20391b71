/**
 * LangGraph's functional API in Java form: an {@link io.graphloop.func.Entrypoint} (LangGraph's {@code @entrypoint})
 * is a function from an input to a future of its output; inside it, {@link io.graphloop.func.FunctionContext#call}
 * runs a {@link io.graphloop.func.Task} (LangGraph's {@code @task}) and returns a future of its result. An entrypoint
 * compiles to an ordinary graph with one node, so threads, checkpoints, interrupts, streaming, the HTTP server and
 * clusters work with it unchanged: each task call's result is stored on the thread as the step's pending write (as
 * LangGraph stores a PUSH task's writes) and is not run again when the entrypoint is resumed after an interrupt or a
 * crash.
 */
package io.graphloop.func;
