import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine/engine';
import type { EngineContext } from '../../engine/context';

import { actorOf, requireEvent, type EventRow } from '../context';
import { apiDatetime } from '../resources/order';
import { paginateList } from '../pagination';

/** Shared helpers of the catalog routes: path resolution, JSON columns, pretix's value formats. */
export function i18n(text: string | null | undefined): Record<string, string> | null {
  if (text === null || text === undefined) return null;
  try {
    return JSON.parse(text) as Record<string, string>;
  } catch {
    return { en: text };
  }
}

export function json<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function bool(value: number | null | undefined): boolean {
  return value === 1;
}

export function dt(value: string | null | undefined): string | null {
  return apiDatetime(value);
}

export { pathId, queryBool as boolParam, queryValue as queryParam } from '../schemas/request';

/** The event of the path, checked against the caller (403 as pretix for a foreign or unknown one). */
export function eventOf(engine: Engine, req: FastifyRequest): EventRow {
  return requireEvent(engine, req).event;
}

export function command<T>(engine: Engine, req: FastifyRequest, fn: (ctx: EngineContext) => T): T {
  return engine.command(fn, actorOf(req));
}

export function created(reply: FastifyReply, body: unknown): unknown {
  return reply.status(201).send(body);
}

export function noContent(reply: FastifyReply): unknown {
  return reply.status(204).send();
}

export { paginateList };
