import type { ReadableDB, WritableDB } from '../handles';
import type { JournalRow } from '../rows';

export function lastJournalHash(db: ReadableDB): string | undefined {
  return db.prepare<[], Pick<JournalRow, 'hash'>>('SELECT hash FROM journal ORDER BY id DESC LIMIT 1').get()
    ?.hash;
}

export function insertJournalEntry(db: WritableDB, row: Omit<JournalRow, 'id'>): void {
  db.prepare(
    `INSERT INTO journal (desk, kind, ref_id, created, payload, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(row.desk, row.kind, row.ref_id, row.created, row.payload, row.prev_hash, row.hash);
}

/** Every entry, oldest first, one at a time. */
export function journalEntries(db: ReadableDB): IterableIterator<JournalRow> {
  return db.prepare<[], JournalRow>('SELECT * FROM journal ORDER BY id').iterate();
}

/** Till rows of each journaled kind that have no journal entry, by label. */
export function unjournaledRowIds(db: ReadableDB): { label: string; id: number }[] {
  const missing = (label: string, sql: string) =>
    db
      .prepare<[], { id: number }>(sql)
      .all()
      .map((r) => ({ label, id: r.id }));
  return [
    ...missing(
      'receipt',
      "SELECT id FROM receipts r WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.kind = 'receipt.' || r.kind AND j.ref_id = r.id)",
    ),
    ...missing(
      'cash movement',
      "SELECT id FROM cash_movements m WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.kind = 'cash.' || m.kind AND j.ref_id = m.id)",
    ),
    ...missing(
      'shift',
      "SELECT id FROM shifts s WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.kind = 'shift.opened' AND j.ref_id = s.id)",
    ),
    ...missing(
      'closed shift',
      "SELECT id FROM shifts s WHERE state = 'closed' AND NOT EXISTS (SELECT 1 FROM journal j WHERE j.kind = 'shift.closed' AND j.ref_id = s.id)",
    ),
    ...missing(
      'authorisation',
      "SELECT id FROM authorisations a WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.kind = 'authorisation' AND j.ref_id = a.id)",
    ),
  ];
}

/** A desk whose numbers do not run 1…n: how many there are and the highest one. */
export interface NumberingGap {
  label: string;
  desk: string;
  n: number;
  top: number;
}

export function numberingGaps(db: ReadableDB): NumberingGap[] {
  const gaps = (label: string, sql: string) =>
    db
      .prepare<[], Omit<NumberingGap, 'label'>>(sql)
      .all()
      .map((r) => ({ label, ...r }));
  return [
    ...gaps(
      'receipt numbers',
      'SELECT desk, COUNT(*) AS n, MAX(number) AS top FROM receipts GROUP BY desk HAVING n <> top',
    ),
    ...gaps(
      'Z numbers',
      'SELECT desk, COUNT(*) AS n, MAX(z_number) AS top FROM shifts WHERE z_number IS NOT NULL GROUP BY desk HAVING n <> top',
    ),
  ];
}

/** Whether the database has the till journal's table (a database from before shifts has none). */
export function hasJournalTable(db: ReadableDB): boolean {
  return Boolean(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'journal'").get());
}
