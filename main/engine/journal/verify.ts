import { authorisationPayload } from '../cashiers/cashiers';
import type { ReadableDB } from '../db/handles';
import { hasJournalTable, numberingGaps, unjournaledRowIds } from '../db/queries/journal';
import { findAuthorisation } from '../db/queries/cashiers';
import { findCashMovement } from '../db/queries/shifts';
import { findReceipt } from '../db/queries/receipts';
import { receiptPayload } from '../receipts/receipts';
import { movementPayload, shiftById, shiftClosedPayload, shiftOpenedPayload } from '../shifts/shifts';
import { verifyJournal, type JournalPayload, type JournalVerification } from './journal';

/** The current content of the row a journal entry describes, in the shape it was journaled. */
function readPayload(db: ReadableDB, kind: string, refId: number): JournalPayload | undefined {
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
      const row = findCashMovement(db, refId);
      return row && `cash.${row.kind}` === kind ? movementPayload(row) : undefined;
    }
    case 'receipt.sale':
    case 'receipt.refund': {
      const row = findReceipt(db, refId);
      return row && `receipt.${row.kind}` === kind ? receiptPayload(row) : undefined;
    }
    case 'authorisation': {
      const row = findAuthorisation(db, refId);
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
export function verifyTillJournal(db: ReadableDB): TillVerification {
  const chain = verifyJournal(db, readPayload);
  const unjournaled = [
    ...unjournaledRowIds(db).map((r) => `${r.label} ${r.id}`),
    ...numberingGaps(db).map((r) => `${r.label} of ${r.desk}: ${r.n} numbers up to ${r.top}`),
  ];
  return { ...chain, ok: chain.ok && unjournaled.length === 0, unjournaled };
}

/** Whether this database keeps a till journal yet (one from before shifts existed does not). */
export function hasTillJournal(db: ReadableDB): boolean {
  return hasJournalTable(db);
}
