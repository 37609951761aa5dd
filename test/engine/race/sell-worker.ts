// A second box office: opens its own connection to the database file and tries to sell `count` tickets.
import { Engine } from '../../../main/engine/engine';
import { isEngineError } from '../../../main/engine/errors';
import { sellPaidTickets } from '../../support/orders';

const [dbPath, eventId, itemId, count, startAt] = process.argv.slice(2);
const engine = Engine.open(dbPath!);
// Start together with the other sellers: wait for the agreed moment.
const wait = Number(startAt ?? 0) - Date.now();
if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
const sold: string[] = [];
const refusals: string[] = [];
const crashes: string[] = [];
for (let i = 0; i < Number(count); i++) {
  try {
    const order = sellPaidTickets(engine, Number(eventId), Number(itemId));
    sold.push(order.code);
  } catch (e) {
    if (isEngineError(e)) refusals.push(JSON.stringify(e.body));
    else crashes.push(String(e));
  }
}
engine.close();
process.stdout.write(JSON.stringify({ sold, refusals, crashes }));
