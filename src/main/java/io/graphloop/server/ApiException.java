package io.graphloop.server;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;

/**
 * A request the server answers with an HTTP error: the status and the text of LangGraph Server's error body
 * {@code {"detail": "..."}}. Thrown by route code and by {@link Bodies}; the router's failure handler writes it.
 *
 * <p>Immutable.
 */
public final class ApiException extends RuntimeException {

  private final int status;

  public ApiException(int status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** 404 {@code what} not found. */
  public static ApiException notFound(String what) {
    return new ApiException(404, what + " not found.");
  }

  /** 422: a field of the request body is missing or wrong. */
  public static ApiException invalid(String detail) {
    return new ApiException(422, detail);
  }

  /**
   * The HTTP form of a failure reported by the runtime: its status (LangGraph's, where the two differ: a busy thread
   * is 409 Conflict) and its message.
   */
  public static ApiException of(Throwable failure) {
    if (failure instanceof ApiException) {
      return (ApiException) failure;
    }
    if (failure instanceof GraphloopException) {
      GraphloopException g = (GraphloopException) failure;
      return new ApiException(httpStatus(g.code()), g.getMessage());
    }
    return new ApiException(500, "Internal error: " + failure);
  }

  /** The HTTP status of a runtime failure code. */
  static int httpStatus(FailureCode code) {
    switch (code) {
      case BAD_REQUEST:
        return 400;
      case UNKNOWN_TARGET:
        return 404;
      case CANCELLED:
      case THREAD_BUSY:
        return 409;
      case INVALID_UPDATE:
        return 422;
      case RECURSION_LIMIT:
      case NODE_FAILED:
      case INTERNAL:
        return 500;
      case OVERLOADED:
      case DRAINING:
        return 503;
      case TIMEOUT:
        return 504;
      default:
        return code.code() >= 400 && code.code() < 600 ? code.code() : 500;
    }
  }
}
