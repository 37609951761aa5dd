import type { FastifyRequest } from 'fastify';
import type { OrderCreation } from './order-creation/create-order';
import type { Engine } from '../engine/engine';
import type { OrderData } from '../engine/orders';
import { EngineError } from '../engine/errors';
import { organizerBySlug, type Organizer } from '../engine/organizers';
import { eventIdsBySlugs, findEventBySlug, type EventRow } from '../engine/catalog';
import type { TokenScope } from '../engine/auth';
import { pathParams } from './schemas/request';

/** Who is calling: an API token (with its scope) or a paired scanner device. */
export interface ApiPrincipal {
  kind: 'token' | 'device';
  organizerId: number;
  scope: TokenScope;
  tokenId?: number;
  deviceId?: number;
  /** For a paired scanner: what its security profile and event limits allow. */
  device?: DevicePrincipal;
  /** pretix's log attribution, e.g. `api_token:3` or `device:1`. */
  actor: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: ApiPrincipal;
  }
  interface FastifyContextConfig {
    /** No authentication at all (device initialisation, health). */
    public?: boolean;
    /** Reachable with a `checkin`-scoped token or a scanner device. */
    checkin?: boolean;
  }
}

export interface DevicePrincipal {
  /** devices.id */
  pk: number;
  securityProfile: string;
  allEvents: boolean;
  limitEvents: string[];
  gateId: number | null;
  softwareBrand: string | null;
  /** The token the device presented (pretix's device/info echoes it). */
  apiToken: string;
}

export interface ApiDeps {
  engine: Engine;
  /** Creates an order, on the order writer's thread where there is one; resolves with what was stored. */
  placeOrder: (creation: OrderCreation) => Promise<OrderData>;
}

export const PERMISSION_DENIED = 'You do not have permission to perform this action.';

export function permissionDenied(): EngineError {
  return new EngineError('permission_denied', PERMISSION_DENIED, { kind: 'forbidden' });
}

export type { EventRow };

/** The organizer named in the path, if the caller may see it; 403 otherwise, as pretix answers. */
export function requireOrganizer(engine: Engine, req: FastifyRequest): Organizer {
  const slug = pathParams(req).organizer;
  const organizer = slug ? organizerBySlug(engine.db, slug) : undefined;
  if (!organizer || !req.principal || req.principal.organizerId !== organizer.id) throw permissionDenied();
  return organizer;
}

/** The event named in the path (and its organizer); 403 for an unknown event, as pretix answers. */
export function requireEvent(engine: Engine, req: FastifyRequest): { organizer: Organizer; event: EventRow } {
  const organizer = requireOrganizer(engine, req);
  const params = pathParams(req);
  const event = findEventBySlug(engine.db, organizer.id, params.event ?? '');
  if (!event) throw permissionDenied();
  return { organizer, event };
}

export function actorOf(req: FastifyRequest): string {
  return req.principal?.actor ?? 'api';
}

/**
 * The events a caller may see, or undefined when only its organizer limits it. A scanner device limited to
 * some events sees only those, on organizer-level lists as on event routes (as pretix filters by the
 * device's events). API tokens carry no event limit.
 */
export function visibleEventIds(engine: Engine, principal: ApiPrincipal | undefined): number[] | undefined {
  const device = principal?.device;
  if (!principal || !device || device.allEvents) return undefined;
  return eventIdsBySlugs(engine.db, principal.organizerId, device.limitEvents);
}
