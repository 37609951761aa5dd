import type { EngineContext } from '../context';
import type { ReadableDB, WritableDB } from '../db/handles';
import {
  devicesOfOrganizer,
  eventIdBySlug,
  findDeviceByApiTokenHash,
  findDeviceById,
  findDeviceByInitializationTokenHash,
  findDeviceByNumber,
  findGate,
  gateOfOrganizer,
  insertDevice,
  markDeviceInitialized,
  markDeviceRevoked,
  nextDeviceNumber,
  organizerSlug,
  setDeviceApiTokenHash,
  setDeviceRsaPubkey,
  updateDeviceHardwareRow,
  updateDeviceSettings,
} from '../db/queries/devices';
import type { DeviceRow, GateRow } from '../db/rows';
import { EngineError, invalidFields, notFound } from '../errors';
import type { JsonValue } from '../json';
import { generateToken, randomString } from '../ids';
import { hashToken } from '../auth/tokens';

/**
 * Scanner devices (pretix's Device): created by the organizer with a one-time initialization token,
 * paired by trading that token for an API token, then authenticated with `Authorization: Device <token>`.
 */

/** pretix's stock security profiles; `full` lets the device use everything a device may. */
export const SECURITY_PROFILES = [
  'full',
  'pretixscan',
  'pretixscan_online_kiosk',
  'pretixscan_online_noorders',
  'pretixpos',
] as const;
export type SecurityProfile = (typeof SECURITY_PROFILES)[number];

/** The server version scanners see; a modern number makes pretixSCAN use the `checkinrpc` endpoints. */
export const PRETIX_VERSION = '2025.10.0';
export const PRETIX_VERSION_NUMERIC = 20250100005000;

/** The sentence pretixSCAN compares byte for byte to wipe its data after a revocation. */
export const DEVICE_REVOKED_MESSAGE = 'Device access has been revoked.';

/** A device as the room shows it: its row with flags as booleans, JSON decoded and no token hash. */
export type Device = Omit<
  DeviceRow,
  | 'api_token_hash'
  | 'initialization_token'
  | 'all_events'
  | 'limit_events'
  | 'security_profile'
  | 'info'
  | 'revoked'
> & {
  /**
   * The one-time pairing token, in plain text only in the result of creating the device; stored as its
   * SHA-256 hash (like API tokens), so it is null when the device is read back.
   */
  initialization_token: string | null;
  all_events: boolean;
  limit_events: string[];
  security_profile: SecurityProfile;
  info: JsonValue;
  revoked: boolean;
};

function fromRow(row: DeviceRow): Device {
  const { api_token_hash: _hash, initialization_token: _initHash, ...rest } = row;
  return {
    ...rest,
    initialization_token: null,
    all_events: row.all_events === 1,
    limit_events: JSON.parse(row.limit_events) as string[],
    revoked: row.revoked === 1,
    info: JSON.parse(row.info) as JsonValue,
    security_profile: row.security_profile as SecurityProfile,
  };
}

export function listDevices(db: ReadableDB, organizerId: number): Device[] {
  return devicesOfOrganizer(db, organizerId).map(fromRow);
}

export function getDevice(db: ReadableDB, organizerId: number, deviceId: number): Device | undefined {
  const row = findDeviceByNumber(db, organizerId, deviceId);
  return row ? fromRow(row) : undefined;
}

export function deviceByPk(db: ReadableDB, id: number): Device | undefined {
  const row = findDeviceById(db, id);
  return row ? fromRow(row) : undefined;
}

/** A device's settings as a request sets them (pretix's names), parsed at the door: all on create, some on update. */
export interface DeviceInput {
  name?: string;
  all_events?: boolean;
  /** Event slugs of the organizer. */
  limit_events?: string[];
  security_profile?: SecurityProfile;
  gate?: number | null;
}

/** What a device's settings name, as the door looks it up. */
export function deviceLookups(db: ReadableDB, organizerId: number) {
  return {
    eventExists: (slug: string) => eventIdBySlug(db, organizerId, slug) !== undefined,
    gateExists: (id: number) => gateOfOrganizer(db, organizerId, id) !== undefined,
  };
}

/** Creates a device with a fresh one-time initialization token (16 lower-case alphanumerics, as pretix). */
export function createDevice(
  ctx: EngineContext,
  input: { organizerId: number; data: DeviceInput & { name: string } },
): Device {
  const v = input.data;
  const initializationToken = randomString('abcdefghijklmnopqrstuvwxyz0123456789', 16);
  const id = insertDevice(ctx.db, {
    organizer_id: input.organizerId,
    device_id: nextDeviceNumber(ctx.db, input.organizerId),
    name: v.name,
    unique_serial: randomString('ABCDEFGHJKLMNPQRSTUVWXYZ23456789', 16),
    initialization_token: hashToken(initializationToken),
    all_events: (v.all_events ?? false) ? 1 : 0,
    limit_events: JSON.stringify([...new Set(v.limit_events ?? [])]),
    gate_id: v.gate ?? null,
    security_profile: v.security_profile ?? 'full',
    created: ctx.now.toISOString(),
  });
  ctx.audit({
    organizerId: input.organizerId,
    objectType: 'device',
    objectId: id,
    actionType: 'pretix.device.created',
    data: input.data,
  });
  return { ...deviceByPk(ctx.db, id)!, initialization_token: initializationToken };
}

export function updateDevice(
  ctx: EngineContext,
  input: { organizerId: number; deviceId: number; data: DeviceInput },
): Device {
  const device = getDevice(ctx.db, input.organizerId, input.deviceId);
  if (!device) throw notFound();
  const v = input.data;
  updateDeviceSettings(ctx.db, device.id, {
    name: v.name ?? device.name,
    all_events: (v.all_events ?? device.all_events) ? 1 : 0,
    limit_events: JSON.stringify(v.limit_events ? [...new Set(v.limit_events)] : device.limit_events),
    security_profile: v.security_profile ?? device.security_profile,
    gate_id: v.gate !== undefined ? v.gate : device.gate_id,
  });
  ctx.audit({
    organizerId: input.organizerId,
    objectType: 'device',
    objectId: device.id,
    actionType: 'pretix.device.changed',
    data: input.data,
  });
  return deviceByPk(ctx.db, device.id)!;
}

/** What a scanner app reports about itself (`device/initialize`, `device/update`), parsed at the door. */
export interface HardwareInput {
  hardware_brand: string;
  hardware_model: string;
  os_name: string | null;
  os_version: string | null;
  software_brand: string;
  software_version: string;
  info: JsonValue | null;
  /** A PEM public key, when the app sent one. */
  rsa_pubkey: string | null;
}

function writeHardware(db: WritableDB, deviceId: number, input: HardwareInput): void {
  updateDeviceHardwareRow(db, deviceId, {
    hardware_brand: input.hardware_brand,
    hardware_model: input.hardware_model,
    os_name: input.os_name,
    os_version: input.os_version,
    software_brand: input.software_brand,
    software_version: input.software_version,
    info: input.info !== null ? JSON.stringify(input.info) : null,
  });
}

/**
 * Trades a one-time initialization token for an API token (`POST /device/initialize`). Returns the device
 * and the plain API token, which is only stored hashed.
 */
export function initializeDevice(
  ctx: EngineContext,
  input: HardwareInput & { token: string },
): { device: Device; apiToken: string } {
  const row = findDeviceByInitializationTokenHash(ctx.db, hashToken(input.token));
  if (!row) throw invalidFields('invalid', { token: ['Unknown initialization token.'] });
  if (row.initialized)
    throw invalidFields('invalid', { token: ['This initialization token has already been used.'] });
  if (row.revoked) throw invalidFields('invalid', { token: ['This initialization token has been revoked.'] });
  const apiToken = generateToken();
  // InitializeView stores the key as sent (null when absent): a device is paired only once.
  markDeviceInitialized(ctx.db, ctx.now.toISOString(), hashToken(apiToken), input.rsa_pubkey, row.id);
  writeHardware(ctx.db, row.id, input);
  ctx.audit({
    organizerId: row.organizer_id,
    objectType: 'device',
    objectId: row.id,
    actionType: 'pretix.device.initialized',
    data: {
      hardware_brand: input.hardware_brand,
      hardware_model: input.hardware_model,
      software_brand: input.software_brand,
      software_version: input.software_version,
    },
  });
  return { device: deviceByPk(ctx.db, row.id)!, apiToken };
}

/** The device behind a presented API token; 401 in pretix's words for unknown or revoked devices. */
export function authenticateDevice(db: ReadableDB, token: string): Device {
  const row = findDeviceByApiTokenHash(db, hashToken(token));
  if (!row || !row.initialized)
    throw new EngineError('unauthorized', 'Invalid token.', { kind: 'unauthenticated' });
  if (row.revoked)
    throw new EngineError('device_revoked', DEVICE_REVOKED_MESSAGE, { kind: 'unauthenticated' });
  return fromRow(row);
}

/** `POST /device/update`: the app reports its hardware and software. */
export function updateDeviceHardware(
  ctx: EngineContext,
  input: { deviceId: number; data: HardwareInput },
): Device {
  const device = deviceByPk(ctx.db, input.deviceId);
  if (!device) throw notFound();
  // UpdateView: a key is stored when the device has none yet; another key than the stored one is refused
  // (before anything is saved), the same key again is fine.
  const key = input.data.rsa_pubkey;
  if (key && key !== device.rsa_pubkey) {
    if (device.rsa_pubkey)
      throw invalidFields('invalid', {
        rsa_pubkey: ['You cannot change the rsa_pubkey of the device once it is set.'],
      });
    setDeviceRsaPubkey(ctx.db, device.id, key);
  }
  writeHardware(ctx.db, device.id, input.data);
  ctx.audit({
    organizerId: device.organizer_id,
    objectType: 'device',
    objectId: device.id,
    actionType: 'pretix.device.updated',
    data: { software_brand: input.data.software_brand, software_version: input.data.software_version },
  });
  return deviceByPk(ctx.db, device.id)!;
}

/** `POST /device/roll`: a new API token; the old one stops working at once. */
export function rollDeviceToken(ctx: EngineContext, deviceId: number): { device: Device; apiToken: string } {
  const device = deviceByPk(ctx.db, deviceId);
  if (!device) throw notFound();
  const apiToken = generateToken();
  setDeviceApiTokenHash(ctx.db, deviceId, hashToken(apiToken));
  ctx.audit({
    organizerId: device.organizer_id,
    objectType: 'device',
    objectId: device.id,
    actionType: 'pretix.device.keyroll',
  });
  return { device: deviceByPk(ctx.db, deviceId)!, apiToken };
}

/** Revokes a device (from the device itself or the desk); its token answers the revoked 401 from then on. */
export function revokeDevice(ctx: EngineContext, deviceId: number): Device {
  const device = deviceByPk(ctx.db, deviceId);
  if (!device) throw notFound();
  markDeviceRevoked(ctx.db, deviceId);
  ctx.audit({
    organizerId: device.organizer_id,
    objectType: 'device',
    objectId: device.id,
    actionType: 'pretix.device.revoked',
  });
  return deviceByPk(ctx.db, deviceId)!;
}

/** What the desk shows as the pairing QR code (pretix's setup JSON). */
export interface PairingPayload {
  handshake_version: 1;
  url: string;
  token: string;
}

export function pairingPayload(device: Device, baseUrl: string): PairingPayload {
  if (device.initialization_token === null) throw new Error('The pairing token is only known at creation.');
  return { handshake_version: 1, url: baseUrl.replace(/\/+$/, ''), token: device.initialization_token };
}

/** Creates a device and returns it with the payload for its pairing QR code (for the desk). */
export function createDeviceForPairing(
  ctx: EngineContext,
  input: { organizerId: number; name: string; baseUrl: string; securityProfile?: SecurityProfile },
): { device: Device; pairing: PairingPayload } {
  const device = createDevice(ctx, {
    organizerId: input.organizerId,
    data: { name: input.name, all_events: true, security_profile: input.securityProfile ?? 'pretixscan' },
  });
  return { device, pairing: pairingPayload(device, input.baseUrl) };
}

/** Whether a device may see an event (its `all_events` or `limit_events`). */
export function deviceMaySeeEvent(device: Device, eventSlug: string): boolean {
  return device.all_events || device.limit_events.includes(eventSlug);
}

/** What a device learns about itself (`device/info` and friends): its organizer and its gate. */
export interface DeviceSelf {
  device: Device;
  organizerSlug: string;
  gate: Pick<GateRow, 'id' | 'name' | 'identifier'> | null;
}

export function deviceSelf(db: ReadableDB, device: Device): DeviceSelf {
  const gate = device.gate_id ? findGate(db, device.gate_id) : undefined;
  return {
    device,
    organizerSlug: organizerSlug(db, device.organizer_id),
    gate: gate ? { id: gate.id, name: gate.name, identifier: gate.identifier } : null,
  };
}
