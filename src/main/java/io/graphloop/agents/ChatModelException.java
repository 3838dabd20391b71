package io.graphloop.agents;

/**
 * A chat call that failed: the HTTP status (0 when no response came: a timeout, a refused or dropped connection, a
 * malformed body), an excerpt of the response body, and how many attempts were made. The message names the model and
 * the URL, never the API key.
 */
public final class ChatModelException extends RuntimeException {

  private final int status;
  private final String bodyExcerpt;
  private final int attempts;

  public ChatModelException(String message, int status, String bodyExcerpt, int attempts, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.bodyExcerpt = bodyExcerpt;
    this.attempts = attempts;
  }

  /** The HTTP status, or 0 when no response came. */
  public int status() {
    return status;
  }

  /** The start of the response body (at most {@code OpenAiOptions.errorExcerptChars}), or "". */
  public String bodyExcerpt() {
    return bodyExcerpt;
  }

  /** The attempts made, counting the first. */
  public int attempts() {
    return attempts;
  }

  /** Whether another attempt may succeed: 408, 409, 429, 5xx, or no response. */
  public boolean retryable() {
    return status == 0 || status == 408 || status == 409 || status == 429 || status >= 500;
  }
}
