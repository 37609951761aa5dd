// A server process that creates one order on its writer thread and closes: it must end by itself, exit 0.
import { buildApiServer } from '../../main/api/server';
import { Engine } from '../../main/engine/engine';
import { apiToken } from '../support/api';

const [dbPath, organizerId, eventSlug, itemId] = process.argv.slice(2);
const engine = Engine.open(dbPath!);
const app = await buildApiServer({ engine });
const ready = await app.orderWriter!.whenReady();
const created = await app.inject({
  method: 'POST',
  url: `/api/v1/organizers/box-office/events/${eventSlug}/orders/`,
  headers: { authorization: `Token ${apiToken(engine, Number(organizerId))}` },
  payload: {
    status: 'p',
    payment_provider: 'boxoffice',
    positions: [{ item: Number(itemId), price: '25.00' }],
  },
});
await app.close();
engine.close();
process.stdout.write(
  JSON.stringify({ ready, status: created.statusCode, code: (created.json() as { code: string }).code }),
);
