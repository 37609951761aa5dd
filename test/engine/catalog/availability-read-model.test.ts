import { describe, expect, it } from 'vitest';
import { salesTiles } from '../../../main/engine/catalog';
import { createEvent, createItem, createQuota, createVoucher } from '../../fixtures/catalog-wire';
import { computeQuotaAvailability } from '../../../main/engine/quotas';
import { testEngine } from '../../helpers';

describe('quota availability, one read model for the desk and the REST door', () => {
  it('counts a blocking voucher in the desk tiles as the API counts it, and stops when it expires', () => {
    const t = testEngine('2030-01-01T09:00:00Z');
    const { eventId, itemId, quotaId } = t.engine.command((ctx) => {
      const event = createEvent(ctx, t.organizerId, {
        name: 'Show',
        slug: 'show',
        date_from: '2030-01-02T20:00:00Z',
      });
      const item = createItem(ctx, event.id, { name: 'Ticket', default_price: '10.00' });
      const quota = createQuota(ctx, event.id, { name: 'Hall', size: 5, items: [item] });
      return { eventId: event.id, itemId: item, quotaId: quota };
    });
    const deskFree = () =>
      t.engine
        .read((ctx) => salesTiles(ctx.db, { eventId, subeventId: null }, ctx.now, 'en'))
        .find((tile) => tile.itemId === itemId)!.free;
    const apiFree = () =>
      t.engine.command((ctx) => computeQuotaAvailability(ctx, [quotaId]).get(quotaId)!.available);
    expect([deskFree(), apiFree()]).toEqual([5, 5]);

    t.engine.command((ctx) =>
      createVoucher(ctx, eventId, {
        item: itemId,
        block_quota: true,
        max_usages: 3,
        valid_until: '2030-01-01T12:00:00Z',
      }),
    );
    expect([deskFree(), apiFree()]).toEqual([2, 2]);

    t.clock.set(new Date('2030-01-01T12:00:01Z'));
    expect([deskFree(), apiFree()]).toEqual([5, 5]);
  });
});
