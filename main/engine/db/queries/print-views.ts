import type { ReadableDB } from '../handles';

/** The printer's name and the order's code a print job is shown with. */
export function printerAndOrderNames(
  db: ReadableDB,
  printerId: number,
  orderId: number | null,
): { name: string; code: string | null } | undefined {
  return db
    .prepare('SELECT p.name, o.code FROM printers p LEFT JOIN orders o ON o.id = ? WHERE p.id = ?')
    .get(orderId, printerId) as { name: string; code: string | null } | undefined;
}
