import { describe, expect, it } from 'vitest';
import type { RpcInput } from '../../shared/contract';
import { describePath, deskMessage } from '../../main/rpc/messages';
import { fixtureQuestion } from '../fixtures/catalog';
import { sellingDesk } from '../support/desk-rpc';

function setup() {
  const { engine, rpc, eventId, itemId } = sellingDesk({ item: { price: '10.00' } });
  return { engine, rpc, eventId, itemId };
}

/** Field paths and code names a cashier must never read. */
const TECHNICAL = /positions|answers:|attendeeName|attendee_name|default_price|\bitem:|\.\d+\.|\[\d+\]/;

/** A walk-in cash sale of `positions` with `given` in the amount field. */
function cashSale(
  eventId: number,
  given: string,
  positions: RpcInput<'sale.complete'>['positions'],
): RpcInput<'sale.complete'> {
  return {
    cartId: 'x@api',
    eventId,
    subeventId: null,
    email: null,
    payment: { method: 'cash', given },
    positions,
  };
}

function messageOf(reply: unknown): string {
  if (reply && typeof reply === 'object' && 'error' in reply)
    return (reply as { error: { message: string } }).error.message;
  throw new Error(`expected a refusal, got ${JSON.stringify(reply)}`);
}

describe('the desk words refusals as sentences', () => {
  it('names a bad input by what it is on screen, not by its path', async () => {
    const { rpc, eventId, itemId } = setup();
    const reply = await rpc.call(
      'sale.complete',
      cashSale(eventId, '', [{ itemId, variationId: null, attendeeName: 'x'.repeat(300), answers: [] }]),
    );
    const message = messageOf(reply);
    expect(message).toMatch(/^Ticket 1, attendee name: /);
    expect(message).not.toMatch(TECHNICAL);
  });

  it('names the question of an invalid answer, and the ticket it belongs to', async () => {
    const { rpc, engine, eventId, itemId } = setup();
    const q = fixtureQuestion(engine, eventId, { type: 'N', items: [itemId] });
    const reply = await rpc.call(
      'sale.complete',
      cashSale(eventId, '', [
        { itemId, variationId: null, attendeeName: null, answers: [] },
        { itemId, variationId: null, attendeeName: null, answers: [{ questionId: q.id, answer: 'many' }] },
      ]),
    );
    const message = messageOf(reply);
    expect(message).toBe('Ticket 2, “Question?”: A valid number is required.');
  });

  it('names the REST API’s address and port as the Settings screen does', async () => {
    const { rpc } = setup();
    const api = (host: string, port: number) =>
      rpc.call('settings.update', { api: { enabled: true, host, port } }).then(messageOf);
    expect(await api('127.0.0.1', 99999)).toBe('Port: Ensure this value is less than or equal to 65535.');
    expect(await api(' ', 8787)).toBe('Address: This field may not be blank.');
    expect(await api('not a host!!', 8787)).toBe(
      'Address: Enter a host name or an IP address, such as 127.0.0.1.',
    );
    for (const host of ['127.0.0.1', '0.0.0.0', '::1', 'localhost', 'box-office.local'])
      expect(await rpc.call('settings.update', { api: { enabled: true, host, port: 8787 } })).toHaveProperty(
        'result',
      );
  });

  it('speaks German when the desk does', async () => {
    const { rpc, eventId, itemId } = setup();
    await rpc.call('settings.update', { locale: 'de' });
    const reply = await rpc.call(
      'sale.complete',
      cashSale(eventId, '1', [{ itemId, variationId: null, attendeeName: null, answers: [] }]),
    );
    expect(messageOf(reply)).toBe('Gegeben: Der gegebene Betrag ist kleiner als die Summe von 10.00.');
  });

  it('turns nested pretix bodies into one sentence', () => {
    expect(
      deskMessage('en', {
        message: 'positions: item: x',
        body: { positions: [{}, { item: ['Invalid pk "9" - object does not exist.'] }] },
      }),
    ).toBe('Ticket 2, product: Invalid pk "9" - object does not exist.');
    expect(
      deskMessage('en', { message: 'x', body: { default_price: ['A valid number is required.'] } }),
    ).toBe('Price: A valid number is required.');
    expect(deskMessage('de', { message: 'x', body: { detail: 'The cart is empty.' } })).toBe(
      'Der Warenkorb ist leer.',
    );
    expect(describePath('en', ['positions', 0, 'valid_number_min'])).toBe('Ticket 1, valid number min');
  });
});
