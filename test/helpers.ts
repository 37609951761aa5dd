import { ManualClock } from '../main/engine/clock';
import { Engine } from '../main/engine/engine';
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
