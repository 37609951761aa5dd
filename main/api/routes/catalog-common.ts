import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from '../../engine/engine';
import type { EngineContext } from '../../engine/context';

import { actorOf, requireEvent, type EventRow } from '../context';
import { paginateList } from '../pagination';
import { queryBool } from '../schemas/request';

/** Shared helpers of the catalog routes: the event of the path, commands, answers, list filters. */
export { pathId, queryValue as queryParam } from '../schemas/request';

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

/** pretix's boolean list filters (`?active=true`): the rows whose 0/1 column matches each flag given. */
export function flagFilter<T>(req: FastifyRequest, rows: T[], flags: readonly (keyof T & string)[]): T[] {
  let out = rows;
  for (const flag of flags) {
    const wanted = queryBool(req, flag);
    if (wanted !== undefined) out = out.filter((row) => (Number(row[flag]) === 1) === wanted);
  }
  return out;
}
