// A second process at the same desks: opens and closes shifts on one database file as fast as it can.
import { cashierById } from '../../../main/engine/cashiers/cashiers';
import { Engine } from '../../../main/engine/engine';
import { isEngineError } from '../../../main/engine/errors';
import { closeShift, moveCash, openShift } from '../../../main/engine/shifts/shifts';

const [dbPath, cashierId, rounds, startAt, ...desks] = process.argv.slice(2);
const engine = Engine.open(dbPath!);
const cashier = cashierById(engine.db, Number(cashierId))!;
const wait = Number(startAt ?? 0) - Date.now();
if (wait > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
const closed: { desk: string; z: number }[] = [];
const refusals: string[] = [];
const crashes: string[] = [];
for (let i = 0; i < Number(rounds); i++) {
  const desk = desks[i % desks.length]!;
  try {
    engine.command((ctx) => openShift(ctx, { desk, cashier, openingFloat: '10.00', currency: 'EUR' }));
  } catch (e) {
    if (isEngineError(e)) refusals.push(e.code);
    else crashes.push(String(e));
  }
  try {
    engine.command((ctx) =>
      moveCash(ctx, { desk, cashier, kind: 'in', amount: '1.00', reason: `round ${i}` }),
    );
    const z = engine.command((ctx) =>
      closeShift(ctx, { desk, cashier, count: { '10': 1, '1': 1 }, comment: 'drawer count' }),
    );
    closed.push({ desk, z: z.shift.z_number! });
  } catch (e) {
    if (isEngineError(e)) refusals.push(e.code);
    else crashes.push(String(e));
  }
}
engine.close();
process.stdout.write(JSON.stringify({ closed, refusals, crashes }));
