import type { ReadableDB } from '../db/handles';
import { eventPlugins } from '../db/queries/orders/place';

/** Payment providers every event has (pretix's built-ins, base/payment.py). */
const BUILTIN_PAYMENT_PROVIDERS = ['free', 'boxoffice', 'offsetting', 'manual', 'giftcard'];
/** Providers a plugin brings; they exist for an event only while the plugin is active there. */
const PLUGIN_PAYMENT_PROVIDERS: Record<string, string[]> = {
  banktransfer: ['pretix.plugins.banktransfer'],
  paypal: ['pretix.plugins.paypal', 'pretix.plugins.paypal2'],
  stripe: ['pretix.plugins.stripe'],
};

/** The payment providers of an event (pretix's `Event.get_payment_providers()`). */
export function eventPaymentProviders(db: ReadableDB, eventId: number): string[] {
  return paymentProvidersOfPlugins(eventPlugins(db, eventId)?.plugins);
}

/** The payment providers of an event whose plugins are stored as `pluginsText` (none: no such event). */
export function paymentProvidersOfPlugins(pluginsText: string | undefined): string[] {
  let plugins: string[] = [];
  try {
    const parsed = JSON.parse(pluginsText ?? '[]') as unknown;
    if (Array.isArray(parsed)) plugins = parsed.filter((p): p is string => typeof p === 'string');
  } catch {
    plugins = [];
  }
  return [
    ...BUILTIN_PAYMENT_PROVIDERS,
    ...Object.entries(PLUGIN_PAYMENT_PROVIDERS)
      .filter(([, from]) => from.some((plugin) => plugins.includes(plugin)))
      .map(([provider]) => provider),
  ];
}
