import { existsSync } from 'node:fs';
import { Engine } from './engine/engine';
import { hasTillJournal, verifyTillJournal } from './engine/journal';
import type { Out } from './cli';

/**
 * `guichet journal verify --db <file>`: recomputes the till journal's hash chain, read-only, and names the
 * first entry that does not match. Exit code 0 when it holds, 1 when it does not.
 */
export function runJournalCommand(sub: string | undefined, dbPath: string, io: Out): number {
  if (sub !== 'verify') {
    io.err('Usage: guichet journal verify --db <file>');
    return 2;
  }
  if (!existsSync(dbPath)) {
    io.err(`There is no database at ${dbPath}.`);
    return 2;
  }
  const { db } = Engine.open(dbPath, { readonly: true });
  try {
    if (!hasTillJournal(db)) {
      io.out('This database has no till journal yet (no shift was ever opened with this version).');
      return 0;
    }
    const result = verifyTillJournal(db);
    if (result.firstBad) {
      const bad = result.firstBad;
      io.err(
        `Journal broken at entry ${bad.entryId} (${bad.kind}, ${bad.desk}, row ${bad.refId}): ${bad.reason}.`,
      );
    }
    for (const line of result.unjournaled) io.err(`Not in the journal: ${line}.`);
    if (!result.ok) return 1;
    io.out(`Journal intact: ${result.entries} entries, head ${result.head}.`);
    return 0;
  } finally {
    db.close();
  }
}
