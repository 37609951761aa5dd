/**
 * The server's catalog lists, read once here at the door: pretix's REST resources (and a Guichet hub's,
 * which are the same) parsed into the typed catalog the engine imports. Fields a server leaves out get
 * pretix's defaults; a resource the desk cannot read stops the import with the server's list named.
 */
import { z } from 'zod';
import type { ServerCatalog } from '../engine/sync';

const i18n = z
  .union([
    z.string().transform((s) => ({ en: s })),
    z
      .record(z.string(), z.string().nullable())
      .transform((r) =>
        Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (v === null ? [] : [[k, v]]))),
      ),
  ])
  .nullish()
  .transform((v): Record<string, string> => v ?? {});
const flag = (fallback: boolean) =>
  z
    .boolean()
    .nullish()
    .transform((v) => v ?? fallback);
const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
const count = z.number().int();
const optionalCount = count.nullish().transform((v) => v ?? null);
const ref = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? null);
const refs = z
  .array(z.number().int())
  .nullish()
  .transform((v) => v ?? []);
const money = z.union([z.string(), z.number().transform((n) => n.toFixed(2))]);
const optionalMoney = money.nullish().transform((v) => v ?? null);
const list = <T extends z.ZodTypeAny>(schema: T) =>
  z
    .array(schema)
    .nullish()
    .transform((v): z.output<T>[] => v ?? []);

const event = z.object({
  slug: z.string(),
  name: i18n,
  currency: z.string().default('EUR'),
  date_from: text,
  date_to: text,
  timezone: z
    .string()
    .nullish()
    .transform((v) => v ?? 'UTC'),
  has_subevents: flag(false),
  live: flag(false),
  testmode: flag(false),
});

const priceOverride = {
  price: optionalMoney,
  disabled: flag(false),
};
const itemPriceOverride = z
  .object({ item: count, ...priceOverride })
  .transform((o) => ({ id: o.item, price: o.price, disabled: o.disabled }));
const variationPriceOverride = z
  .object({ variation: count, ...priceOverride })
  .transform((o) => ({ id: o.variation, price: o.price, disabled: o.disabled }));

const subevent = z.object({
  id: count,
  name: i18n,
  active: flag(false),
  date_from: z.string(),
  date_to: text,
  presale_start: text,
  presale_end: text,
  item_price_overrides: list(itemPriceOverride),
  variation_price_overrides: list(variationPriceOverride),
});

const taxRule = z.object({
  id: count,
  name: i18n,
  rate: money,
  price_includes_tax: flag(true),
});

const category = z.object({
  id: count,
  name: i18n,
  internal_name: text,
  description: i18n,
  position: count.default(0),
  is_addon: flag(false),
});

const variation = z.object({
  id: count,
  value: i18n,
  description: i18n,
  active: flag(true),
  position: count.default(0),
  default_price: optionalMoney,
  original_price: optionalMoney,
  require_approval: flag(false),
  available_from: text,
  available_until: text,
  checkin_attention: flag(false),
});

const item = z.object({
  id: count,
  name: i18n,
  internal_name: text,
  description: i18n,
  default_price: money,
  free_price: flag(false),
  category: ref,
  tax_rule: ref,
  admission: flag(false),
  personalized: flag(true),
  generate_tickets: z
    .boolean()
    .nullish()
    .transform((v) => v ?? null),
  active: flag(true),
  position: count.default(0),
  available_from: text,
  available_until: text,
  require_voucher: flag(false),
  hide_without_voucher: flag(false),
  require_approval: flag(false),
  require_bundling: flag(false),
  allow_cancel: flag(true),
  min_per_order: optionalCount,
  max_per_order: optionalCount,
  checkin_attention: flag(false),
  original_price: optionalMoney,
  sales_channels: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? null),
  variations: list(variation),
  addons: list(
    z.object({
      id: count,
      addon_category: count,
      min_count: count.default(0),
      max_count: count.default(1),
      position: count.default(0),
      price_included: flag(false),
      multi_allowed: flag(false),
    }),
  ),
  bundles: list(
    z.object({
      id: count,
      bundled_item: count,
      bundled_variation: ref,
      count: count.default(1),
      designated_price: money.default('0.00'),
    }),
  ),
});

const quota = z.object({
  id: count,
  name: z.string(),
  size: optionalCount,
  items: refs,
  variations: refs,
  subevent: ref,
  closed: flag(false),
  close_when_sold_out: flag(false),
  release_after_exit: flag(false),
  ignore_for_event_availability: flag(false),
});

const question = z.object({
  id: count,
  question: i18n,
  help_text: i18n,
  type: z.string(),
  required: flag(false),
  position: count.default(0),
  identifier: z.string(),
  items: refs,
  ask_during_checkin: flag(false),
  show_during_checkin: flag(false),
  hidden: flag(false),
  print_on_invoice: flag(false),
  dependency_question: ref,
  dependency_values: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
  options: list(z.object({ id: count, identifier: z.string(), answer: i18n, position: count.default(0) })),
});

const checkinList = z.object({
  id: count,
  name: z.string(),
  all_products: flag(true),
  limit_products: refs,
  subevent: ref,
  include_pending: flag(false),
  allow_multiple_entries: flag(false),
  allow_entry_after_exit: flag(true),
  addon_match: flag(false),
  exit_all_at: text,
  rules: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((v) => v ?? {}),
  consider_tickets_used: flag(true),
  ignore_in_statistics: flag(false),
});

/** The lists pulled whole, by the name of their pretix endpoint, with the schema of one entry. */
export const CATALOG_LISTS = {
  subevents: subevent,
  taxrules: taxRule,
  categories: category,
  items: item,
  quotas: quota,
  questions: question,
  checkinlists: checkinList,
} as const;

export type CatalogList = keyof typeof CATALOG_LISTS;

/** The server sent something the desk cannot read as pretix's resource. */
export class UnreadableCatalog extends Error {
  constructor(resource: string, issue: z.core.$ZodIssue | undefined) {
    const where = issue ? ` (${[resource, ...issue.path].join('.')}: ${issue.message})` : '';
    super(`The server's ${resource} cannot be read by this desk${where}.`);
    this.name = 'UnreadableCatalog';
  }
}

function parseList<K extends CatalogList>(
  resource: K,
  results: unknown[],
): z.output<(typeof CATALOG_LISTS)[K]>[] {
  const parsed = z.array(CATALOG_LISTS[resource]).safeParse(results);
  if (!parsed.success) throw new UnreadableCatalog(resource, parsed.error.issues[0]);
  return parsed.data as z.output<(typeof CATALOG_LISTS)[K]>[];
}

/** The event and its lists as the server sent them, as the catalog the engine imports. */
export function parseServerCatalog(
  organizer: string,
  eventBody: unknown,
  lists: Record<CatalogList, unknown[]>,
): ServerCatalog {
  const e = event.safeParse(eventBody);
  if (!e.success) throw new UnreadableCatalog('event', e.error.issues[0]);
  return {
    organizer,
    event: e.data,
    subevents: parseList('subevents', lists.subevents),
    taxRules: parseList('taxrules', lists.taxrules),
    categories: parseList('categories', lists.categories),
    items: parseList('items', lists.items),
    quotas: parseList('quotas', lists.quotas),
    questions: parseList('questions', lists.questions),
    checkinLists: parseList('checkinlists', lists.checkinlists),
  };
}
