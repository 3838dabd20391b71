package io.graphloop.server;

import io.graphloop.client.GraphClient;

/**
 * A graph client acting for the server's authenticated user ({@link GraphClient#asOwner}): a thread first used by a
 * user records that user as its owner in its checkpoints, so the coordinators, and every member's server reading
 * the same store, answer another user's request for it as "not found". Without auth (no user) the client is used
 * as is, and threads have no owner.
 *
 * <p>Stateless.
 */
final class Owned {

  private Owned() {
  }

  static GraphClient client(GraphClient client, String user) {
    return user == null ? client : client.asOwner(user);
  }
}
