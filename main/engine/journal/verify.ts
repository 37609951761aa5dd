import type { Database } from 'better-sqlite3';
import { authorisationPayload, type AuthorisationRow } from '../cashiers/cashiers';
import { receiptPayload, type ReceiptRow } from '../receipts/receipts';
import {
  movementPayload,
  shiftById,
  shiftClosedPayload,
  shiftOpenedPayload,
  type CashMovementRow,
} from '../shifts/shifts';
import { verifyJournal, type JournalKind, type JournalVerification } from './journal';

/** The current content of the row a journal entry describes, in the shape it was journaled. */
function readPayload(db: Database, kind: JournalKind, refId: number): unknown {
  switch (kind) {
    case 'shift.opened': {
      const row = shiftById(db, refId);
      return row && shiftOpenedPayload(row);
    }
    case 'shift.closed': {
      const row = shiftById(db, refId);
      return row && shiftClosedPayload(row);
    }
    case 'cash.in':
    case 'cash.out': {
      const row = db.prepare('SELECT * FROM cash_movements WHERE id = ?').get(refId) as
        CashMovementRow | undefined;
      return row && `cash.${row.kind}` === kind ? movementPayload(row) : undefined;
    }
    case 'receipt.sale':
    case 'receipt.refund': {
      const row = db.prepare('SELECT * FROM receipts WHERE id = ?').get(refId) as ReceiptRow | undefined;
      return row && `receipt.${row.kind}` === kind ? receiptPayload(row) : undefined;
    }
    case 'authorisation': {
      const row = db.prepare('SELECT * FROM authorisations WHERE id = ?').get(refId) as
        AuthorisationRow | undefined;
      return row && authorisationPayload(row);
    }
    default:
      return undefined;
  }
}

export interface TillVerification extends JournalVerification {
  /** Rows that have no journal entry (added behind the engine's back), and gaps in numbering. */
  unjournaled: string[];
}

/**
 * `guichet journal verify`: the chain holds, every entry matches its row, every receipt, cash movement,
 * opening, closing and authorisation has its entry, and receipt and Z numbers run without gaps per desk.
 */
export function verifyTillJournal(db: Database): TillVerification {
  const chain = verifyJournal(db, readPayload);
  const unjournaled: string[] = [];
  const missing = (label: string, sql: string) => {
    for (const r of db.prepare(sql).all() as { id: number }[]) unjournaled.push(`${label} ${r.id}`);
  };
  missing(
    'receipt',
    "SELECT id FROM receipts r WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.kind = 'receipt.' || r.kind AND j.ref_id = r.id)",
  );
  missing(
    'cash movement',
    "SELECT id FROM cash_movements m WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.kind = 'cash.' || m.kind AND j.ref_id = m.id)",
  );
  missing(
    'shift',
    "SELECT id FROM shifts s WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.kind = 'shift.opened' AND j.ref_id = s.id)",
  );
  missing(
    'closed shift',
    "SELECT id FROM shifts s WHERE state = 'closed' AND NOT EXISTS (SELECT 1 FROM journal j WHERE j.kind = 'shift.closed' AND j.ref_id = s.id)",
  );
  missing(
    'authorisation',
    "SELECT id FROM authorisations a WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.kind = 'authorisation' AND j.ref_id = a.id)",
  );
  const gaps = (label: string, sql: string) => {
    for (const r of db.prepare(sql).all() as { desk: string; n: number; top: number }[])
      unjournaled.push(`${label} of ${r.desk}: ${r.n} numbers up to ${r.top}`);
  };
  gaps(
    'receipt numbers',
    'SELECT desk, COUNT(*) AS n, MAX(number) AS top FROM receipts GROUP BY desk HAVING n <> top',
  );
  gaps(
    'Z numbers',
    'SELECT desk, COUNT(*) AS n, MAX(z_number) AS top FROM shifts WHERE z_number IS NOT NULL GROUP BY desk HAVING n <> top',
  );
  return { ...chain, ok: chain.ok && unjournaled.length === 0, unjournaled };
}
