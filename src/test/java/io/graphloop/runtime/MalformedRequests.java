package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.NodeReply;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.run.RunOptions;
import io.graphloop.protocol.RunRequest;
import io.graphloop.run.RunResult;
import io.graphloop.run.StreamEvent;
import io.graphloop.run.StreamMode;
import io.graphloop.state.State;
import io.graphloop.state.Values;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Malformed requests for {@link MalformedRequestTest}, generated from a seeded {@link Random} so that a failing case
 * reproduces: for the run address of graph {@value #GRAPH} and for the address of its node {@code echo}. Each case
 * says what must come back: a failure with its code and what its message must mention, no handlers, or a refusal
 * by the sender.
 */
final class MalformedRequests {

  static final String GRAPH = "malformed";
  static final String RUN = Addresses.run(GRAPH);
  static final String NODE = Addresses.node(GRAPH, "echo");
  /** The deployment's maxRequestBytes. */
  static final int MAX_REQUEST_BYTES = 64 * 1024;
  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _-.:,;{}[]\"'\\/!?@#$%^&*()+=<>~`\té中";

  private MalformedRequests() {
  }

  /** What a case must get back: a failure reply with {@code code}, or no handlers, or a refusal at the sender. */
  enum Outcome { REPLY_FAILURE, NO_HANDLERS, SENDER_REFUSES }

  /**
   * One malformed request.
   *
   * @param label    what is wrong, for the report
   * @param address  where it goes
   * @param body     the body
   * @param outcome  what must happen
   * @param code     the failure code of a REPLY_FAILURE
   * @param mentions what the failure's message must contain (each)
   */
  record Case(String label, String address, Object body, Outcome outcome, int code, List<String> mentions) {
  }

  /** A Java object with a codec (so it reaches the coordinator) that is not a request. */
  static final class Stranger {
    final String name;

    Stranger(String name) {
      this.name = name;
    }
  }

  static final class StrangerCodec implements MessageCodec<Stranger, Stranger> {
    @Override
    public void encodeToWire(Buffer buffer, Stranger stranger) {
      buffer.appendString(stranger.name);
    }

    @Override
    public Stranger decodeFromWire(int pos, Buffer buffer) {
      return new Stranger(buffer.getString(pos, buffer.length()));
    }

    @Override
    public Stranger transform(Stranger stranger) {
      return stranger;
    }

    @Override
    public String name() {
      return "test.Stranger";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  /** A body in at most 200 characters, for reports. */
  static String describe(Object body) {
    String text = body instanceof JsonObject ? ((JsonObject) body).encode() : String.valueOf(body);
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  // ---- cases for the run address -----------------------------------------------------------------------------

  /** About 3,400 malformed run requests. */
  static List<Case> runCases(Random r) {
    List<Case> cases = new ArrayList<>();
    notJson(r, cases);
    truncated(r, cases);
    wrongTypes(r, cases);
    outOfRange(r, cases);
    unknownFields(r, cases);
    unsupportedBodies(r, cases);
    tooDeep(r, cases);
    tooLarge(r, cases);
    refusedInput(r, cases);
    for (int i = 0; i < 50; i++) {
      cases.add(new Case("unknown graph", Addresses.run("no-such-graph-" + r.nextInt(1_000)), validRequest(r).encode(),
          Outcome.NO_HANDLERS, -1, List.of()));
    }
    return cases;
  }

  private static Case bad(String label, Object body, String... mentions) {
    return new Case(label, RUN, body, Outcome.REPLY_FAILURE, FailureCode.BAD_REQUEST.code(), mentions(mentions));
  }

  private static List<String> mentions(String... mentions) {
    List<String> all = new ArrayList<>(List.of(mentions));
    all.add("'" + GRAPH + "'");
    return all;
  }

  /** Text that is not a JSON object: fixed tricky ones, then random, as strings and as buffers. */
  private static void notJson(Random r, List<Case> cases) {
    List<String> tricky = List.of("", " ", "null", "true", "1", "-0.5e3", "[]", "[{\"input\": {}}]", "\"text\"", "{",
        "}", "{]", "{\"input\"}", "{'input': {}}", "{\"input\": {}} trailing", "{\"input\": {},}", "{\"input\": NaN}",
        "{input: {}}", "{\"input\": {\"text\": \"unterminated}}", "\uFEFF\u0000{}", "{\"input\": {\"a\": 01}}");
    for (String text : tricky) {
      cases.add(bad("not JSON: " + text, text, "Bad run request"));
      cases.add(bad("not JSON as buffer: " + text, Buffer.buffer(text), "Bad run request"));
    }
    for (int i = 0; i < 400; i++) {
      String text = randomString(r, 1 + r.nextInt(80));
      if (text.stripLeading().startsWith("{")) {
        text = "x" + text;
      }
      cases.add(bad("random text", r.nextBoolean() ? text : Buffer.buffer(text), "Bad run request"));
    }
  }

  /** A valid request cut short (every proper prefix of a compact JSON object is invalid). */
  private static void truncated(Random r, List<Case> cases) {
    for (int i = 0; i < 400; i++) {
      String json = (r.nextInt(4) == 0 ? withStream(r, validRequest(r)) : validRequest(r)).encode();
      String cut = json.substring(0, 1 + r.nextInt(json.length() - 1));
      cases.add(bad("truncated JSON", r.nextBoolean() ? cut : Buffer.buffer(cut), "Bad run request"));
    }
  }

  private enum Kind { OBJECT, STRING, INT, LONG, MODES }

  private record Field(String path, Kind kind) {
  }

  private static final List<Field> FIELDS = List.of(new Field("input", Kind.OBJECT), new Field("options", Kind.OBJECT),
      new Field("stream", Kind.OBJECT), new Field("options.runId", Kind.STRING),
      new Field("options.recursionLimit", Kind.INT), new Field("options.timeoutMs", Kind.LONG),
      new Field("options.maxConcurrency", Kind.INT), new Field("options.config", Kind.OBJECT),
      new Field("stream.to", Kind.STRING), new Field("stream.modes", Kind.MODES), new Field("stream.window", Kind.INT));

  /** Each field of the request with a value of a type it does not take, in an otherwise valid request. */
  private static void wrongTypes(Random r, List<Case> cases) {
    for (int i = 0; i < 1_200; i++) {
      Field field = FIELDS.get(i % FIELDS.size());
      Object wrong = wrongValue(r, field.kind());
      JsonObject request = withStream(r, validRequest(r));
      String name = set(request, field.path(), wrong);
      String mention = field.kind() == Kind.MODES && wrong instanceof String ? "Unknown stream mode" : "'" + name + "'";
      cases.add(bad("wrong type at " + field.path() + ": " + describe(wrong), encodeSomehow(r, request), mention));
    }
  }

  private static Object wrongValue(Random r, Kind kind) {
    while (true) {
      Object value;
      switch (r.nextInt(9)) {
        case 0: value = r.nextInt(); break;
        case 1: value = (1L << 40) + r.nextInt(1_000); break;
        case 2: value = r.nextInt(1_000) + 0.5; break;
        case 3: value = r.nextBoolean(); break;
        case 4: value = randomString(r, r.nextInt(12)); break;
        case 5: value = new JsonArray().add(randomString(r, 3)).add(r.nextInt(10)); break;
        case 6: value = new JsonObject().put(randomString(r, 4), r.nextInt(10)); break;
        case 7: value = new JsonArray(); break;
        default: value = (double) r.nextInt(10); break;
      }
      boolean accepted;
      switch (kind) {
        case OBJECT: accepted = value instanceof JsonObject; break;
        case STRING: accepted = value instanceof String; break;
        case INT: accepted = value instanceof Integer; break;
        case LONG: accepted = value instanceof Integer || value instanceof Long; break;
        default: accepted = value instanceof JsonArray && ((JsonArray) value).isEmpty() ? false
            : value instanceof String && StreamMode.names().contains(value);
      }
      if (!accepted) {
        return kind == Kind.MODES && value instanceof String ? "mode-" + value : value;
      }
    }
  }

  /** Values of the right type out of their range: negative limits, windows, blank ids and addresses, bad modes. */
  private static void outOfRange(Random r, List<Case> cases) {
    for (int i = 0; i < 400; i++) {
      JsonObject request = withStream(r, validRequest(r));
      String mention;
      switch (i % 11) {
        case 0: set(request, "options.recursionLimit", -1 - r.nextInt(1_000_000)); mention = "recursionLimit"; break;
        case 1: set(request, "options.timeoutMs", -1L - r.nextInt(1_000_000)); mention = "timeoutMs"; break;
        case 2: set(request, "options.maxConcurrency", -1 - r.nextInt(1_000)); mention = "maxConcurrency"; break;
        case 3: set(request, "stream.window", -r.nextInt(1_000)); mention = "'window'"; break;
        case 4: set(request, "stream.window", 65_537 + r.nextInt(Integer.MAX_VALUE - 65_537)); mention = "'window'";
          break;
        case 5: set(request, "stream.modes", new JsonArray()); mention = "'modes'"; break;
        case 6: set(request, "stream.modes", new JsonArray().add("values").add("bogus-" + r.nextInt(100)));
          mention = "Unknown stream mode 'bogus-"; break;
        case 7: set(request, "stream.to", " ".repeat(r.nextInt(4))); mention = "'to'"; break;
        case 8: request.getJsonObject("stream").remove("to"); mention = "'to'"; break;
        case 9: request.getJsonObject("stream").remove("modes"); mention = "'modes'"; break;
        default: set(request, "options.runId", " ".repeat(r.nextInt(4))); mention = "runId"; break;
      }
      cases.add(bad("out of range (" + mention + ")", encodeSomehow(r, request), mention));
    }
  }

  /** Fields nobody reads: at the top, in the options, in the stream spec (likely typos must not pass silently). */
  private static void unknownFields(Random r, List<Case> cases) {
    List<String> typos = List.of("inputs", "Input", "opts", "option", "streams", "recursion_limit", "runid", "timeout",
        "max_concurrency", "configurable", "mode", "stream_mode", "windowSize", "address", "");
    for (int i = 0; i < 300; i++) {
      JsonObject request = withStream(r, validRequest(r));
      String name = r.nextBoolean() ? typos.get(r.nextInt(typos.size())) : "x" + randomString(r, r.nextInt(8));
      String where = List.of("the request", "options", "stream").get(i % 3);
      JsonObject target = i % 3 == 0 ? request : request.getJsonObject(where);
      if (Set.of("input", "options", "stream", "runId", "recursionLimit", "timeoutMs", "maxConcurrency", "config", "to",
          "modes", "window").contains(name)) {
        continue;
      }
      target.put(name, r.nextBoolean() ? r.nextInt(10) : randomString(r, 5));
      cases.add(bad("unknown field in " + where + ": '" + name + "'", encodeSomehow(r, request), "'" + name + "'",
          "unknown"));
    }
  }

  /** Bodies that are neither a RunRequest nor JSON text: other types, Graphloop's other messages, a stranger. */
  private static void unsupportedBodies(Random r, List<Case> cases) {
    List<Function<Random, Object>> makers = List.of(
        x -> x.nextInt(), x -> x.nextLong(), x -> x.nextDouble(), x -> x.nextFloat(), x -> x.nextBoolean(),
        x -> (short) x.nextInt(), x -> (byte) x.nextInt(), x -> (char) ('a' + x.nextInt(26)),
        x -> randomBytes(x), x -> validRequest(x).encode().getBytes(StandardCharsets.UTF_8),
        x -> new JsonArray().add(validRequest(x)), x -> new Stranger(randomString(x, 6)),
        x -> new RunResult("r", State.of(Map.of("text", "t"))),
        x -> new StreamEvent("r", 1, io.graphloop.run.StreamEventType.VALUES, 0, null, "", Map.of()),
        x -> new NodeReply(Map.of("text", "t")),
        x -> NodeRequest.fromJson(validNodeRequest(x)));
    for (int i = 0; i < 300; i++) {
      Object body = makers.get(i % makers.size()).apply(r);
      cases.add(bad("a body of type " + body.getClass().getSimpleName(), body, "the body is a "));
    }
    cases.add(bad("a null body", null, "the body is empty"));
    for (int i = 0; i < 10; i++) {
      cases.add(new Case("a body with no codec", RUN, new Object() { }, Outcome.SENDER_REFUSES, 0, List.of()));
    }
  }

  /**
   * Input or config nested deeper than {@link Values#MAX_DEPTH} but within the JSON parser's limit (1000): refused
   * when the values are frozen; deeper still: refused by the parser (text) or while the coordinator measures the
   * request (a JSON object). Deep text is written by hand: encoding it here could overflow the test's own stack.
   */
  private static void tooDeep(Random r, List<Case> cases) {
    for (int i = 0; i < 120; i++) {
      boolean beyondParser = i % 4 == 3;
      int depth = beyondParser ? 1_100 + r.nextInt(400) : Values.MAX_DEPTH + 5 + r.nextInt(200);
      boolean inConfig = i % 2 == 0;
      String mention = beyondParser ? "nest" : "nested deeper than " + Values.MAX_DEPTH;
      Object body;
      switch (r.nextInt(3)) {
        case 0:
          JsonObject request = new JsonObject().put("input", new JsonObject().put("text", "t"));
          if (inConfig) {
            request.put("options", new JsonObject().put("config", new JsonObject().put("deep", nested(r, depth))));
          } else {
            request.getJsonObject("input").put("text", nested(r, depth));
          }
          body = request;
          break;
        case 1:
          body = deepText(r, depth, inConfig);
          break;
        default:
          body = Buffer.buffer(deepText(r, depth, inConfig));
          break;
      }
      cases.add(bad("nested " + depth + " deep in " + (inConfig ? "options.config" : "input") + " as "
          + body.getClass().getSimpleName(), body, mention));
    }
  }

  private static String deepText(Random r, int depth, boolean inConfig) {
    StringBuilder open = new StringBuilder();
    StringBuilder close = new StringBuilder();
    for (int i = 0; i < depth; i++) {
      boolean array = r.nextBoolean();
      open.append(array ? "[" : "{\"d\":");
      close.append(array ? "]" : "}");
    }
    String value = open + "1" + close.reverse();
    return inConfig ? "{\"input\":{},\"options\":{\"config\":{\"deep\":" + value + "}}}"
        : "{\"input\":{\"text\":" + value + "}}";
  }

  /** Requests over maxRequestBytes (64 KiB): about 100 KiB, as a JSON object, a string and a buffer. */
  private static void tooLarge(Random r, List<Case> cases) {
    for (int i = 0; i < 30; i++) {
      JsonObject request = validRequest(r);
      request.getJsonObject("input").put("text", "x".repeat(100 * 1024 + r.nextInt(1024)));
      Object body;
      switch (i % 4) {
        case 0: body = request; break;
        case 1: body = request.encode(); break;
        case 2: body = request.toBuffer(); break;
        default: body = "not even json ".repeat(8_000); break;
      }
      cases.add(bad("100 KiB as " + body.getClass().getSimpleName(), body, "over the limit of " + MAX_REQUEST_BYTES,
          "maxRequestBytes"));
    }
  }

  /**
   * Well-formed requests whose input the graph refuses: a value its reducer refuses. (An undeclared key of a strict
   * graph's input is dropped, as LangGraph drops keys outside its input schema: InputSchemaTest.)
   */
  private static void refusedInput(Random r, List<Case> cases) {
    for (int i = 0; i < 200; i++) {
      JsonObject request = validRequest(r);
      String channel = "count";
      request.getJsonObject("input").put(channel, r.nextBoolean() ? randomString(r, 4)
          : r.nextBoolean() ? new JsonArray().add(1) : new JsonObject().put("n", 1));
      cases.add(new Case("input refused by channel " + channel, RUN, encodeSomehow(r, request), Outcome.REPLY_FAILURE,
          FailureCode.INVALID_UPDATE.code(), List.of("'" + channel + "'")));
    }
  }

  // ---- cases for the node address ----------------------------------------------------------------------------

  private static final List<Field> NODE_FIELDS = List.of(new Field("graph", Kind.STRING), new Field("runId", Kind.STRING),
      new Field("node", Kind.STRING), new Field("eventsTo", Kind.STRING), new Field("step", Kind.INT),
      new Field("attempt", Kind.INT), new Field("maxAttempts", Kind.INT), new Field("timeoutMs", Kind.LONG),
      new Field("config", Kind.OBJECT), new Field("input", Kind.OBJECT));

  /** About 600 malformed node requests. */
  static List<Case> nodeCases(Random r) {
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Field field = NODE_FIELDS.get(i % NODE_FIELDS.size());
      JsonObject request = validNodeRequest(r);
      Object wrong = wrongValue(r, field.kind());
      request.put(field.path(), wrong);
      cases.add(nodeBad("node request: wrong type at " + field.path() + ": " + describe(wrong), request,
          "'" + field.path() + "'"));
    }
    for (int i = 0; i < 90; i++) {
      String missing = List.of("graph", "runId", "node").get(i % 3);
      JsonObject request = validNodeRequest(r);
      request.remove(missing);
      cases.add(nodeBad("node request without " + missing, request, "'" + missing + "'", "missing"));
    }
    List<Function<Random, Object>> makers = List.of(x -> randomString(x, 20), x -> x.nextInt(), x -> x.nextBoolean(),
        x -> randomBytes(x), x -> Buffer.buffer(validNodeRequest(x).encode()), x -> validNodeRequest(x).encode(),
        x -> new JsonArray().add(1), x -> new Stranger("s"), x -> new RunRequest(Map.of("text", "t"), new RunOptions()));
    for (int i = 0; i < 180; i++) {
      Object body = makers.get(i % makers.size()).apply(r);
      cases.add(nodeBad("node request of type " + body.getClass().getSimpleName(), body, "the body is"));
    }
    cases.add(nodeBad("node request: null", null, "the body is null"));
    for (int i = 0; i < 60; i++) {
      JsonObject request = validNodeRequest(r);
      String where = i % 2 == 0 ? "input" : "config";
      request.getJsonObject(where).put("deep", nested(r, Values.MAX_DEPTH + 5 + r.nextInt(400)));
      cases.add(nodeBad("node request nested too deep in " + where, request, "nested deeper than " + Values.MAX_DEPTH));
    }
    return cases;
  }

  private static Case nodeBad(String label, Object body, String... mentions) {
    List<String> all = new ArrayList<>(List.of(mentions));
    all.add("Bad request to node 'echo' of graph '" + GRAPH + "'");
    return new Case(label, NODE, body, Outcome.REPLY_FAILURE, FailureCode.BAD_REQUEST.code(), all);
  }

  private static JsonObject validNodeRequest(Random r) {
    return new JsonObject().put("graph", GRAPH).put("runId", "n-" + r.nextInt(1_000_000)).put("step", r.nextInt(5))
        .put("node", "echo").put("attempt", 1).put("maxAttempts", 1).put("timeoutMs", 5_000)
        .put("config", new JsonObject().put("k", randomScalar(r)))
        .put("input", new JsonObject().put("text", randomString(r, 8)));
  }

  // ---- generators --------------------------------------------------------------------------------------------

  /** A request the graph would accept: random text, count and log in the input, random valid options. */
  private static JsonObject validRequest(Random r) {
    JsonObject input = new JsonObject().put("text", randomString(r, r.nextInt(20)));
    if (r.nextBoolean()) {
      input.put("count", r.nextInt(100));
    }
    if (r.nextBoolean()) {
      input.put("log", new JsonArray().add(randomString(r, 5)).add(randomScalar(r)));
    }
    JsonObject options = new JsonObject();
    if (r.nextBoolean()) {
      options.put("runId", "run-" + Long.toHexString(r.nextLong()));
    }
    if (r.nextBoolean()) {
      options.put("recursionLimit", 1 + r.nextInt(100));
    }
    if (r.nextBoolean()) {
      options.put("timeoutMs", 1_000L + r.nextInt(60_000));
    }
    if (r.nextBoolean()) {
      options.put("maxConcurrency", r.nextInt(8));
    }
    options.put("config", new JsonObject().put("model", randomString(r, 6)));
    return new JsonObject().put("input", input).put("options", options);
  }

  private static JsonObject withStream(Random r, JsonObject request) {
    List<String> modes = new ArrayList<>(StreamMode.names());
    java.util.Collections.shuffle(modes, r);
    return request.put("stream", new JsonObject().put("to", "graphloop.test.nowhere." + r.nextInt(1_000))
        .put("modes", new JsonArray(modes.subList(0, 1 + r.nextInt(modes.size())))).put("window", 1 + r.nextInt(1_000)));
  }

  /** Sets {@code path} ("a" or "a.b") to {@code value}; returns the field's own name. */
  private static String set(JsonObject request, String path, Object value) {
    int dot = path.indexOf('.');
    if (dot < 0) {
      request.put(path, value);
      return path;
    }
    request.getJsonObject(path.substring(0, dot)).put(path.substring(dot + 1), value);
    return path.substring(dot + 1);
  }

  /** The request as a JSON object, its text, or its bytes. */
  private static Object encodeSomehow(Random r, JsonObject request) {
    switch (r.nextInt(3)) {
      case 0: return request;
      case 1: return request.encode();
      default: return request.toBuffer();
    }
  }

  /** {@code depth} containers inside each other, objects and arrays mixed. */
  private static Object nested(Random r, int depth) {
    Object value = randomScalar(r);
    for (int i = 0; i < depth; i++) {
      value = r.nextBoolean() ? new JsonArray().add(value) : new JsonObject().put("d", value);
    }
    return value;
  }

  private static Object randomScalar(Random r) {
    switch (r.nextInt(4)) {
      case 0: return r.nextInt(1_000);
      case 1: return randomString(r, 6);
      case 2: return r.nextBoolean();
      default: return r.nextInt(1_000) / 8.0;
    }
  }

  private static String randomString(Random r, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
    }
    return text.toString();
  }

  private static byte[] randomBytes(Random r) {
    byte[] bytes = new byte[1 + r.nextInt(64)];
    r.nextBytes(bytes);
    return bytes;
  }
}
