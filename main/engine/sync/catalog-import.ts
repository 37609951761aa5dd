import type { EngineContext } from '../context';
import type { ReadableDB } from '../db/handles';
import {
  insertAddonRow,
  insertBundleRow,
  updateAddonRow,
  updateBundleRow,
} from '../db/queries/catalog/items';
import { findEventBySlug } from '../db/queries/catalog/events';
import { insertOptionRow, setQuestionItems, updateOptionRow } from '../db/queries/catalog/questions';
import { setQuotaItems, setQuotaVariations } from '../db/queries/catalog/quotas';
import { setSubeventPrices } from '../db/queries/catalog/subevents';
import { insertCatalogRow, updateCatalogRow, type CatalogTable } from '../db/queries/catalog/tables';
import { insertCheckinList, replaceListRelations, updateCheckinListRow } from '../db/queries/checkin/lists';
import { findOrganizerBySlug, insertOrganizer } from '../db/queries/organizers';
import {
  deleteImportedAddon,
  deleteAllLocalIds,
  deleteImportedBundle,
  deleteLocalId,
  findLocalId,
  findRemoteId,
  findSyncAllotment,
  insertLocalId,
  localIdsOfKind,
  setLocalIdGone,
  type LocalKind,
} from '../db/queries/sync';
import { refused } from '../errors';
import { recountQuota } from '../quotas/counters';
import type { I18n, ServerCatalog, ServerItem, ServerQuestion } from './server-catalog';

export type { LocalKind };

const bit = (b: boolean): number => (b ? 1 : 0);
const i18n = (v: I18n): string => JSON.stringify(v);

/** The desk's row a server object became; undefined when it was never imported. */
export function localIdOf(db: ReadableDB, kind: LocalKind, remoteId: number | string): number | undefined {
  return findLocalId(db, kind, String(remoteId))?.local_id;
}

/** The server's id of a desk row imported from it; undefined for a row the desk made itself. */
export function remoteIdOf(db: ReadableDB, kind: LocalKind, localId: number): number | undefined {
  const row = findRemoteId(db, kind, localId);
  return row ? Number(row.remote_id) : undefined;
}

/** The desk's event the server's event became; undefined before the first import. */
export function importedEventId(db: ReadableDB, organizer: string, event: string): number | undefined {
  return localIdOf(db, 'event', `${organizer}/${event}`);
}

/** Whether a desk event is the copy of a server's event (its sales go up to the server). */
export function isImportedEvent(db: ReadableDB, eventId: number): boolean {
  return findRemoteId(db, 'event', eventId) !== undefined;
}

/**
 * The desk leaves its server's event for another one (it owes it nothing any more): the imported event
 * stays with the desk's orders of it, but is no longer the server's copy. Its quotas hold nothing (the
 * desk has no places of them any more) and the next import, of another event, starts from new rows.
 */
export function forgetImportedCatalog(ctx: EngineContext): void {
  for (const q of localIdsOfKind(ctx.db, 'quota'))
    updateCatalogRow(ctx.db, 'quotas', q.local_id, { size: 0 });
  deleteAllLocalIds(ctx.db);
}

export interface CatalogImportResult {
  eventId: number;
  created: number;
  updated: number;
  gone: number;
}

/**
 * Turns the server's catalog into the desk's own, in one transaction: each server object updates the
 * desk row it became at the last import, or becomes a new one (remembered in `sync_local_ids`), so
 * importing again never duplicates. What the server no longer lists stays, because local orders may name
 * it, but is no longer sold: items, variations and dates become inactive, quotas hold nothing, questions
 * are asked for no product. A quota's size at the desk is the allotment it holds of it on the server: the
 * desk sells only those places.
 */
export function importServerCatalog(ctx: EngineContext, catalog: ServerCatalog): CatalogImportResult {
  const counts = { created: 0, updated: 0, gone: 0 };
  const seen = new Map<LocalKind, Set<string>>();

  /** Writes one object through `write` (given the desk's row id, or undefined for a new row). */
  const mirror = (
    kind: LocalKind,
    remoteId: number | string,
    write: (localId?: number) => number,
  ): number => {
    const key = String(remoteId);
    const ids = seen.get(kind) ?? new Set<string>();
    seen.set(kind, ids);
    ids.add(key);
    const known = findLocalId(ctx.db, kind, key);
    const localId = write(known?.local_id);
    if (!known) {
      insertLocalId(ctx.db, { kind, remote_id: key, local_id: localId });
      counts.created++;
    } else {
      if (known.gone) setLocalIdGone(ctx.db, kind, key, false);
      counts.updated++;
    }
    return localId;
  };
  const row =
    (table: CatalogTable, columns: Record<string, unknown>, onInsert: Record<string, unknown> = {}) =>
    (localId?: number): number => {
      if (localId === undefined) return insertCatalogRow(ctx.db, table, { ...onInsert, ...columns });
      updateCatalogRow(ctx.db, table, localId, columns);
      return localId;
    };
  /** The desk's id of a server object the import has written (or an earlier one did). */
  const local = (kind: LocalKind, remoteId: number | null): number | null => {
    if (remoteId === null) return null;
    return localIdOf(ctx.db, kind, remoteId) ?? null;
  };

  const eventId = importEvent(ctx, catalog, mirror, row);
  for (const t of catalog.taxRules) {
    mirror(
      'tax_rule',
      t.id,
      row(
        'tax_rules',
        {
          name: i18n(t.name),
          rate: t.rate,
          price_includes_tax: bit(t.price_includes_tax),
        },
        { event_id: eventId },
      ),
    );
  }
  for (const c of catalog.categories) {
    mirror(
      'category',
      c.id,
      row(
        'categories',
        {
          name: i18n(c.name),
          internal_name: c.internal_name,
          description: i18n(c.description),
          position: c.position,
          is_addon: bit(c.is_addon),
        },
        { event_id: eventId },
      ),
    );
  }
  for (const s of catalog.subevents) {
    mirror(
      'subevent',
      s.id,
      row(
        'subevents',
        {
          name: i18n(s.name),
          active: bit(s.active),
          date_from: s.date_from,
          date_to: s.date_to,
          presale_start: s.presale_start,
          presale_end: s.presale_end,
        },
        { event_id: eventId },
      ),
    );
  }
  for (const item of catalog.items) importItem(ctx, eventId, item, mirror, row, local);
  // Bundles name other items, so they follow once every item has its row.
  for (const item of catalog.items) importBundles(ctx, item, mirror, local);
  for (const s of catalog.subevents) {
    const subeventId = local('subevent', s.id)!;
    const priced = (kind: LocalKind, list: ServerCatalog['subevents'][number]['item_price_overrides']) =>
      list.flatMap((o) => {
        const id = local(kind, o.id);
        return id === null ? [] : [{ id, price: o.price, disabled: o.disabled }];
      });
    setSubeventPrices(ctx.db, subeventId, 'item', priced('item', s.item_price_overrides));
    setSubeventPrices(ctx.db, subeventId, 'variation', priced('variation', s.variation_price_overrides));
  }
  for (const q of catalog.quotas) {
    const quotaId = mirror(
      'quota',
      q.id,
      row(
        'quotas',
        {
          name: q.name,
          subevent_id: local('subevent', q.subevent),
          size: findSyncAllotment(ctx.db, q.id)?.held ?? 0,
          closed: bit(q.closed),
          close_when_sold_out: bit(q.close_when_sold_out),
          release_after_exit: bit(q.release_after_exit),
          ignore_for_event_availability: bit(q.ignore_for_event_availability),
        },
        { event_id: eventId },
      ),
    );
    setQuotaItems(
      ctx.db,
      quotaId,
      q.items.flatMap((i) => local('item', i) ?? []),
    );
    setQuotaVariations(
      ctx.db,
      quotaId,
      q.variations.flatMap((v) => local('variation', v) ?? []),
    );
    recountQuota(ctx, quotaId);
  }
  for (const q of catalog.questions) importQuestion(ctx, eventId, q, mirror, row, local);
  for (const q of catalog.questions) {
    updateCatalogRow(ctx.db, 'questions', local('question', q.id)!, {
      dependency_question_id: local('question', q.dependency_question),
    });
  }
  for (const l of catalog.checkinLists) {
    const fields = {
      name: l.name,
      all_products: bit(l.all_products),
      subevent_id: local('subevent', l.subevent),
      include_pending: bit(l.include_pending),
      allow_multiple_entries: bit(l.allow_multiple_entries),
      allow_entry_after_exit: bit(l.allow_entry_after_exit),
      addon_match: bit(l.addon_match),
      exit_all_at: l.exit_all_at,
      rules: JSON.stringify(l.rules),
      consider_tickets_used: bit(l.consider_tickets_used),
      ignore_in_statistics: bit(l.ignore_in_statistics),
    };
    const listId = mirror('checkin_list', l.id, (id) => {
      if (id === undefined) return insertCheckinList(ctx.db, eventId, fields);
      updateCheckinListRow(ctx.db, id, fields);
      return id;
    });
    replaceListRelations(
      ctx.db,
      listId,
      l.limit_products.flatMap((i) => local('item', i) ?? []),
      [],
    );
  }
  counts.gone = retireWhatTheServerDropped(ctx, seen);
  // The desk pulls every minute: only an import that added or retired something is worth a log entry.
  if (counts.created + counts.gone > 0)
    ctx.audit({
      eventId,
      objectType: 'sync_catalog',
      objectId: eventId,
      actionType: 'guichet.sync.catalog.imported',
      data: { ...counts },
    });
  return { eventId, ...counts };
}

type Mirror = (kind: LocalKind, remoteId: number | string, write: (localId?: number) => number) => number;
type RowWriter = (
  table: CatalogTable,
  columns: Record<string, unknown>,
  onInsert?: Record<string, unknown>,
) => (localId?: number) => number;
type Local = (kind: LocalKind, remoteId: number | null) => number | null;

function importEvent(ctx: EngineContext, catalog: ServerCatalog, mirror: Mirror, row: RowWriter): number {
  const e = catalog.event;
  const key = `${catalog.organizer}/${e.slug}`;
  let organizerId = findOrganizerBySlug(ctx.db, catalog.organizer)?.id;
  if (organizerId === undefined) {
    organizerId = insertOrganizer(ctx.db, { slug: catalog.organizer, name: catalog.organizer });
  }
  if (!findLocalId(ctx.db, 'event', key) && findEventBySlug(ctx.db, organizerId, e.slug)) {
    throw refused(
      'sync_event_slug_taken',
      `This desk already has its own event "${e.slug}" of "${catalog.organizer}"; the server's event cannot be imported beside it.`,
    );
  }
  return mirror(
    'event',
    key,
    row(
      'events',
      {
        name: i18n(e.name),
        currency: e.currency,
        date_from: e.date_from,
        date_to: e.date_to,
        timezone: e.timezone,
        has_subevents: bit(e.has_subevents),
        live: bit(e.live),
        testmode: bit(e.testmode),
      },
      { organizer_id: organizerId, slug: e.slug, created: ctx.now.toISOString() },
    ),
  );
}

function importItem(
  ctx: EngineContext,
  eventId: number,
  item: ServerItem,
  mirror: Mirror,
  row: RowWriter,
  local: Local,
): void {
  const itemId = mirror(
    'item',
    item.id,
    row(
      'items',
      {
        category_id: local('category', item.category),
        name: i18n(item.name),
        internal_name: item.internal_name,
        description: i18n(item.description),
        default_price: item.default_price,
        free_price: bit(item.free_price),
        tax_rule_id: local('tax_rule', item.tax_rule),
        admission: bit(item.admission),
        personalized: bit(item.personalized),
        generate_tickets: item.generate_tickets === null ? null : bit(item.generate_tickets),
        active: bit(item.active),
        position: item.position,
        available_from: item.available_from,
        available_until: item.available_until,
        require_voucher: bit(item.require_voucher),
        hide_without_voucher: bit(item.hide_without_voucher),
        require_approval: bit(item.require_approval),
        require_bundling: bit(item.require_bundling),
        allow_cancel: bit(item.allow_cancel),
        min_per_order: item.min_per_order,
        max_per_order: item.max_per_order,
        checkin_attention: bit(item.checkin_attention),
        original_price: item.original_price,
        ...(item.sales_channels ? { sales_channels: JSON.stringify(item.sales_channels) } : {}),
      },
      { event_id: eventId },
    ),
  );
  for (const v of item.variations) {
    mirror(
      'variation',
      v.id,
      row(
        'item_variations',
        {
          value: i18n(v.value),
          description: i18n(v.description),
          active: bit(v.active),
          position: v.position,
          default_price: v.default_price,
          original_price: v.original_price,
          require_approval: bit(v.require_approval),
          available_from: v.available_from,
          available_until: v.available_until,
          checkin_attention: bit(v.checkin_attention),
        },
        { item_id: itemId },
      ),
    );
  }
  for (const a of item.addons) {
    const categoryId = local('category', a.addon_category);
    if (categoryId === null) continue;
    const columns = {
      addon_category_id: categoryId,
      min_count: a.min_count,
      max_count: a.max_count,
      position: a.position,
      price_included: bit(a.price_included),
      multi_allowed: bit(a.multi_allowed),
    };
    mirror('addon', a.id, (id) => {
      if (id === undefined) return insertAddonRow(ctx.db, itemId, columns);
      updateAddonRow(ctx.db, id, columns);
      return id;
    });
  }
}

function importBundles(ctx: EngineContext, item: ServerItem, mirror: Mirror, local: Local): void {
  const itemId = local('item', item.id)!;
  for (const b of item.bundles) {
    const bundledItem = local('item', b.bundled_item);
    if (bundledItem === null) continue;
    const columns = {
      bundled_item_id: bundledItem,
      bundled_variation_id: local('variation', b.bundled_variation),
      count: b.count,
      designated_price: b.designated_price,
    };
    mirror('bundle', b.id, (id) => {
      if (id === undefined) return insertBundleRow(ctx.db, itemId, columns);
      updateBundleRow(ctx.db, id, columns);
      return id;
    });
  }
}

function importQuestion(
  ctx: EngineContext,
  eventId: number,
  q: ServerQuestion,
  mirror: Mirror,
  row: RowWriter,
  local: Local,
): void {
  const questionId = mirror(
    'question',
    q.id,
    row(
      'questions',
      {
        question: i18n(q.question),
        help_text: i18n(q.help_text),
        type: q.type,
        required: bit(q.required),
        position: q.position,
        identifier: q.identifier,
        ask_during_checkin: bit(q.ask_during_checkin),
        show_during_checkin: bit(q.show_during_checkin),
        hidden: bit(q.hidden),
        print_on_invoice: bit(q.print_on_invoice),
        dependency_values: JSON.stringify(q.dependency_values),
      },
      { event_id: eventId },
    ),
  );
  setQuestionItems(
    ctx.db,
    questionId,
    q.items.flatMap((i) => local('item', i) ?? []),
  );
  for (const o of q.options) {
    const columns = { identifier: o.identifier, answer: i18n(o.answer), position: o.position };
    mirror('question_option', o.id, (id) => {
      if (id === undefined) return insertOptionRow(ctx.db, questionId, columns);
      updateOptionRow(ctx.db, id, columns);
      return id;
    });
  }
}

/**
 * What the server no longer lists: kept where local orders may name it, but no longer on sale. Add-ons
 * and bundles name nothing an order keeps, so they go.
 */
function retireWhatTheServerDropped(ctx: EngineContext, seen: Map<LocalKind, Set<string>>): number {
  let gone = 0;
  const retire: Partial<Record<LocalKind, (localId: number) => void>> = {
    item: (id) => updateCatalogRow(ctx.db, 'items', id, { active: 0 }),
    variation: (id) => updateCatalogRow(ctx.db, 'item_variations', id, { active: 0 }),
    subevent: (id) => updateCatalogRow(ctx.db, 'subevents', id, { active: 0 }),
    quota: (id) => updateCatalogRow(ctx.db, 'quotas', id, { size: 0 }),
    question: (id) => setQuestionItems(ctx.db, id, []),
  };
  const remove: Partial<Record<LocalKind, (localId: number) => void>> = {
    addon: (id) => deleteImportedAddon(ctx.db, id),
    bundle: (id) => deleteImportedBundle(ctx.db, id),
  };
  const kinds: LocalKind[] = ['item', 'variation', 'subevent', 'quota', 'question', 'addon', 'bundle'];
  for (const kind of kinds) {
    const present = seen.get(kind) ?? new Set<string>();
    for (const m of localIdsOfKind(ctx.db, kind)) {
      if (present.has(m.remote_id) || m.gone) continue;
      if (remove[kind]) {
        remove[kind](m.local_id);
        deleteLocalId(ctx.db, kind, m.remote_id);
      } else {
        retire[kind]?.(m.local_id);
        setLocalIdGone(ctx.db, kind, m.remote_id, true);
      }
      gone++;
    }
  }
  return gone;
}
