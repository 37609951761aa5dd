// One scanner in its own process: opens the database file, waits for the shared start time, redeems once and
// prints the result. Used by the concurrency test to race two engine connections on one file.
import { Engine } from '../../../main/engine/engine';
import { redeem } from '../../../main/engine/checkin/redeem';

const [path, organizerId, secret, listId, startAt, nonce] = process.argv.slice(2);
const engine = Engine.open(path!);
while (Date.now() < Number(startAt)) {
  // spin until both processes are ready to scan at the same moment
}
const result = engine.command((ctx) =>
  redeem(ctx, { organizerId: Number(organizerId), secret: secret!, lists: [Number(listId)], nonce }),
);
engine.close();
process.stdout.write(JSON.stringify({ status: result.status, reason: result.reason ?? null }));
