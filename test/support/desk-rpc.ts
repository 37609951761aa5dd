import type { Engine } from '../../main/engine/engine';
import { createDeskRpc, type RpcEnv } from '../../main/rpc/index';
import type { PositionInput, RpcInput, RpcMethod, RpcOutput } from '../../shared/contract';
import { fixtureEvent, fixtureItem, fixtureOnSale } from '../fixtures/catalog';
import { openTill, testEngine } from '../helpers';

/** The desk's method dispatcher in the browser mode, as `guichet serve` builds it, over `engine`. */
export function browserDeskRpc(engine: Engine, env: Partial<Omit<RpcEnv, 'engine'>> = {}) {
  return createDeskRpc({
    engine,
    mode: 'browser',
    databasePath: ':memory:',
    apiUrl: () => null,
    actor: 'desk',
    ...env,
  });
}

export type DeskRpc = ReturnType<typeof browserDeskRpc>;

/** Calls a desk method and returns its result; a refusal throws, naming the method, code and message. */
export async function deskResult<M extends RpcMethod>(
  rpc: DeskRpc,
  method: M,
  input: RpcInput<M>,
): Promise<RpcOutput<M>> {
  const reply = await rpc.call(method, input);
  if ('error' in reply) throw new Error(`${method}: ${reply.error.code} ${reply.error.message}`);
  return reply.result as RpcOutput<M>;
}

/**
 * A desk on a fresh engine with an event selling one product from a quota; with `till` (the default) a
 * manager is signed in and a shift open, as after the morning's login.
 */
export function sellingDesk(
  options: {
    till?: boolean;
    event?: Parameters<typeof fixtureEvent>[2];
    item?: Parameters<typeof fixtureItem>[2];
    quota?: number;
    /** More of the desk's environment (a print queue), made for the engine. */
    env?: (engine: Engine) => Partial<Omit<RpcEnv, 'engine'>>;
  } = {},
) {
  const { engine, clock, organizerId } = testEngine();
  const rpc = browserDeskRpc(engine, options.env?.(engine));
  if (options.till !== false) openTill(engine);
  const onSale = fixtureOnSale(engine, organizerId, options);
  return { engine, clock, organizerId, rpc, ...onSale };
}

/**
 * The Setup screen's desk: an event (`jazz`) selling one product (Adult, 35.00) and a second event whose
 * objects are foreign to the first; `rows` and `count` read the database afterwards.
 */
export function setupDesk() {
  const desk = sellingDesk({ event: { slug: 'jazz' }, item: { name: 'Adult', price: '35.00' }, quota: 10 });
  const otherEventId = fixtureEvent(desk.engine, desk.organizerId, { slug: 'other' });
  const rows = <T>(sql: string, ...params: unknown[]) => desk.engine.db.prepare(sql).all(...params) as T[];
  const count = (table: string) => rows<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`)[0]!.n;
  return { ...desk, otherEventId, rows, count };
}

/** Sends `input` again with some of its fields replaced (nonsense, mostly); returns the desk's reply. */
export function setupAttempt(rpc: DeskRpc, input: RpcInput<'setup.create'>) {
  return (fields: Record<string, unknown>) =>
    rpc.call('setup.create', { ...input, fields: { ...input.fields, ...fields } });
}

/** A ticket of `itemId` as the desk sends it: no variation, no answers, the attendee's name if given. */
export function deskTicket(itemId: number, attendeeName: string | null = null): PositionInput {
  return { itemId, variationId: null, attendeeName, answers: [] };
}

export type DeskSale = Omit<RpcInput<'sale.complete'>, 'subeventId' | 'email'> &
  Partial<Pick<RpcInput<'sale.complete'>, 'subeventId' | 'email'>>;

/** The input of `sale.complete`: for the event itself (no series date) and without an e-mail unless given. */
export function deskSale(sale: DeskSale): RpcInput<'sale.complete'> {
  return { subeventId: null, email: null, ...sale };
}

/** Completes a desk sale (see `deskSale`) and returns the desk's reply, result or refusal. */
export function completeDeskSale(rpc: DeskRpc, sale: DeskSale) {
  return rpc.call('sale.complete', deskSale(sale));
}
