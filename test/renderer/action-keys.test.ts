import { describe, expect, it } from 'vitest';
import type { RpcMethod } from '../../shared/contract';
import { withActionKeys } from '../../renderer/src/action-keys';
import { RpcError, type Transport } from '../../renderer/src/transport';

/** The desk's calls against a server whose next answers are scripted: a value, a refusal or no answer. */
function scripted(answers: ('ok' | 'lost' | 'refused')[]) {
  const sent: { method: RpcMethod; input: Record<string, unknown> }[] = [];
  const call = (async (method: RpcMethod, input: Record<string, unknown>) => {
    sent.push({ method, input });
    const answer = answers.shift() ?? 'ok';
    if (answer === 'lost')
      throw new RpcError({ code: 'offline', message: 'no answer', status: 0, body: null });
    if (answer === 'refused') throw new RpcError({ code: 'refused', message: 'no', status: 400, body: null });
    return {};
  }) as Transport['call'];
  return { sent, call: withActionKeys(call) };
}

const cashIn = { kind: 'in' as const, amount: '5', reason: 'coins', managerPin: null };
const keyOf = (s: { input: Record<string, unknown> } | undefined) => s?.input.actionKey;

describe('a money action’s key at the desk', () => {
  it('is sent again while the answer is missing, and a new one once an answer arrived', async () => {
    const { sent, call } = scripted(['lost', 'lost', 'ok', 'ok']);
    await expect(call('shift.cash', cashIn)).rejects.toThrow('no answer');
    await expect(call('shift.cash', cashIn)).rejects.toThrow('no answer');
    await call('shift.cash', cashIn);
    await call('shift.cash', cashIn);
    expect(keyOf(sent[0])).toMatch(/^act-[0-9a-f]{24}$/);
    expect(keyOf(sent[1])).toBe(keyOf(sent[0]));
    expect(keyOf(sent[2])).toBe(keyOf(sent[0]));
    expect(keyOf(sent[3])).not.toBe(keyOf(sent[0]));
  });

  it('ends with a refusal; is one per order for order actions; is not added to other calls', async () => {
    const { sent, call } = scripted(['refused', 'ok', 'lost', 'ok', 'ok']);
    await expect(call('shift.cash', cashIn)).rejects.toThrow('no');
    await call('shift.cash', cashIn);
    expect(keyOf(sent[1])).not.toBe(keyOf(sent[0]));
    await expect(call('orders.markPaid', { code: 'AAAAA', method: 'cash' })).rejects.toThrow('no answer');
    await call('orders.markPaid', { code: 'BBBBB', method: 'cash' });
    expect(keyOf(sent[3])).not.toBe(keyOf(sent[2]));
    await call('orders.get', { code: 'AAAAA' });
    expect(sent[4]!.input).toEqual({ code: 'AAAAA' });
  });
});
