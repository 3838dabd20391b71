package io.graphloop.protocol;

import io.graphloop.run.RunOptions;
import io.graphloop.run.RunResult;
import io.graphloop.run.ThreadState;
import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphInterrupt;
import io.graphloop.errors.GraphRecursionException;
import io.graphloop.errors.GraphloopException;
import io.graphloop.errors.InvalidUpdateException;
import io.graphloop.errors.NodeFailedException;
import io.graphloop.errors.NodeTimeoutException;
import io.graphloop.errors.RemoteCause;
import io.graphloop.internal.engine.NodeOutputs;
import io.graphloop.internal.engine.Task;
import io.graphloop.internal.engine.TaskResult;
import io.graphloop.graph.Command;
import io.graphloop.graph.Send;
import io.graphloop.graph.StateGraph;
import io.graphloop.state.State;
import io.graphloop.state.Values;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every message type survives the wire (encode, then decode at an offset inside a larger buffer, as the event
 * bus does) with the same fields, and travels by reference inside one JVM.
 */
class CodecTest {

  private static final byte[] PREFIX = {7, 7, 7};

  private static <T> T roundTrip(MessageCodec<T, T> codec, T message) {
    Buffer buffer = Buffer.buffer().appendBytes(PREFIX);
    codec.encodeToWire(buffer, message);
    buffer.appendString("trailing bytes of the next frame");
    T decoded = codec.decodeFromWire(PREFIX.length, buffer);
    assertNotSame(message, decoded, "the wire form is a new object");
    assertSame(message, codec.transform(message), "no copy inside one JVM");
    return decoded;
  }

  private static Map<String, Object> nestedValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("query", "hello \"world\" é");
    values.put("count", 3);
    values.put("big", 9_000_000_000L);
    values.put("ratio", 0.25);
    values.put("ok", true);
    values.put("nothing", null);
    values.put("list", List.of("a", 1, List.of(false)));
    values.put("nested", Map.of("inner", Map.of("deep", List.of("x"))));
    return values;
  }

  @Test
  void runRequestKeepsInputAndOptions() {
    RunOptions options = new RunOptions().setRunId("run-1").setRecursionLimit(25).setTimeoutMs(60_000);
    RunRequest request = new RunRequest(nestedValues(), options);
    RunRequest decoded = roundTrip(new RunRequest.Codec(), request);
    assertEquals(request.input(), decoded.input());
    assertEquals("run-1", decoded.options().getRunId());
    assertEquals(25, decoded.options().getRecursionLimit());
    assertEquals(60_000, decoded.options().getTimeoutMs());
  }

  @Test
  void runRequestWithDefaultOptionsKeepsThemDefault() {
    RunRequest decoded = roundTrip(new RunRequest.Codec(), new RunRequest(Map.of(), new RunOptions()));
    assertEquals(Map.of(), decoded.input());
    assertNull(decoded.options().getRunId());
    assertEquals(RunOptions.DEFAULT_RECURSION_LIMIT, decoded.options().getRecursionLimit());
    assertEquals(RunOptions.DEFAULT_TIMEOUT_MS, decoded.options().getTimeoutMs());
  }

  @Test
  void threadRequestsKeepEveryField() {
    ThreadRequest update = ThreadRequest.update("t1", "cp-1", nestedValues(), "approve");
    assertEquals(update, roundTrip(new ThreadRequest.Codec(), update));
    ThreadRequest history = ThreadRequest.history("t1", 10, "cp-9");
    assertEquals(history, roundTrip(new ThreadRequest.Codec(), history));
    assertEquals(ThreadRequest.get("t1", null), roundTrip(new ThreadRequest.Codec(), ThreadRequest.get("t1", null)));
  }

  @Test
  void threadStateKeepsEveryField() {
    ThreadState state = new ThreadState("t1", "cp-2", "cp-1", 3, java.time.Instant.parse("2026-01-02T03:04:05.678Z"),
        io.graphloop.checkpoint.CheckpointSource.LOOP, Map.of("runId", "r1", "ran", List.of("draft")),
        State.of(nestedValues()), List.of("approve"),
        List.of(Map.of("id", "t1:4:approve", "node", "approve", "interrupts", List.of(Map.of("question", "ok?")))),
        List.of(Map.of("node", "approve", "taskId", "t1:4:approve", "value", Map.of("question", "ok?"))));
    assertEquals(state, roundTrip(new RunTypeCodecs.ThreadStateCodec(), state));
    assertEquals(state, ThreadState.fromJson(state.toJson()));
  }

  @Test
  void runResultKeepsRunIdAndState() {
    RunResult result = new RunResult("run-2", State.of(nestedValues()));
    RunResult decoded = roundTrip(new RunTypeCodecs.RunResultCodec(), result);
    assertEquals(result, decoded);
    assertEquals(result.values().channels(), decoded.values().channels());
  }

  @Test
  void nodeRequestKeepsEveryField() {
    NodeRequest request = new NodeRequest("g", "run-3", 4, "node-x", 2, 3, 1500,
        Map.of("model", "small", "temperature", 0.5), "graphloop.g.control.c1", List.of("values", "custom"), "graphloop.g.results.c1", 42L, -7L, List.of("yes"),
        State.of(nestedValues()));
    assertEquals(request, roundTrip(new NodeRequest.Codec(), request));
  }

  @Test
  void nodeReplyKeepsTheUpdate() {
    NodeReply reply = new NodeReply(Values.freezeUpdate(nestedValues(), "test"));
    assertEquals(reply, roundTrip(new NodeReply.Codec(), reply));
  }

  private static GraphloopException failureRoundTrip(GraphloopException failure) {
    FailureReply decoded = roundTrip(new FailureReply.Codec(), new FailureReply(failure));
    assertEquals(ReplyFailure.RECIPIENT_FAILURE, decoded.failureType());
    assertEquals(failure.code().code(), decoded.failureCode());
    GraphloopException back = decoded.failure();
    assertSame(failure.getClass(), back.getClass());
    assertEquals(failure.code(), back.code());
    assertEquals(failure.getMessage(), back.getMessage());
    assertEquals(failure.graph(), back.graph());
    assertEquals(failure.runId(), back.runId());
    assertEquals(failure.step(), back.step());
    assertEquals(failure.node(), back.node());
    return back;
  }

  @Test
  void nodeFailedKeepsFieldsAndTheCauseClassAsRemoteCause() {
    IllegalStateException cause = new IllegalStateException("model said no");
    NodeFailedException failure = new NodeFailedException("g", "run-4", 2, "llm", 1, 3, cause);
    NodeFailedException back = (NodeFailedException) failureRoundTrip(failure);
    assertEquals(1, back.attempt());
    assertEquals(3, back.maxAttempts());
    RemoteCause remote = assertInstanceOf(RemoteCause.class, back.getCause());
    assertEquals(IllegalStateException.class.getName(), remote.className());
    assertEquals("model said no", remote.getMessage());
  }

  @Test
  void remoteCauseKeepsTheOriginalClassOnASecondHop() {
    NodeFailedException once = (NodeFailedException) failureRoundTrip(
        new NodeFailedException("g", "run-5", 0, "db", 1, 1, new UncheckedIOException(
            new IOException("connection reset"))));
    NodeFailedException twice = (NodeFailedException) failureRoundTrip(once);
    RemoteCause remote = assertInstanceOf(RemoteCause.class, twice.getCause());
    assertEquals(UncheckedIOException.class.getName(), remote.className());
    assertEquals(once.getCause().getMessage(), remote.getMessage());
  }

  @Test
  void nodeTimeoutKeepsItsLimit() {
    NodeTimeoutException back = (NodeTimeoutException) failureRoundTrip(
        new NodeTimeoutException("g", "run-6", 5, "slow", 2, 4, 1_500));
    assertEquals(1_500, back.timeoutMs());
    assertEquals(2, back.attempt());
    assertEquals(4, back.maxAttempts());
    assertEquals(FailureCode.TIMEOUT, back.code());
  }

  @Test
  void invalidUpdateKeepsChannelAndWriters() {
    InvalidUpdateException back = (InvalidUpdateException) failureRoundTrip(new InvalidUpdateException(
        "Channel 'answer' received 2 writes", "g", "run-7", 1, "answer", List.of("a", "b")));
    assertEquals("answer", back.channel());
    assertEquals(List.of("a", "b"), back.writers());
  }

  @Test
  void invalidUpdateOfOneNodeKeepsTheNode() {
    InvalidUpdateException back = (InvalidUpdateException) failureRoundTrip(new InvalidUpdateException(
        "Node 'x' returned a String", "g", "run-8", 0, null, List.of("x")));
    assertNull(back.channel());
    assertEquals(List.of("x"), back.writers());
  }

  @Test
  void anInterruptKeepsItsPayloadSoANodeOnAnotherJvmCanAskAPerson() {
    GraphInterrupt interrupt = new GraphInterrupt(Values.freeze(Map.of("question", "ok?"), "test"), "g", "r1", 2,
        "approve");
    GraphInterrupt back = assertInstanceOf(GraphInterrupt.class,
        roundTrip(new FailureReply.Codec(), new FailureReply(interrupt)).failure());
    assertEquals(Map.of("question", "ok?"), back.payload());
    assertEquals("approve", back.node());
    assertEquals(FailureCode.INTERRUPTED, back.code());
  }

  @Test
  void graphRecursionKeepsTheLimit() {
    GraphRecursionException back = (GraphRecursionException) failureRoundTrip(
        new GraphRecursionException("g", "run-9", 10, 10));
    assertEquals(10, back.limit());
  }

  @Test
  void plainFailureKeepsCodeAndMessage() {
    GraphloopException back = failureRoundTrip(new GraphloopException(FailureCode.OVERLOADED, "too many runs",
        "g", null, null, null, null));
    assertNull(back.getCause());
  }

  @Test
  void nodeReplyKeepsTheGotoTargetsAndTheSendsInOrder() {
    NodeReply reply = NodeReply.of(NodeOutputs.toOutput(Command.gotoNodes("b", StateGraph.END)
        .update(Map.of("answer", 42))
        .andSend(new Send("x", nestedValues()), new Send("x", Map.of()), new Send("a", Map.of("n", 1))), "n"));

    NodeReply decoded = roundTrip(new NodeReply.Codec(), reply);

    assertEquals(reply, decoded);
    assertEquals(List.of("b", StateGraph.END), decoded.goTo());
    assertEquals(List.of("x", "x", "a"), decoded.sends().stream().map(Send::node).toList());
    assertEquals(reply.sends().get(0).input(), decoded.sends().get(0).input());
    assertThrows(UnsupportedOperationException.class, () -> decoded.sends().get(0).input().put("k", 1),
        "a decoded Send's input is frozen");
  }

  @Test
  void nodeReplyJsonFormNamesUpdateGotoAndSendsAndLeavesOutEmptyRouting() {
    NodeReply routed = new NodeReply(Values.freezeUpdate(Map.of("k", "v"), "test"), List.of("b"),
        List.of(new Send("x", Map.of("part", 1))));
    assertEquals(new JsonObject("{\"update\":{\"k\":\"v\"},\"goto\":[\"b\"],"
        + "\"sends\":[{\"node\":\"x\",\"input\":{\"part\":1}}]}"), routed.toJson());
    assertEquals(new JsonObject("{\"update\":{\"k\":\"v\"}}"),
        new NodeReply(Values.freezeUpdate(Map.of("k", "v"), "test")).toJson(),
        "a plain update's wire form is unchanged");
    assertEquals(routed, NodeReply.fromJson(routed.toJson()));
  }

  @Test
  void nodeReplyCarriesTheSeparateWritesOfSeveralCommandsOverTheWire() {
    NodeReply reply = new NodeReply(Values.freezeUpdate(Map.of("foo", "a1a2"), "test"), List.of(), List.of(),
        List.of(Map.of("foo", "a1"), Map.of("foo", "a2")));
    assertEquals(new JsonObject("{\"update\":{\"foo\":\"a1a2\"},\"writes\":[{\"foo\":\"a1\"},{\"foo\":\"a2\"}]}"),
        reply.toJson());
    assertEquals(reply, roundTrip(new NodeReply.Codec(), reply));
    IllegalArgumentException twoChannels = assertThrows(IllegalArgumentException.class,
        () -> NodeReply.fromJson(new JsonObject("{\"writes\":[{\"a\":1,\"b\":2}]}")));
    assertTrue(twoChannels.getMessage().contains("'writes'"), twoChannels.getMessage());
  }

  @Test
  void nodeReplyWithRoutingBecomesATaskResultWithTheSameRouting() {
    Task task = new Task("n", 0, 2, State.empty());
    NodeReply reply = new NodeReply(Map.of(), List.of("b"), List.of(new Send("x", Map.of())));

    TaskResult result = reply.toResult(task);

    assertSame(task, result.task());
    assertEquals(List.of("b"), result.goTo());
    assertEquals(reply.sends(), result.sends());
  }

  @Test
  void nodeReplyWithMistypedRoutingIsRefusedNamingTheField() {
    IllegalArgumentException gotoNotArray = assertThrows(IllegalArgumentException.class,
        () -> NodeReply.fromJson(new JsonObject("{\"goto\":\"b\"}")));
    assertTrue(gotoNotArray.getMessage().contains("'goto'"), gotoNotArray.getMessage());
    IllegalArgumentException sendWithoutNode = assertThrows(IllegalArgumentException.class,
        () -> NodeReply.fromJson(new JsonObject("{\"sends\":[{\"input\":{}}]}")));
    assertTrue(sendWithoutNode.getMessage().contains("'node'"), sendWithoutNode.getMessage());
  }

  @Test
  void eachMessageTypeHasItsOwnCodecName() {
    List<String> names = Arrays.asList(new RunRequest.Codec().name(), new RunTypeCodecs.RunResultCodec().name(),
        new NodeRequest.Codec().name(), new NodeReply.Codec().name(), new FailureReply.Codec().name());
    assertEquals(names.size(), names.stream().distinct().count(), names.toString());
  }
}
