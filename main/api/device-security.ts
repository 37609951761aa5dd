import type { FastifyRequest } from 'fastify';
import { EngineError } from '../engine/errors';
import { permissionDenied, type ApiPrincipal } from './context';
import { pathParams } from './schemas/request';

/**
 * What a scanner may call: pretix's device security profiles (api/auth/devicesecurity.py) as allow-lists of
 * (method, route) pairs. A `checkin`-scoped API token gets exactly the `pretixscan` profile; a `full`
 * device may also call every route flagged `config: { checkin: true }`.
 */

type Rule = [method: string, pattern: string];

const ORG = '/api/v1/organizers/*';
const EVENT = `${ORG}/events/*`;

/** What every app profile may call: the device's own endpoints and the catalog it works from. */
const DEVICE_AND_CATALOG: Rule[] = [
  ['GET', '/api/v1/version'],
  ['GET', '/api/v1/device/info'],
  ['POST', '/api/v1/device/update'],
  ['POST', '/api/v1/device/roll'],
  ['POST', '/api/v1/device/revoke'],
  ['GET', '/api/v1/device/eventselection'],
  ['GET', '/api/v1/idempotency_query'],
  ['GET', `${ORG}/events`],
  ['GET', EVENT],
  ['GET', `${ORG}/subevents`],
  ['GET', `${ORG}/subevents/*`],
  ['GET', `${EVENT}/subevents`],
  ['GET', `${EVENT}/subevents/*`],
  ['GET', `${EVENT}/categories`],
  ['GET', `${EVENT}/items`],
  ['GET', `${EVENT}/questions`],
];

const SCANNER_BASE: Rule[] = [
  ...DEVICE_AND_CATALOG,
  ['GET', `${EVENT}/badgelayouts`],
  ['GET', `${EVENT}/badgeitems`],
  ['GET', `${EVENT}/checkinlists`],
  ['GET', `${EVENT}/checkinlists/*/status`],
  ['POST', `${EVENT}/checkinlists/*/failed_checkins`],
  ['GET', `${EVENT}/checkinlists/*/positions`],
  ['POST', `${EVENT}/checkinlists/*/positions/*/redeem`],
  ['GET', `${EVENT}/revokedsecrets`],
  ['GET', `${EVENT}/blockedsecrets`],
  ['GET', `${EVENT}/orderpositions/*/pdf_image/*`],
  ['POST', `${EVENT}/orderpositions/*/printlog`],
  ['GET', `${EVENT}/settings`],
  ['POST', '/api/v1/upload'],
  ['POST', `${ORG}/checkinrpc/redeem`],
  ['GET', `${ORG}/checkinrpc/search`],
];

// pretix names routes, not paths: `order-list` is both the event's and the organizer's order list.
const ORDER_SYNC: Rule[] = [
  ['GET', `${EVENT}/orders`],
  ['GET', `${ORG}/orders`],
  ['GET', `${ORG}/reusablemedia`],
];

/** The kiosk profile has no position list (pretix keeps checkinrpc/search in it). */
const POSITION_LIST: Rule[] = [['GET', `${EVENT}/checkinlists/*/positions`]];

/** pretix's `pretixpos` profile (PretixPosSecurityProfile), on the paths Guichet serves it at. */
const POS: Rule[] = [
  ...DEVICE_AND_CATALOG,
  ['GET', `${EVENT}/quotas`],
  ['GET', `${EVENT}/taxrules`],
  ['GET', `${EVENT}/ticketlayouts`],
  ['GET', `${EVENT}/ticketlayoutitems`],
  ['GET', `${EVENT}/badgelayouts`],
  ['GET', `${EVENT}/badgeitems`],
  ['GET', `${EVENT}/vouchers`],
  ['GET', `${EVENT}/vouchers/*`],
  ['GET', `${EVENT}/orders`],
  ['GET', `${ORG}/orders`],
  ['POST', `${EVENT}/orders`],
  ['GET', `${EVENT}/orders/*`],
  ['GET', `${ORG}/orders/*`],
  ['DELETE', `${EVENT}/orderpositions/*`],
  ['PATCH', `${EVENT}/orderpositions/*`],
  ['GET', `${EVENT}/orderpositions/*/answer/*`],
  ['GET', `${EVENT}/orderpositions/*/pdf_image/*`],
  ['POST', `${EVENT}/orders/*/mark_canceled`],
  ['POST', `${EVENT}/orders/*/payments`],
  ['POST', `${EVENT}/orders/*/refunds`],
  ['POST', `${EVENT}/orders/*/refunds/*/done`],
  ['POST', `${EVENT}/cartpositions`],
  ['POST', `${EVENT}/cartpositions/bulk_create`],
  ['DELETE', `${EVENT}/cartpositions/*`],
  ['GET', `${EVENT}/checkinlists`],
  ['POST', `${EVENT}/checkinlists/*/positions/*/redeem`],
  ['GET', `${EVENT}/revokedsecrets`],
  ['GET', `${EVENT}/blockedsecrets`],
  ['GET', `${EVENT}/settings`],
  ['POST', '/api/v1/upload'],
  ['POST', `${ORG}/checkinrpc/redeem`],
  ['GET', `${ORG}/checkinrpc/search`],
  ['POST', `${ORG}/reusablemedia/lookup`],
  ['POST', `${ORG}/reusablemedia`],
];

function without(rules: Rule[], removed: Rule[]): Rule[] {
  return rules.filter(([m, p]) => !removed.some(([rm, rp]) => rm === m && rp === p));
}

const PROFILES: Record<string, Rule[]> = {
  pretixscan: [...SCANNER_BASE, ...ORDER_SYNC],
  pretixscan_online_noorders: SCANNER_BASE,
  pretixscan_online_kiosk: without(SCANNER_BASE, POSITION_LIST),
  pretixpos: POS,
};

/** Route URL with every parameter as `*` and no trailing slash, e.g. `/api/v1/organizers/*`. */
export function normalizeRoute(url: string): string {
  return url.replace(/:[^/]+/g, '*').replace(/\/+$/, '');
}

/**
 * AllowListSecurityProfile.is_allowed compares `(request.method, route name)` with the list as it is, so a
 * HEAD request is refused where only GET is listed.
 */
function allowedByProfile(profile: string, method: string, route: string): boolean {
  const rules = PROFILES[profile];
  if (!rules) return false;
  return rules.some(([rm, rp]) => rm === method && rp === route);
}

/**
 * A `full` device may read everything of its organizer and change orders (pretix gives devices order
 * permissions), but never manage the organizer (devices, tokens, catalog changes).
 */
function allowedForFullDevice(method: string, route: string): boolean {
  if (route.startsWith(`${ORG}/devices`)) return false;
  if (method === 'GET' || method === 'HEAD') return true;
  return (
    route.startsWith(`${EVENT}/orders`) ||
    route.startsWith(`${EVENT}/orderpositions`) ||
    route.startsWith(`${ORG}/checkinrpc`) ||
    route.startsWith(`${EVENT}/checkinlists/*/`) ||
    route.startsWith('/api/v1/device/') ||
    route === '/api/v1/upload'
  );
}

export function deviceDenied(): EngineError {
  return new EngineError('permission_denied', 'Request denied by device security profile.', {
    kind: 'forbidden',
  });
}

/** Throws 403 when a scanner (device or `checkin` token) may not call this route. */
export function checkScannerAccess(
  req: FastifyRequest,
  principal: ApiPrincipal,
  config: { checkin?: boolean } | undefined,
): void {
  const route = normalizeRoute(req.routeOptions.url ?? req.url.split('?')[0]!);
  if (principal.kind === 'device' && principal.device) {
    const device = principal.device;
    const profile = device.securityProfile;
    const allowed =
      profile === 'full'
        ? allowedForFullDevice(req.method, route) || !!config?.checkin
        : allowedByProfile(profile, req.method, route);
    if (!allowed) throw deviceDenied();
    // A device sees only the events it was given.
    const eventSlug = pathParams(req).event;
    if (typeof eventSlug === 'string' && !device.allEvents && !device.limitEvents.includes(eventSlug))
      throw permissionDenied();
    return;
  }
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (!allowedByProfile('pretixscan', method, route)) throw permissionDenied();
}
