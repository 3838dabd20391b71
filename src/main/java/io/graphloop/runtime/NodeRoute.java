package io.graphloop.runtime;

import io.graphloop.errors.FailureCode;
import io.graphloop.errors.GraphloopException;
import io.graphloop.protocol.Addresses;
import io.graphloop.protocol.NodeRequest;
import io.graphloop.protocol.NodeResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A node's one registration on a clustered event bus per deployment, so that the members hosting a node share its
 * requests evenly whatever their instance counts.
 *
 * <p>Why: Vert.x 5.0.10's clustered event bus picks the member of a point-to-point send by weighted round robin
 * over the members' registrations of the address, with weight <em>registrations minus one</em>
 * ({@code DefaultNodeSelector.computeWeights} starts each member at {@code new Weight(0)}). A member with one handler
 * beside a member with four therefore gets none of the requests (weights 0 and 3), one with two beside one with four
 * a quarter; only members with equal counts share evenly. So on a clustered Vert.x each node instance
 * ({@link NodeInstance}) listens only on its event loop's local address ({@code <address>@<loop>}), and this verticle
 * alone registers the public address {@code graphloop.<graph>.node.<name>}: every member hosting the node has one
 * registration, Vert.x spreads the requests over them round robin, and this route hands each request to the
 * member's instances in turn (a local send, the body passed by reference). A request that wants a reply (a raw caller
 * without {@code replyTo}) gets the instance's reply relayed.
 *
 * <p>The route also listens on the node's address on this member ({@link Addresses#onMember}, with this member's
 * cluster node id), where a coordinator sends when it picks the member itself (so that a retry after a transport
 * failure goes to another member: {@link NodeTransport}). A request that finds no instance running here is answered
 * with an {@code UNKNOWN_TARGET} failure at once (to its {@code replyTo}), which the coordinator takes as this
 * member failing the attempt.
 *
 * <p>Thread rules: the handler runs on this verticle's event loop; {@link Targets} is thread-safe (instances add
 * and remove their addresses from their own contexts).
 */
final class NodeRoute extends VerticleBase {

  private final String address;
  private final Targets targets;
  private final long replyTimeoutMs;
  private MessageConsumer<Object> consumer;
  private MessageConsumer<Object> memberConsumer;

  /**
   * @param address        the node's public address
   * @param targets        the local addresses of the deployment's instances of the node
   * @param replyTimeoutMs how long a relayed reply is waited for when the request names no timeout of its own
   */
  NodeRoute(String address, Targets targets, long replyTimeoutMs) {
    this.address = address;
    this.targets = targets;
    this.replyTimeoutMs = replyTimeoutMs;
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(address, this::forward);
    NodeMembers members = NodeMembers.of(vertx);
    if (members == null) {
      return consumer.completion();
    }
    memberConsumer = vertx.eventBus().consumer(Addresses.onMember(address, members.self()), this::forward);
    return Future.all(consumer.completion(), memberConsumer.completion());
  }

  @Override
  public Future<?> stop() {
    return memberConsumer == null ? consumer.unregister()
        : Future.all(consumer.unregister(), memberConsumer.unregister());
  }

  private void forward(Message<Object> message) {
    String target = targets.next();
    if (target == null) {
      String why = "No instance of " + address + " is running on this member.";
      if (message.replyAddress() != null) {
        message.fail(ReplyFailure.NO_HANDLERS.toInt(), why);
      } else if (message.body() instanceof NodeRequest && ((NodeRequest) message.body()).replyTo() != null) {
        NodeRequest request = (NodeRequest) message.body();
        vertx.eventBus().send(request.replyTo(), new NodeResult(request.correlation(), request.correlationTag(), null,
            new GraphloopException(FailureCode.UNKNOWN_TARGET, why, request.graph(), request.runId(), request.step(),
                request.node(), null)));
      }
      return;
    }
    DeliveryOptions delivery = new DeliveryOptions().setLocalOnly(true).setHeaders(message.headers());
    if (message.replyAddress() == null) {
      vertx.eventBus().send(target, message.body(), delivery);
      return;
    }
    Object body = message.body();
    long timeout = body instanceof NodeRequest && ((NodeRequest) body).timeoutMs() > 0
        ? ((NodeRequest) body).timeoutMs() + GraphRuntimeOptions.DEFAULT_REPLY_GRACE_MS : replyTimeoutMs;
    vertx.eventBus().request(target, body, delivery.setSendTimeout(timeout)).onComplete(reply -> {
      if (reply.succeeded()) {
        message.reply(reply.result().body(), new DeliveryOptions().setHeaders(reply.result().headers()));
      } else if (reply.cause() instanceof ReplyException) {
        ReplyException failure = (ReplyException) reply.cause();
        if (failure.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
          message.reply(failure); // the instance's failure, as it replied it (a FailureReply keeps its structure)
        } else {
          message.fail(failure.failureCode(), failure.getMessage());
        }
      } else {
        message.fail(ReplyFailure.RECIPIENT_FAILURE.toInt(), String.valueOf(reply.cause()));
      }
    });
  }

  /** The local addresses of a node's instances in one deployment, handed out in turn. Thread-safe. */
  static final class Targets {
    private final List<String> addresses = new CopyOnWriteArrayList<>();
    private final AtomicInteger turn = new AtomicInteger();

    void add(String loopAddress) {
      addresses.add(loopAddress);
    }

    void remove(String loopAddress) {
      addresses.remove(loopAddress);
    }

    /** The next address in turn, or {@code null} when no instance is running. */
    String next() {
      Object[] now = addresses.toArray(); // a snapshot: instances may stop meanwhile
      return now.length == 0 ? null : (String) now[Math.floorMod(turn.getAndIncrement(), now.length)];
    }
  }
}
