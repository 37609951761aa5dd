import { describe, expect, it } from 'vitest';
import { deleteAddon, deleteBundle } from '../../../main/engine/catalog';
import {
  createAddon,
  createBundle,
  createCategory,
  createEvent,
  createItem,
} from '../../fixtures/catalog-wire';
import { engineFailure, testEngine } from '../../helpers';

describe("an item's add-on slots and bundles", () => {
  it('are added and removed one at a time, with their audit entries, and a second removal is not found', () => {
    const t = testEngine();
    const { eventId, ticket, extras, parking } = t.engine.command((ctx) => {
      const event = createEvent(ctx, t.organizerId, {
        name: 'Show',
        slug: 'show',
        date_from: '2030-01-02T20:00:00Z',
      });
      const category = createCategory(ctx, event.id, { name: 'Extras', is_addon: true });
      return {
        eventId: event.id,
        ticket: createItem(ctx, event.id, { name: 'Ticket', default_price: '10.00' }),
        parking: createItem(ctx, event.id, { name: 'Parking', default_price: '5.00' }),
        extras: category,
      };
    });
    const addon = t.engine.command((ctx) =>
      createAddon(ctx, eventId, ticket, { addon_category: extras, max_count: 2 }),
    );
    const bundle = t.engine.command((ctx) =>
      createBundle(ctx, eventId, ticket, { bundled_item: parking, count: 1, designated_price: '2.50' }),
    );
    expect(
      t.engine.db
        .prepare('SELECT addon_category_id, min_count, max_count FROM item_addons WHERE id = ?')
        .get(addon),
    ).toEqual({ addon_category_id: extras, min_count: 0, max_count: 2 });
    expect(
      t.engine.db
        .prepare('SELECT bundled_item_id, count, designated_price FROM item_bundles WHERE id = ?')
        .get(bundle),
    ).toEqual({ bundled_item_id: parking, count: 1, designated_price: '2.50' });

    t.engine.command((ctx) => deleteAddon(ctx, eventId, ticket, addon));
    t.engine.command((ctx) => deleteBundle(ctx, eventId, ticket, bundle));
    expect(
      engineFailure(() => t.engine.command((ctx) => deleteAddon(ctx, eventId, ticket, addon))).code,
    ).toBe('not_found');
    expect(
      engineFailure(() => t.engine.command((ctx) => deleteBundle(ctx, eventId, ticket, bundle))).code,
    ).toBe('not_found');
    const actions = (
      t.engine.db
        .prepare("SELECT action_type FROM audit_log WHERE action_type LIKE 'pretix.event.item.%' ORDER BY id")
        .all() as { action_type: string }[]
    ).map((r) => r.action_type);
    expect(actions).toEqual([
      'pretix.event.item.added',
      'pretix.event.item.added',
      'pretix.event.item.addons.added',
      'pretix.event.item.bundles.added',
      'pretix.event.item.addons.removed',
      'pretix.event.item.bundles.removed',
    ]);
  });
});
