package io.graphloop.server;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Options of the HTTP server ({@link ServerVerticle}): where it listens, its bounds, and who may call it. From code,
 * or from the {@code server} object of {@code conf/graphloop.json} (the same names), e.g.
 * {@code {"port": 2024, "apiKeys": ["k1"], "corsOrigins": ["https://app.example"]}}.
 *
 * <p>Security: with no API key and no JWT configured, the server answers anyone who can reach it, so it then listens
 * only on a loopback host (127.0.0.1, ::1, localhost); another host is refused at start unless
 * {@code allowUnauthenticated} is set.
 *
 * <p>Not thread-safe: configure, then hand to the verticle (which copies it).
 */
public final class ServerOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 2024;
  public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_THREADS = 100_000;
  public static final int DEFAULT_MAX_RUNS = 10_000;
  public static final int DEFAULT_MAX_RUN_EVENTS = 10_000;
  public static final long DEFAULT_HEARTBEAT_MS = 5_000;
  /** The default of {@link #setKeepAliveTimeoutMs}: 5 s, uvicorn's {@code timeout_keep_alive} (LangGraph's server). */
  public static final long DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000;
  public static final int DEFAULT_MAX_STREAMS = 20_000;
  public static final int DEFAULT_STREAM_WRITE_QUEUE_BYTES = 256 * 1024;
  public static final int DEFAULT_MAX_RUN_EVENT_BYTES = 4 * 1024 * 1024;
  public static final long DEFAULT_PEER_WAIT_MS = 20_000;
  public static final long DEFAULT_PEER_GRACE_MS = 10_000;
  /** The accept backlog's default: {@code -1}, the system's ({@code net.core.somaxconn} on Linux, as Netty reads it). */
  public static final int DEFAULT_ACCEPT_BACKLOG = -1;
  /** The HTTP instances' default: {@code 0}, one per event loop of the Vert.x instance ({@link #setHttpInstances}). */
  public static final int DEFAULT_HTTP_INSTANCES = 0;
  /** The most HTTP instances a server may have ({@link #setHttpInstances}). */
  public static final int MAX_HTTP_INSTANCES = 1_024;
  /** The default of {@link #setHttp2MaxStreams}: 100, Vert.x's (and the HTTP/2 RFC's recommended minimum). */
  public static final int DEFAULT_HTTP2_MAX_STREAMS = 100;
  /** The most streams an HTTP/2 connection may have open at once ({@link #setHttp2MaxStreams}). */
  public static final int MAX_HTTP2_MAX_STREAMS = 100_000;

  private static final Set<String> FIELDS = Set.of("host", "port", "maxBodyBytes", "maxThreads", "maxRuns",
      "maxRunEvents", "heartbeatMs", "apiKeys", "jwt", "corsOrigins", "allowUnauthenticated", "maxStreams",
      "streamWriteQueueBytes", "maxRunEventBytes", "peerWaitMs", "peerGraceMs", "acceptBacklog",
      "entrypointChannels", "httpInstances", "http2MaxStreams", "keepAliveTimeoutMs", "http2BatchFlushes");

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  private int maxThreads = DEFAULT_MAX_THREADS;
  private int maxRuns = DEFAULT_MAX_RUNS;
  private int maxRunEvents = DEFAULT_MAX_RUN_EVENTS;
  private long heartbeatMs = DEFAULT_HEARTBEAT_MS;
  private int maxStreams = DEFAULT_MAX_STREAMS;
  private int streamWriteQueueBytes = DEFAULT_STREAM_WRITE_QUEUE_BYTES;
  private int maxRunEventBytes = DEFAULT_MAX_RUN_EVENT_BYTES;
  private long peerWaitMs = DEFAULT_PEER_WAIT_MS;
  private long peerGraceMs = DEFAULT_PEER_GRACE_MS;
  private int acceptBacklog = DEFAULT_ACCEPT_BACKLOG;
  private int httpInstances = DEFAULT_HTTP_INSTANCES;
  private int http2MaxStreams = DEFAULT_HTTP2_MAX_STREAMS;
  private long keepAliveTimeoutMs = DEFAULT_KEEP_ALIVE_TIMEOUT_MS;
  private boolean http2BatchFlushes = true;
  private List<String> apiKeys = List.of();
  private JsonObject jwt;
  private List<String> corsOrigins = List.of();
  private boolean allowUnauthenticated;
  private List<String> entrypointChannels = List.of();

  public ServerOptions() {
  }

  public ServerOptions(ServerOptions other) {
    this(other.toJson());
  }

  /**
   * @throws IllegalArgumentException naming the field that is unknown, of the wrong type or out of range
   */
  public ServerOptions(JsonObject json) {
    String where = "server options";
    for (String name : json.fieldNames()) {
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException("Unknown field '" + name + "' in " + where + "; the fields are "
            + new java.util.TreeSet<>(FIELDS) + ".");
      }
    }
    setHost(JsonFields.optionalString(json, "host", where) == null ? DEFAULT_HOST : json.getString("host"));
    setPort(JsonFields.optionalInt(json, "port", DEFAULT_PORT, where));
    setMaxBodyBytes(JsonFields.optionalInt(json, "maxBodyBytes", DEFAULT_MAX_BODY_BYTES, where));
    setMaxThreads(JsonFields.optionalInt(json, "maxThreads", DEFAULT_MAX_THREADS, where));
    setMaxRuns(JsonFields.optionalInt(json, "maxRuns", DEFAULT_MAX_RUNS, where));
    setMaxRunEvents(JsonFields.optionalInt(json, "maxRunEvents", DEFAULT_MAX_RUN_EVENTS, where));
    setHeartbeatMs(JsonFields.optionalLong(json, "heartbeatMs", DEFAULT_HEARTBEAT_MS, where));
    setMaxStreams(JsonFields.optionalInt(json, "maxStreams", DEFAULT_MAX_STREAMS, where));
    setStreamWriteQueueBytes(JsonFields.optionalInt(json, "streamWriteQueueBytes", DEFAULT_STREAM_WRITE_QUEUE_BYTES,
        where));
    setMaxRunEventBytes(JsonFields.optionalInt(json, "maxRunEventBytes", DEFAULT_MAX_RUN_EVENT_BYTES, where));
    setPeerWaitMs(JsonFields.optionalLong(json, "peerWaitMs", DEFAULT_PEER_WAIT_MS, where));
    setPeerGraceMs(JsonFields.optionalLong(json, "peerGraceMs", DEFAULT_PEER_GRACE_MS, where));
    setAcceptBacklog(JsonFields.optionalInt(json, "acceptBacklog", DEFAULT_ACCEPT_BACKLOG, where));
    setHttpInstances(JsonFields.optionalInt(json, "httpInstances", DEFAULT_HTTP_INSTANCES, where));
    setHttp2MaxStreams(JsonFields.optionalInt(json, "http2MaxStreams", DEFAULT_HTTP2_MAX_STREAMS, where));
    setKeepAliveTimeoutMs(JsonFields.optionalLong(json, "keepAliveTimeoutMs", DEFAULT_KEEP_ALIVE_TIMEOUT_MS, where));
    setApiKeys(strings(JsonFields.optionalArray(json, "apiKeys", where), "apiKeys"));
    setJwt(JsonFields.optionalObject(json, "jwt", where));
    setCorsOrigins(strings(JsonFields.optionalArray(json, "corsOrigins", where), "corsOrigins"));
    Object allow = json.getValue("allowUnauthenticated");
    if (allow != null && !(allow instanceof Boolean)) {
      throw new IllegalArgumentException("Field 'allowUnauthenticated' of " + where + " must be true or false.");
    }
    setAllowUnauthenticated(Boolean.TRUE.equals(allow));
    Object batch = json.getValue("http2BatchFlushes");
    if (batch != null && !(batch instanceof Boolean)) {
      throw new IllegalArgumentException("Field 'http2BatchFlushes' of " + where + " must be true or false.");
    }
    setHttp2BatchFlushes(!Boolean.FALSE.equals(batch));
    setEntrypointChannels(strings(JsonFields.optionalArray(json, "entrypointChannels", where), "entrypointChannels"));
  }

  private static List<String> strings(JsonArray array, String field) {
    List<String> list = new ArrayList<>();
    if (array != null) {
      for (Object item : array) {
        if (!(item instanceof String) || ((String) item).isBlank()) {
          throw new IllegalArgumentException("Field '" + field + "' of server options must hold non-blank strings, "
              + "had " + item + ".");
        }
        list.add((String) item);
      }
    }
    return list;
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("host", host).put("port", port).put("maxBodyBytes", maxBodyBytes)
        .put("maxThreads", maxThreads).put("maxRuns", maxRuns).put("maxRunEvents", maxRunEvents)
        .put("heartbeatMs", heartbeatMs).put("maxStreams", maxStreams)
        .put("streamWriteQueueBytes", streamWriteQueueBytes).put("maxRunEventBytes", maxRunEventBytes)
        .put("peerWaitMs", peerWaitMs).put("peerGraceMs", peerGraceMs).put("acceptBacklog", acceptBacklog)
        .put("httpInstances", httpInstances).put("http2MaxStreams", http2MaxStreams)
        .put("keepAliveTimeoutMs", keepAliveTimeoutMs).put("http2BatchFlushes", http2BatchFlushes)
        .put("apiKeys", new JsonArray(new ArrayList<>(apiKeys)))
        .put("corsOrigins", new JsonArray(new ArrayList<>(corsOrigins)))
        .put("allowUnauthenticated", allowUnauthenticated)
        .put("entrypointChannels", new JsonArray(new ArrayList<>(entrypointChannels)));
    if (jwt != null) {
      json.put("jwt", jwt.copy());
    }
    return json;
  }

  /** Whether callers must authenticate (an API key or a JWT is configured). */
  public boolean authEnabled() {
    return !apiKeys.isEmpty() || jwt != null;
  }

  public String getHost() {
    return host;
  }

  /** The host (interface) to listen on; default 127.0.0.1. */
  public ServerOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be blank, was '" + host + "'");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  /** The port; 0 picks a free one (see {@link ServerVerticle#actualPort()}); default 2024, as {@code langgraph dev}. */
  public ServerOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be from 0 to 65535, was " + port);
    }
    this.port = port;
    return this;
  }

  public int getMaxBodyBytes() {
    return maxBodyBytes;
  }

  /** The largest request body accepted; larger ones are refused with 413. */
  public ServerOptions setMaxBodyBytes(int maxBodyBytes) {
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1024, was " + maxBodyBytes);
    }
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  public int getMaxThreads() {
    return maxThreads;
  }

  /** The most threads the server keeps; creating more is refused with 503. */
  public ServerOptions setMaxThreads(int maxThreads) {
    this.maxThreads = atLeastOne(maxThreads, "maxThreads");
    return this;
  }

  public int getMaxRuns() {
    return maxRuns;
  }

  /** The most runs the server keeps (the oldest ended one is forgotten first); all active: 503. */
  public ServerOptions setMaxRuns(int maxRuns) {
    this.maxRuns = atLeastOne(maxRuns, "maxRuns");
    return this;
  }

  public int getMaxRunEvents() {
    return maxRunEvents;
  }

  /** The SSE events kept per run for joins and {@code Last-Event-ID} resumption (the oldest are dropped first). */
  public ServerOptions setMaxRunEvents(int maxRunEvents) {
    this.maxRunEvents = atLeastOne(maxRunEvents, "maxRunEvents");
    return this;
  }

  public long getHeartbeatMs() {
    return heartbeatMs;
  }

  /** How often an idle event stream gets a heartbeat comment; 0: never. */
  public ServerOptions setHeartbeatMs(long heartbeatMs) {
    if (heartbeatMs < 0) {
      throw new IllegalArgumentException("heartbeatMs must be at least 0, was " + heartbeatMs);
    }
    this.heartbeatMs = heartbeatMs;
    return this;
  }

  public int getMaxStreams() {
    return maxStreams;
  }

  /**
   * The most event streams (SSE responses: {@code runs/stream} and joined streams) open at once; one more is refused
   * with 503 and {@code Retry-After} before any run starts.
   */
  public ServerOptions setMaxStreams(int maxStreams) {
    this.maxStreams = atLeastOne(maxStreams, "maxStreams");
    return this;
  }

  public int getStreamWriteQueueBytes() {
    return streamWriteQueueBytes;
  }

  /**
   * The bytes an event stream may have written and not yet sent to its client (its write queue); above it the run's
   * events wait (the run's event source is paused) until the client has read them.
   */
  public ServerOptions setStreamWriteQueueBytes(int streamWriteQueueBytes) {
    if (streamWriteQueueBytes < 1024) {
      throw new IllegalArgumentException("streamWriteQueueBytes must be at least 1024, was " + streamWriteQueueBytes);
    }
    this.streamWriteQueueBytes = streamWriteQueueBytes;
    return this;
  }

  public long getPeerWaitMs() {
    return peerWaitMs;
  }

  /**
   * Servers sharing their records ({@link ServerVerticle#sharedThreads}) serve each other's runs: a join, a join-stream
   * or a cancel of a run another server started is sent to that server on the event bus, which answers once it has
   * news (an event, the run's end) or after this long (then it is asked again). A server that does not answer within
   * this plus {@link #getPeerGraceMs} is answered for with 503. Default {@value #DEFAULT_PEER_WAIT_MS} ms, 100 ms to
   * 10 minutes.
   */
  public ServerOptions setPeerWaitMs(long peerWaitMs) {
    if (peerWaitMs < 100 || peerWaitMs > 600_000) {
      throw new IllegalArgumentException("peerWaitMs must be between 100 and 600000 ms, was " + peerWaitMs);
    }
    this.peerWaitMs = peerWaitMs;
    return this;
  }

  public long getPeerGraceMs() {
    return peerGraceMs;
  }

  /**
   * How much longer than {@link #getPeerWaitMs} a request to another server sharing the records may take before this
   * server gives up on it and answers 503 (the other server is there but does not answer: overloaded, or paused).
   * Default {@value #DEFAULT_PEER_GRACE_MS} ms, 100 ms to 10 minutes.
   */
  public ServerOptions setPeerGraceMs(long peerGraceMs) {
    if (peerGraceMs < 100 || peerGraceMs > 600_000) {
      throw new IllegalArgumentException("peerGraceMs must be between 100 and 600000 ms, was " + peerGraceMs);
    }
    this.peerGraceMs = peerGraceMs;
    return this;
  }

  public int getAcceptBacklog() {
    return acceptBacklog;
  }

  /**
   * How many connections the kernel may hold for the server before it accepts them (the listen socket's backlog,
   * {@code HttpServerOptions.setAcceptBacklog}): when more clients connect at once than the server has accepted, the
   * kernel drops their handshakes and each client retries only after its SYN timeout (1 s, then 3 s). {@code -1}
   * (the default): the system's maximum, which Linux reads from {@code net.core.somaxconn} (4,096 by default since
   * kernel 5.4) and which also caps any larger value given here; raise that sysctl for larger bursts of connections.
   * 1 to 65,535, or -1.
   */
  public ServerOptions setAcceptBacklog(int acceptBacklog) {
    if (acceptBacklog != -1 && (acceptBacklog < 1 || acceptBacklog > 65_535)) {
      throw new IllegalArgumentException("acceptBacklog must be from 1 to 65535, or -1 for the system's maximum "
          + "(net.core.somaxconn), was " + acceptBacklog);
    }
    this.acceptBacklog = acceptBacklog;
    return this;
  }

  public int getHttpInstances() {
    return httpInstances;
  }

  /**
   * How many HTTP server instances serve the port, each on an event loop of its own (Vert.x spreads the accepted
   * connections over them, as over the instances of a server verticle deployed several times), so that parsing,
   * routing and writing the responses of many connections use every loop instead of one. {@code 0} (the default):
   * one per event loop of the Vert.x instance ({@code VertxOptions.eventLoopPoolSize}, twice the cores by default);
   * {@code 1}: one loop serves every connection. 0 to {@value #MAX_HTTP_INSTANCES}.
   */
  public ServerOptions setHttpInstances(int httpInstances) {
    if (httpInstances < 0 || httpInstances > MAX_HTTP_INSTANCES) {
      throw new IllegalArgumentException("httpInstances must be from 0 (one per event loop) to " + MAX_HTTP_INSTANCES
          + ", was " + httpInstances);
    }
    this.httpInstances = httpInstances;
    return this;
  }

  public long getKeepAliveTimeoutMs() {
    return keepAliveTimeoutMs;
  }

  /**
   * How long a kept-alive connection may stay open with no request in flight before the server closes it
   * ({@link KeepAliveTimeouts}); a request in flight (a long {@code /runs/wait}, an event stream) is never cut. 5 s
   * by default, as uvicorn's {@code timeout_keep_alive} under LangGraph's server (an SDK's pooled client keeps its
   * idle connections about as long: {@code httpx} 5 s, Node's {@code fetch} 4 s); 0: never closed by the server.
   */
  public ServerOptions setKeepAliveTimeoutMs(long keepAliveTimeoutMs) {
    if (keepAliveTimeoutMs < 0) {
      throw new IllegalArgumentException("keepAliveTimeoutMs must be at least 0 (0: never), was "
          + keepAliveTimeoutMs);
    }
    this.keepAliveTimeoutMs = keepAliveTimeoutMs;
    return this;
  }

  public int getHttp2MaxStreams() {
    return http2MaxStreams;
  }

  /**
   * How many streams (requests) one HTTP/2 connection may have open at once, as the server announces it to each
   * client ({@code SETTINGS_MAX_CONCURRENT_STREAMS}; cleartext HTTP/2 with prior knowledge, or over TLS): a client
   * (a browser, a proxy, Vert.x's HTTP client) multiplexing more event streams than this over one connection opens
   * more connections or waits. Every event stream still counts against {@link #setMaxStreams}, whatever its
   * connection. Default {@value #DEFAULT_HTTP2_MAX_STREAMS}; 1 to {@value #MAX_HTTP2_MAX_STREAMS}.
   */
  public ServerOptions setHttp2MaxStreams(int http2MaxStreams) {
    if (http2MaxStreams < 1 || http2MaxStreams > MAX_HTTP2_MAX_STREAMS) {
      throw new IllegalArgumentException("http2MaxStreams must be from 1 to " + MAX_HTTP2_MAX_STREAMS + ", was "
          + http2MaxStreams);
    }
    this.http2MaxStreams = http2MaxStreams;
    return this;
  }

  public boolean isHttp2BatchFlushes() {
    return http2BatchFlushes;
  }

  /**
   * Whether an HTTP/2 connection's socket writes are batched (default {@code true}): the flushes its streams make in
   * one turn of the event loop go out as one write, made once the loop has run the tasks queued before it (10,000
   * event streams over 10 connections: about 0.07 socket writes per stream instead of 2; see {@code FlushBatching}).
   * A write then waits at most for those tasks; {@code false} flushes each write at once, as Vert.x does. HTTP/1.1
   * connections are never batched (one stream each).
   */
  public ServerOptions setHttp2BatchFlushes(boolean http2BatchFlushes) {
    this.http2BatchFlushes = http2BatchFlushes;
    return this;
  }

  public int getMaxRunEventBytes() {
    return maxRunEventBytes;
  }

  /**
   * The bytes of SSE events kept per run for joins and {@code Last-Event-ID} resumption, beside {@link #getMaxRunEvents
   * maxRunEvents}: past either bound the oldest kept events are dropped.
   */
  public ServerOptions setMaxRunEventBytes(int maxRunEventBytes) {
    if (maxRunEventBytes < 1024) {
      throw new IllegalArgumentException("maxRunEventBytes must be at least 1024, was " + maxRunEventBytes);
    }
    this.maxRunEventBytes = maxRunEventBytes;
    return this;
  }

  public List<String> getApiKeys() {
    return apiKeys;
  }

  /** API keys accepted in the {@code x-api-key} header; each key is its own user (owner of what it creates). */
  public ServerOptions setApiKeys(List<String> apiKeys) {
    this.apiKeys = List.copyOf(apiKeys);
    return this;
  }

  public JsonObject getJwt() {
    return jwt;
  }

  /**
   * JWT bearer tokens ({@code Authorization: Bearer ...}), checked by vertx-auth-jwt:
   * {@code {"algorithm": "HS256", "secret": "..."}} or {@code {"algorithm": "RS256", "publicKey": "PEM"}}; optional
   * {@code "issuer"}, {@code "audience"}. The token's {@code sub} is the user. {@code null}: no JWT.
   */
  public ServerOptions setJwt(JsonObject jwt) {
    this.jwt = jwt == null ? null : jwt.copy();
    return this;
  }

  public List<String> getCorsOrigins() {
    return corsOrigins;
  }

  /** Origins allowed to call the server from a browser ({@code "*"}: any); empty: no CORS headers. */
  public ServerOptions setCorsOrigins(List<String> corsOrigins) {
    this.corsOrigins = List.copyOf(corsOrigins);
    return this;
  }

  public List<String> getEntrypointChannels() {
    return entrypointChannels;
  }

  /**
   * Graphs of the functional API (an {@code Entrypoint}'s) whose state the API shows in Graphloop's channel form
   * {@code {"input", "output", "previous"}} (runs take {@code {"input": value}}), as servers before LangGraph's form did;
   * every other entrypoint graph is shown as LangGraph Server shows one: a run's input and output, a thread's
   * {@code values}, the history's and the {@code values} stream's are the bare value. Default: none.
   */
  public ServerOptions setEntrypointChannels(List<String> graphIds) {
    this.entrypointChannels = List.copyOf(graphIds);
    return this;
  }

  public boolean isAllowUnauthenticated() {
    return allowUnauthenticated;
  }

  /** Allows listening on a non-loopback host with no auth configured (anyone who reaches it may call it). */
  public ServerOptions setAllowUnauthenticated(boolean allowUnauthenticated) {
    this.allowUnauthenticated = allowUnauthenticated;
    return this;
  }

  private static int atLeastOne(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
    return value;
  }
}
