package io.graphloop.bridge;

import io.graphloop.run.StreamEvent;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * The event-bus bridge set-up of the README's "Exposing graphs through an event-bus bridge", as a user would write
 * it: the {@link SockJSBridgeOptions} permissions of its table, and the bridge event handler of the paragraph after
 * it. The session's user comes from the bridge's authentication; here, for the test, from the {@code user} query
 * parameter of the socket's URI (a real deployment authenticates it, e.g. with a session or a JWT).
 *
 * <p>Thread rules: the handler runs on the bridge's event loop; it keeps no state.
 */
final class BridgeGuard implements Handler<BridgeEvent> {

  static final String OWNER_HEADER = "graphloop-owner";
  private static final Set<String> CONTROL_FIELDS = Set.of("runId", "credits", "token");
  private static final Pattern USER = Pattern.compile("[a-z0-9]{1,32}");

  private final String graph;

  BridgeGuard(String graph) {
    this.graph = graph;
  }

  /** The README's table: exactly these inbound and outbound permissions, for one exposed graph. */
  static SockJSBridgeOptions options(String graph) {
    String quoted = Pattern.quote("graphloop." + graph + ".");
    return new SockJSBridgeOptions()
        .addInboundPermitted(new PermittedOptions().setAddress("graphloop." + graph + ".run"))
        .addInboundPermitted(new PermittedOptions().setAddress("graphloop." + graph + ".cancel"))
        .addInboundPermitted(new PermittedOptions().setAddressRegex(quoted + "control\\.[0-9a-f-]+"))
        .addInboundPermitted(new PermittedOptions().setAddress("graphloop." + graph + ".threads"))
        .addOutboundPermitted(new PermittedOptions().setAddressRegex("app\\.[a-z0-9]+\\..+"));
  }

  /** The session's own address prefix, {@code app.<user>.}, or null for a socket without a user. */
  static String prefixOf(BridgeEvent event) {
    String user = userOf(event);
    return user == null ? null : "app." + user + ".";
  }

  private static String userOf(BridgeEvent event) {
    String uri = event.socket().uri();
    int at = uri.indexOf("user=");
    if (at < 0) {
      return null;
    }
    String user = uri.substring(at + 5).split("&", 2)[0];
    return USER.matcher(user).matches() ? user : null;
  }

  @Override
  public void handle(BridgeEvent event) {
    BridgeEventType type = event.type();
    if (type == BridgeEventType.RECEIVE) {
      // in a coordinator's JVM a run's events arrive as StreamEvent objects: send the protocol's JSON form
      JsonObject raw = event.getRawMessage();
      if (raw.getValue("body") instanceof StreamEvent) {
        raw.put("body", ((StreamEvent) raw.getValue("body")).toJson());
      }
      event.complete(true);
      return;
    }
    if (type != BridgeEventType.SEND && type != BridgeEventType.PUBLISH && type != BridgeEventType.REGISTER) {
      event.complete(true);
      return;
    }
    String prefix = prefixOf(event);
    JsonObject raw = event.getRawMessage();
    String address = raw.getString("address", "");
    if (prefix == null) {
      event.complete(false);
      return;
    }
    if (type == BridgeEventType.REGISTER) {
      event.complete(address.startsWith(prefix)); // a client listens only under its own prefix
      return;
    }
    // a browser can send any header: the owner is the session's user, whatever the client wrote
    JsonObject headers = raw.getJsonObject("headers");
    if (headers == null) {
      headers = new JsonObject();
      raw.put("headers", headers);
    }
    headers.put(OWNER_HEADER, userOf(event));
    Object body = raw.getValue("body");
    JsonObject json = body instanceof JsonObject ? (JsonObject) body : null;
    event.complete(json != null && allowed(address, json, prefix));
  }

  private boolean allowed(String address, JsonObject body, String prefix) {
    String base = "graphloop." + graph + ".";
    if (address.equals(base + "run")) { // a coordinator sends the run's events and reply only under the prefix
      JsonObject stream = body.getValue("stream") instanceof JsonObject ? body.getJsonObject("stream") : null;
      Object to = stream == null ? null : stream.getValue("to");
      Object replyTo = body.getValue("replyTo");
      return (stream == null || under(to, prefix)) && (replyTo == null || under(replyTo, prefix));
    }
    if (address.equals(base + "cancel")) { // a token is needed anyway; the acknowledgement only to the prefix
      Object replyTo = body.getValue("replyTo");
      return body.getValue("token") instanceof String && (replyTo == null || under(replyTo, prefix));
    }
    if (address.startsWith(base + "control.")) { // credits only: no custom, message or forward events
      return body.fieldNames().equals(CONTROL_FIELDS);
    }
    return true; // the threads address (the owner is set above), and anything else: the permissions decide
  }

  private static boolean under(Object address, String prefix) {
    return address instanceof String && ((String) address).startsWith(prefix);
  }
}
