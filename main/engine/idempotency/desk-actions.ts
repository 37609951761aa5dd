import { createHash } from 'node:crypto';
import type { EngineContext } from '../context';
import { findDeskAction, insertDeskAction } from '../db/queries/idempotency';
import { EngineError } from '../errors';
import type { JsonValue } from '../json';

/** A money action the desk asked for once, under a key it chose for that one action. */
export interface KeyedDeskAction {
  /** The desk's key for this action, kept for every retry of it; `undefined` runs the action unkeyed. */
  key: string | undefined;
  /** What kind of action it is (`shift.cash`, `refunds.create`, ...): a key names one action of one kind. */
  action: string;
  /** What was asked, without secrets (a PIN is not stored): a retry must ask the same. */
  request: JsonValue;
}

function digest(request: JsonValue): string {
  return createHash('sha256').update(JSON.stringify(request), 'utf8').digest('hex');
}

/**
 * Runs a money action once per key, inside the caller's transaction: the key, a digest of the request and
 * the answer are stored with the rows the action wrote, so a retry after a lost answer (a dropped network,
 * a restart, a timeout) gets the first answer and writes nothing. The same key with another request is
 * refused: it is a different action wearing a used key.
 */
export function onceForKey<Result>(
  ctx: EngineContext,
  action: KeyedDeskAction,
  run: () => Result,
): { result: Result; replayed: boolean } {
  if (action.key === undefined) return { result: run(), replayed: false };
  const requestDigest = digest(action.request);
  const done = findDeskAction(ctx.db, action.key);
  if (done) {
    if (done.action !== action.action || done.request_digest !== requestDigest) {
      throw new EngineError(
        'key_reused',
        'This action was already done with other details. Start it again to do another one.',
        { kind: 'conflict' },
      );
    }
    return { result: JSON.parse(done.result) as Result, replayed: true };
  }
  const result = run();
  insertDeskAction(ctx.db, {
    action_key: action.key,
    action: action.action,
    request_digest: requestDigest,
    result: JSON.stringify(result),
    created: ctx.now.toISOString(),
  });
  return { result, replayed: false };
}
