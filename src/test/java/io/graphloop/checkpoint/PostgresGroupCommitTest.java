package io.graphloop.checkpoint;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.function.Supplier;

/**
 * Group commit on a real PostgreSQL server ({@link PostgresTestServer}): saves given in one event-loop turn
 * queue behind the transactions the first of them start (their pool runs on that same event loop).
 */
class PostgresGroupCommitTest extends GroupCommitContract {

  @RegisterExtension
  static final ThrowawayPostgresExtension POSTGRES = new ThrowawayPostgresExtension();

  @Override
  Future<? extends CheckpointStore> open(Vertx vertx, int maxBatchSize, int maxQueuedSaves) {
    return PostgresCheckpointStore.open(vertx, POSTGRES.storeOptions().setMaxBatchSize(maxBatchSize)
        .setMaxQueuedSaves(maxQueuedSaves));
  }

  @Override
  GroupCommitStats stats(CheckpointStore store) {
    return ((PostgresCheckpointStore) store).groupCommitStats();
  }

  @Override
  Future<List<Future<Void>>> together(Vertx vertx, CheckpointStore store, Supplier<List<Future<Void>>> issue) {
    Promise<List<Future<Void>>> issued = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> issued.complete(issue.get()));
    return issued.future();
  }

  @Override
  Future<Void> refuseChannelPoison(Vertx vertx, CheckpointStore store) {
    PostgresStoreOptions options = POSTGRES.storeOptions();
    Pool pool = PgBuilder.pool().connectingTo(options.toConnectOptions()).using(vertx).build();
    return pool.withTransaction(connection -> connection.query("SET LOCAL client_min_messages = warning").execute()
        .compose(r -> connection.query("SELECT pg_advisory_xact_lock(4242)").execute())
        .compose(r -> connection.query("CREATE OR REPLACE FUNCTION graphloop_refuse_poison() RETURNS trigger AS $$ "
            + "BEGIN IF NEW.channel = 'poison' THEN RAISE EXCEPTION 'channel poison refused'; END IF; "
            + "RETURN NEW; END $$ LANGUAGE plpgsql").execute())
        .compose(r -> connection.query("DROP TRIGGER IF EXISTS graphloop_refuse_poison ON "
            + CheckpointSql.BLOBS).execute())
        .compose(r -> connection.query("CREATE TRIGGER graphloop_refuse_poison BEFORE INSERT ON "
            + CheckpointSql.BLOBS + " FOR EACH ROW EXECUTE FUNCTION graphloop_refuse_poison()").execute()))
        .<Void>mapEmpty().eventually(pool::close);
  }
}
