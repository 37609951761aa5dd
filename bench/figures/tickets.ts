import type { Figure } from '../measure';

/** Ticket rendering figures come from the tickets room's benchmark once it exists. */
export async function ticketFigures(_quick: boolean): Promise<Figure[]> {
  return [];
}
