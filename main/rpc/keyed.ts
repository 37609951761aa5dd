import { z } from 'zod';
import type { EngineContext } from '../engine/context';
import { onceForKey } from '../engine/idempotency';
import type { JsonValue } from '../engine/json';
import type { RpcEnv } from './registry';

/** A key made by the desk for one sale or one money action: 8 to 100 letters, digits and @ . _ -. */
export const deskKey = z
  .string()
  .regex(/^[A-Za-z0-9@._-]{8,100}$/, 'A key is 8 to 100 letters, digits and @ . _ -.');

/** A money action's own key; optional for callers that do not retry (scripts, tests of one call). */
export const actionKey = deskKey.optional();

/** What a keyed action asked for, as compared between retries: without its key and without any PIN. */
function requestOf(input: { actionKey?: string; managerPin?: string | null }): JsonValue {
  const { actionKey: _key, managerPin: _pin, ...request } = input;
  return JSON.parse(JSON.stringify(request)) as JsonValue;
}

/**
 * Runs a desk money action as one engine command, once per key: a retry with the same key answers with the
 * first result and runs nothing (no second row, no second receipt, no second print).
 */
export function keyedCommand<Input extends { actionKey?: string; managerPin?: string | null }, Result>(
  env: RpcEnv,
  action: string,
  input: Input,
  run: (ctx: EngineContext) => Result,
): { result: Result; replayed: boolean } {
  return env.engine.command(
    (ctx) => onceForKey(ctx, { key: input.actionKey, action, request: requestOf(input) }, () => run(ctx)),
    env.actor,
  );
}
