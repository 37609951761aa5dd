import type { Figure } from '../measure';
import { ticketFigures as run } from '../tickets';

/** Ticket rendering: tickets per second and peak memory of a bulk PDF (bench/tickets.ts). */
export async function ticketFigures(quick: boolean): Promise<Figure[]> {
  return run(quick);
}
