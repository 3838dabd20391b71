package io.graphloop.runtime;

import io.graphloop.state.JsonFields;
import io.vertx.core.json.JsonObject;

import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_BLOCKED_NODE_THRESHOLD_MS;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_MEMBER_QUARANTINE_MS;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_MEMBER_REFRESH_MS;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_NODE_TIMEOUT_MS;
import static io.graphloop.runtime.GraphRuntimeOptions.DEFAULT_REPLY_GRACE_MS;
import static io.graphloop.runtime.GraphRuntimeOptions.MAX_MEMBER_QUARANTINE_MS;
import static io.graphloop.runtime.GraphRuntimeOptions.MAX_MEMBER_REFRESH_MS;
import static io.graphloop.runtime.OptionBounds.atLeast;

/**
 * The option group of {@link GraphRuntimeOptions} for a coordinator's calls to nodes: how long it waits for a reply
 * ({@code nodeTimeoutMs}, {@code replyGraceMs}), which members it asks on a cluster ({@code memberRefreshMs},
 * {@code memberQuarantineMs}) and when a node holding its event loop is reported ({@code blockedNodeThresholdMs}).
 * Same JSON names, ranges and errors as the options' setters, which delegate here.
 *
 * <p>Thread rules: immutable; any thread.
 */
record NodeCallOptions(long nodeTimeoutMs, long replyGraceMs, long memberRefreshMs, long memberQuarantineMs,
                       long blockedNodeThresholdMs) {

  static final NodeCallOptions DEFAULTS = new NodeCallOptions(DEFAULT_NODE_TIMEOUT_MS, DEFAULT_REPLY_GRACE_MS,
      DEFAULT_MEMBER_REFRESH_MS, DEFAULT_MEMBER_QUARANTINE_MS, DEFAULT_BLOCKED_NODE_THRESHOLD_MS);

  NodeCallOptions {
    atLeast("nodeTimeoutMs", nodeTimeoutMs, 1L);
    atLeast("replyGraceMs", replyGraceMs, 0L);
    if (memberRefreshMs < 10 || memberRefreshMs > MAX_MEMBER_REFRESH_MS) {
      throw new IllegalArgumentException("memberRefreshMs must be between 10 and " + MAX_MEMBER_REFRESH_MS
          + ", was " + memberRefreshMs);
    }
    if (memberQuarantineMs < 0 || memberQuarantineMs > MAX_MEMBER_QUARANTINE_MS) {
      throw new IllegalArgumentException("memberQuarantineMs must be between 0 and " + MAX_MEMBER_QUARANTINE_MS
          + ", was " + memberQuarantineMs);
    }
    atLeast("blockedNodeThresholdMs", blockedNodeThresholdMs, 1L);
  }

  /** Reads the group's fields of runtime options' JSON; absent ones keep their defaults. */
  static NodeCallOptions fromJson(JsonObject json) {
    String where = "runtime options";
    return new NodeCallOptions(JsonFields.optionalLong(json, "nodeTimeoutMs", DEFAULT_NODE_TIMEOUT_MS, where),
        JsonFields.optionalLong(json, "replyGraceMs", DEFAULT_REPLY_GRACE_MS, where),
        JsonFields.optionalLong(json, "memberRefreshMs", DEFAULT_MEMBER_REFRESH_MS, where),
        JsonFields.optionalLong(json, "memberQuarantineMs", DEFAULT_MEMBER_QUARANTINE_MS, where),
        JsonFields.optionalLong(json, "blockedNodeThresholdMs", DEFAULT_BLOCKED_NODE_THRESHOLD_MS, where));
  }

  /** Puts the group's fields into {@code json}. */
  void writeTo(JsonObject json) {
    json.put("nodeTimeoutMs", nodeTimeoutMs).put("replyGraceMs", replyGraceMs)
        .put("memberRefreshMs", memberRefreshMs).put("memberQuarantineMs", memberQuarantineMs)
        .put("blockedNodeThresholdMs", blockedNodeThresholdMs);
  }

  NodeCallOptions withNodeTimeoutMs(long value) {
    return new NodeCallOptions(value, replyGraceMs, memberRefreshMs, memberQuarantineMs, blockedNodeThresholdMs);
  }

  NodeCallOptions withReplyGraceMs(long value) {
    return new NodeCallOptions(nodeTimeoutMs, value, memberRefreshMs, memberQuarantineMs, blockedNodeThresholdMs);
  }

  NodeCallOptions withMemberRefreshMs(long value) {
    return new NodeCallOptions(nodeTimeoutMs, replyGraceMs, value, memberQuarantineMs, blockedNodeThresholdMs);
  }

  NodeCallOptions withMemberQuarantineMs(long value) {
    return new NodeCallOptions(nodeTimeoutMs, replyGraceMs, memberRefreshMs, value, blockedNodeThresholdMs);
  }

  NodeCallOptions withBlockedNodeThresholdMs(long value) {
    return new NodeCallOptions(nodeTimeoutMs, replyGraceMs, memberRefreshMs, memberQuarantineMs, value);
  }
}
