package io.graphloop.agents;

import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Options of {@link OpenAiChatModel}, a data object: from code, from a {@code JsonObject} (configuration) and back.
 * {@link #fromConfig(JsonObject, Map)} fills what the configuration leaves out from the environment:
 * {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}, {@code GRAPHLOOP_MODEL}. {@link #toJson()} and
 * {@link #toString()} never show the API key.
 *
 * <p>Not thread-safe while being set; hand a finished copy to the model (it copies it).
 */
public final class OpenAiOptions {

  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";
  public static final String DEFAULT_MODEL = "gpt-4o-mini";
  public static final long DEFAULT_TIMEOUT_MS = 120_000;
  public static final long DEFAULT_IDLE_TIMEOUT_MS = 60_000;
  public static final int DEFAULT_MAX_RETRIES = 2;
  public static final long DEFAULT_INITIAL_BACKOFF_MS = 500;
  public static final long DEFAULT_MAX_BACKOFF_MS = 20_000;
  public static final int DEFAULT_MAX_RESPONSE_CHARS = 4 * 1024 * 1024;
  public static final int DEFAULT_MAX_EVENT_CHARS = 1024 * 1024;
  public static final int DEFAULT_MAX_TOOL_CALLS = 128;
  public static final int DEFAULT_ERROR_EXCERPT_CHARS = 500;

  private String baseUrl = DEFAULT_BASE_URL;
  private String apiKey;
  private String model = DEFAULT_MODEL;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private long idleTimeoutMs = DEFAULT_IDLE_TIMEOUT_MS;
  private int maxRetries = DEFAULT_MAX_RETRIES;
  private long initialBackoffMs = DEFAULT_INITIAL_BACKOFF_MS;
  private long maxBackoffMs = DEFAULT_MAX_BACKOFF_MS;
  private int maxResponseChars = DEFAULT_MAX_RESPONSE_CHARS;
  private int maxEventChars = DEFAULT_MAX_EVENT_CHARS;
  private int maxToolCalls = DEFAULT_MAX_TOOL_CALLS;
  private int errorExcerptChars = DEFAULT_ERROR_EXCERPT_CHARS;

  public OpenAiOptions() {
  }

  public OpenAiOptions(OpenAiOptions other) {
    this(other.toJson().put("apiKey", other.apiKey));
  }

  /** Reads the fields {@link #toJson()} writes, plus {@code apiKey}; unknown fields are refused. */
  public OpenAiOptions(JsonObject json) {
    for (String field : json.fieldNames()) {
      switch (field) {
        case "baseUrl" -> setBaseUrl(json.getString(field));
        case "apiKey" -> setApiKey(json.getString(field));
        case "model" -> setModel(json.getString(field));
        case "timeoutMs" -> setTimeoutMs(json.getLong(field));
        case "idleTimeoutMs" -> setIdleTimeoutMs(json.getLong(field));
        case "maxRetries" -> setMaxRetries(json.getInteger(field));
        case "initialBackoffMs" -> setInitialBackoffMs(json.getLong(field));
        case "maxBackoffMs" -> setMaxBackoffMs(json.getLong(field));
        case "maxResponseChars" -> setMaxResponseChars(json.getInteger(field));
        case "maxEventChars" -> setMaxEventChars(json.getInteger(field));
        case "maxToolCalls" -> setMaxToolCalls(json.getInteger(field));
        case "errorExcerptChars" -> setErrorExcerptChars(json.getInteger(field));
        default -> throw new IllegalArgumentException("Unknown chat model option '" + field + "'; options are baseUrl, "
            + "apiKey, model, timeoutMs, idleTimeoutMs, maxRetries, initialBackoffMs, maxBackoffMs, maxResponseChars, "
            + "maxEventChars, maxToolCalls, errorExcerptChars.");
      }
    }
  }

  /**
   * Options from {@code config} (may be null), with {@code baseUrl}, {@code apiKey} and {@code model} taken from
   * {@code env}'s {@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY} and {@code GRAPHLOOP_MODEL} when the configuration
   * does not set them.
   */
  public static OpenAiOptions fromConfig(JsonObject config, Map<String, String> env) {
    OpenAiOptions options = new OpenAiOptions(config == null ? new JsonObject() : config);
    if (config == null || !config.containsKey("baseUrl")) {
      String url = env.get("OPENAI_BASE_URL");
      if (url != null && !url.isBlank()) {
        options.setBaseUrl(url);
      }
    }
    if (config == null || !config.containsKey("apiKey")) {
      options.setApiKey(env.get("OPENAI_API_KEY"));
    }
    if (config == null || !config.containsKey("model")) {
      String model = env.get("GRAPHLOOP_MODEL");
      if (model != null && !model.isBlank()) {
        options.setModel(model);
      }
    }
    return options;
  }

  /** The options without the API key (whether one is set is shown as {@code apiKeySet}). */
  public JsonObject toJson() {
    return new JsonObject().put("baseUrl", baseUrl).put("model", model).put("timeoutMs", timeoutMs)
        .put("idleTimeoutMs", idleTimeoutMs).put("maxRetries", maxRetries).put("initialBackoffMs", initialBackoffMs)
        .put("maxBackoffMs", maxBackoffMs).put("maxResponseChars", maxResponseChars)
        .put("maxEventChars", maxEventChars).put("maxToolCalls", maxToolCalls)
        .put("errorExcerptChars", errorExcerptChars);
  }

  @Override
  public String toString() {
    return toJson().put("apiKeySet", apiKey != null).encode();
  }

  private static long positive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be greater than 0, got " + value);
    }
    return value;
  }

  public String getBaseUrl() {
    return baseUrl;
  }

  /** The API's base URL, e.g. {@code https://api.openai.com/v1}; {@code /chat/completions} is appended. */
  public OpenAiOptions setBaseUrl(String baseUrl) {
    if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
      throw new IllegalArgumentException("baseUrl must be an http:// or https:// URL, got " + baseUrl);
    }
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    return this;
  }

  public String getApiKey() {
    return apiKey;
  }

  /** The bearer token sent as {@code Authorization}; null sends none (local servers). */
  public OpenAiOptions setApiKey(String apiKey) {
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
    return this;
  }

  public String getModel() {
    return model;
  }

  public OpenAiOptions setModel(String model) {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must be a model's name, got '" + model + "'");
    }
    this.model = model;
    return this;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  /** The most one attempt may take, first byte to last (a streamed answer included). */
  public OpenAiOptions setTimeoutMs(long timeoutMs) {
    this.timeoutMs = positive(timeoutMs, "timeoutMs");
    return this;
  }

  public long getIdleTimeoutMs() {
    return idleTimeoutMs;
  }

  /** The most an attempt may wait for the next bytes (a slow first token, a stalled stream). */
  public OpenAiOptions setIdleTimeoutMs(long idleTimeoutMs) {
    this.idleTimeoutMs = positive(idleTimeoutMs, "idleTimeoutMs");
    return this;
  }

  public int getMaxRetries() {
    return maxRetries;
  }

  /** Retries after a retryable failure (429, 5xx, no response); a stream that already sent chunks is not retried. */
  public OpenAiOptions setMaxRetries(int maxRetries) {
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must be greater than or equal to 0, got " + maxRetries);
    }
    this.maxRetries = maxRetries;
    return this;
  }

  public long getInitialBackoffMs() {
    return initialBackoffMs;
  }

  /** The wait before the first retry; doubled for each next one (with jitter), unless Retry-After says otherwise. */
  public OpenAiOptions setInitialBackoffMs(long initialBackoffMs) {
    this.initialBackoffMs = positive(initialBackoffMs, "initialBackoffMs");
    return this;
  }

  public long getMaxBackoffMs() {
    return maxBackoffMs;
  }

  /** The longest wait before a retry; a Retry-After asking for longer fails the call instead. */
  public OpenAiOptions setMaxBackoffMs(long maxBackoffMs) {
    this.maxBackoffMs = positive(maxBackoffMs, "maxBackoffMs");
    return this;
  }

  public int getMaxResponseChars() {
    return maxResponseChars;
  }

  /** The longest answer (content plus tool-call arguments, or a whole non-streamed body) accepted. */
  public OpenAiOptions setMaxResponseChars(int maxResponseChars) {
    this.maxResponseChars = (int) positive(maxResponseChars, "maxResponseChars");
    return this;
  }

  public int getMaxEventChars() {
    return maxEventChars;
  }

  /** The longest single SSE line or event accepted in a stream. */
  public OpenAiOptions setMaxEventChars(int maxEventChars) {
    this.maxEventChars = (int) positive(maxEventChars, "maxEventChars");
    return this;
  }

  public int getMaxToolCalls() {
    return maxToolCalls;
  }

  public OpenAiOptions setMaxToolCalls(int maxToolCalls) {
    this.maxToolCalls = (int) positive(maxToolCalls, "maxToolCalls");
    return this;
  }

  public int getErrorExcerptChars() {
    return errorExcerptChars;
  }

  /** How much of an error response's body the exception quotes. */
  public OpenAiOptions setErrorExcerptChars(int errorExcerptChars) {
    this.errorExcerptChars = (int) positive(errorExcerptChars, "errorExcerptChars");
    return this;
  }
}
