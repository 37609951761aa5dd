// Sells orders as fast as it can and prints each order code after its transaction committed.
import { writeSync } from 'node:fs';
import { Engine } from '../../main/engine/engine';
import { sellPaidTickets } from '../support/orders';

const [dbPath, eventId, itemId] = process.argv.slice(2);
const engine = Engine.open(dbPath!);
for (;;) {
  const order = sellPaidTickets(engine, Number(eventId), Number(itemId), 2, 'crash@example.org');
  // Synchronous write: once the line is out, the sale was reported as done.
  writeSync(1, order.code + '\n');
}
