import type { z } from 'zod';
import type { Engine } from '../engine/engine';
import type { DeskLink } from '../sync/desk-link';
import { diskFullError, EngineError, isEngineError } from '../engine/errors';
import { httpStatusOf } from '../api/errors';
import { drfErrorMap } from '../api/schemas/drf';
import type { Locale, RpcFailure, RpcInput, RpcMethod, RpcOutput } from '../../shared/contract';
import { readDeskSettings } from '../engine/preferences';
import { DeskRefusal, deskMessage, sentence, type PathLabeler } from './messages';

/** What every desk method runs with: the engine and facts about the process serving the desk. */
export interface RpcEnv {
  engine: Engine;
  mode: 'electron' | 'browser';
  databasePath: string;
  /** Where the REST API answers now, or null when it is off. */
  apiUrl(): string | null;
  /** Called after the settings changed (Electron restarts the local API). */
  onSettingsChanged?(): void | Promise<void>;
  /** Sends a ticket PDF to the printer (Electron); absent in the browser mode, where the page prints. */
  printTickets?(pdf: Buffer, name: string): Promise<void>;
  /** The print queue's worker, told when jobs are queued or the desk decided about one. */
  printQueue?: { kick(): void };
  /** The desk's link to its server, where the process runs one (serve, the desktop app). */
  sync?: DeskLink;
  /** The actor written to the audit log for desk actions. */
  actor: string;
}

export interface MethodDef<M extends RpcMethod> {
  input: z.ZodType<RpcInput<M>>;
  run(env: RpcEnv, input: RpcInput<M>): RpcOutput<M> | Promise<RpcOutput<M>>;
  /** Names what an error path points at in this method's input (a question, a ticket) for the desk. */
  label?(env: RpcEnv, input: unknown, path: readonly (string | number)[]): string | undefined;
}

export type MethodTable = { [M in RpcMethod]?: MethodDef<M> };

export function defineMethods(table: MethodTable): MethodTable {
  return table;
}

export type RpcReply<M extends RpcMethod> = { result: RpcOutput<M> } | RpcFailure;

function failure(error: EngineError, message = error.message): RpcFailure {
  return { error: { code: error.code, message, status: httpStatusOf(error.kind), body: error.body } };
}

function deskLocale(env: RpcEnv): Locale {
  try {
    return readDeskSettings(env.engine.db).locale;
  } catch {
    return 'en';
  }
}

/**
 * One dispatcher for both transports: looks the method up, validates its input with zod and runs it.
 * Every outcome is a value: a result, or a failure with the engine's code, message and pretix body.
 */
export function createDispatcher(env: RpcEnv, table: MethodTable) {
  const methods = Object.keys(table) as RpcMethod[];
  async function call<M extends RpcMethod>(
    method: M | (string & {}),
    rawInput: unknown,
  ): Promise<RpcReply<M>> {
    const def = (table as Record<string, MethodDef<RpcMethod> | undefined>)[method];
    if (!def || !Object.prototype.hasOwnProperty.call(table, method)) {
      return failure(
        new EngineError('unknown_method', `There is no desk method "${method}".`, { kind: 'not_found' }),
      );
    }
    const labeler: PathLabeler = (path) => def.label?.(env, rawInput, path);
    // DRF's words for zod's checks, which the desk's messages translate; never zod's own terms.
    const parsed = def.input.safeParse(rawInput ?? {}, { error: drfErrorMap });
    if (!parsed.success) {
      const fields: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.') || 'non_field_errors';
        (fields[key] ??= []).push(issue.message);
      }
      const first = parsed.error.issues[0];
      const message = first
        ? sentence(
            deskLocale(env),
            first.path.filter((p): p is string | number => typeof p !== 'symbol'),
            first.message,
            labeler,
          )
        : 'Invalid input.';
      return failure(new EngineError('invalid_input', message, { kind: 'invalid', body: fields }));
    }
    try {
      return { result: (await def.run(env, parsed.data)) as RpcOutput<M> };
    } catch (e) {
      if (e instanceof DeskRefusal) return failure(e);
      if (isEngineError(e)) return failure(e, deskMessage(deskLocale(env), e, labeler));
      const full = diskFullError(e);
      if (full) return failure(full);
      const message = (e as Error).message || 'Internal error.';
      return {
        error: { code: 'internal', message, status: 500, body: { detail: 'Internal server error.' } },
      };
    }
  }
  return { call, methods };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
