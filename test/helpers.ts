import { httpStatusOf } from '../main/api/errors';
import { createCashier, signIn } from '../main/engine/cashiers/cashiers';
import { openShift } from '../main/engine/shifts/shifts';
import { ManualClock } from '../main/engine/clock';
import { Engine } from '../main/engine/engine';
import { isEngineError, type EngineError } from '../main/engine/errors';
import { ensureDefaultOrganizer } from '../main/engine/organizers/organizers';

/** An engine on a fresh in-memory database with the default organizer and a manual clock. */
export function testEngine(start = '2026-03-01T10:00:00Z'): {
  engine: Engine;
  clock: ManualClock;
  organizerId: number;
} {
  const clock = new ManualClock(start);
  const engine = Engine.open(':memory:', { clock });
  const organizerId = engine.command((ctx) => ensureDefaultOrganizer(ctx)).id;
  return { engine, clock, organizerId };
}

/**
 * A desk ready to sell, as after the login and the shift's opening: a manager signed in at the default
 * desk ("Box office 1") and a shift open with an empty float.
 */
export function openTill(engine: Engine, currency = 'EUR'): { managerId: number; shiftId: number } {
  return engine.command((ctx) => {
    const manager = createCashier(ctx, { name: 'Test manager', role: 'manager', pin: '0000' });
    signIn(ctx, { desk: 'Box office 1', cashierId: manager.id, pin: '0000' });
    const shift = openShift(ctx, { desk: 'Box office 1', cashier: manager, openingFloat: '0', currency });
    return { managerId: manager.id, shiftId: shift.id };
  });
}

/** The engine error `fn` throws; fails the test when it throws nothing or something else. */
export function engineFailure(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (e) {
    if (isEngineError(e)) return e;
    throw e;
  }
  throw new Error('expected an engine error');
}

/** How the REST door answers the engine error `fn` throws: pretix's status and body. */
export function refusalOf(fn: () => unknown): { status: number; body: unknown } {
  const e = engineFailure(fn);
  return { status: httpStatusOf(e.kind), body: e.body };
}
