/**
 * The pure superstep engine (internal, not API: it may change in any release and is not exported by the module).
 * LangGraph's {@code pregel/_algo.py}: which tasks a step runs, how their writes are applied to the channels,
 * join barriers, {@code Send}/{@code Command} routing, restoring a run from a checkpoint.
 *
 * <p>No Vert.x threads, verticles or event bus here (checked by {@code PureCoreDependencyTest} and the
 * architecture test): the runtime calls it on the run's coordinator event loop, one call at a time per run.
 */
package io.graphloop.internal.engine;
