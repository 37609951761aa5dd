import type { RpcInput, RpcMethod, RpcOutput } from '../../shared/contract';
import { RpcError, type Transport } from './transport';

/** Money actions a retry must not record twice (the sale carries its own id, the cart's). */
const KEYED: ReadonlySet<RpcMethod> = new Set<RpcMethod>([
  'shift.open',
  'shift.cash',
  'shift.openDrawer',
  'shift.close',
  'orders.markPaid',
  'orders.cancel',
  'refunds.create',
]);

/** `bytes` random bytes as hex: the random part of the desk's keys (a sale's cart id, an action's key). */
export function randomHex(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return Array.from(buffer, (b) => b.toString(16).padStart(2, '0')).join('');
}

function newActionKey(): string {
  return `act-${randomHex(12)}`;
}

/**
 * The desk's calls, a money action carrying a key made when the cashier first asks for it (the form sent,
 * the dialog confirmed). Unanswered (the network dropped, the server restarted), the key is kept and the
 * next try of the same action on the same order sends it again, so the server answers with what it already
 * recorded. Any answer, done or refused, ends the action: the next try is a new one.
 */
export function withActionKeys(call: Transport['call']): Transport['call'] {
  const pending = new Map<string, string>();
  return async function keyedCall<M extends RpcMethod>(method: M, input: RpcInput<M>): Promise<RpcOutput<M>> {
    if (!KEYED.has(method)) return call(method, input);
    const scope = `${method}:${(input as { code?: string }).code ?? ''}`;
    const actionKey = pending.get(scope) ?? newActionKey();
    pending.set(scope, actionKey);
    try {
      const result = await call(method, { ...input, actionKey });
      pending.delete(scope);
      return result;
    } catch (e) {
      if (!(e instanceof RpcError && e.status === 0)) pending.delete(scope);
      throw e;
    }
  };
}
