// Sells orders as fast as it can and prints each order code after its transaction committed.
import { writeSync } from 'node:fs';
import { Engine } from '../../main/engine/engine';
import { createOrder } from '../../main/engine/orders/create';

const [dbPath, eventId, itemId] = process.argv.slice(2);
const engine = Engine.open(dbPath!);
for (;;) {
  const { order } = engine.command((ctx) =>
    createOrder(ctx, {
      eventId: Number(eventId),
      body: {
        status: 'p',
        payment_provider: 'boxoffice',
        email: 'crash@example.org',
        positions: [
          { item: Number(itemId), price: '25.00' },
          { item: Number(itemId), price: '25.00' },
        ],
      },
    }),
  );
  // Synchronous write: once the line is out, the sale was reported as done.
  writeSync(1, order.code + '\n');
}
