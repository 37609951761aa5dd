import { createPublicKey } from 'node:crypto';
import { z } from 'zod';
import { SECURITY_PROFILES, type DeviceInput, type HardwareInput } from '../../engine/devices';
import { invalidFields } from '../../engine/errors';
import type { JsonValue } from '../../engine/json';
import { DRF, drf, drfField, parseBody } from './drf';
import { checked } from './checked';

/**
 * Request bodies of pretix's device endpoints (the organizer's `devices/`, and a scanner's
 * `device/initialize` and `device/update`), read once at the door with pretix's messages.
 */

/** What a device's settings name: the organizer's events (by slug) and gates. */
export interface DeviceLookups {
  eventExists(slug: string): boolean;
  gateExists(id: number): boolean;
}

/** `devices/` (create) and `devices/{id}/` (update): name, event limits, security profile, gate. */
export function deviceBody(
  body: Record<string, unknown>,
  lookups: DeviceLookups,
  mode: 'create',
): DeviceInput & { name: string };
export function deviceBody(
  body: Record<string, unknown>,
  lookups: DeviceLookups,
  mode: 'update',
): DeviceInput;
export function deviceBody(
  body: Record<string, unknown>,
  lookups: DeviceLookups,
  mode: 'create' | 'update',
): DeviceInput {
  const name = checked<string>((input) =>
    input === undefined
      ? { error: DRF.required }
      : typeof input !== 'string' || !input.trim()
        ? { error: DRF.blank }
        : { value: input.trim() },
  );
  const schema = z.object({
    name: mode === 'create' ? name : name.optional(),
    all_events: drf.boolean().optional(),
    limit_events: drfField<string[]>((input) => {
      if (!Array.isArray(input) || input.some((slug) => typeof slug !== 'string'))
        return { error: 'Expected a list of items.' };
      const missing = (input as string[]).find((slug) => !lookups.eventExists(slug));
      return missing === undefined
        ? { value: input as string[] }
        : { error: `Object with slug=${missing} does not exist.` };
    }).optional(),
    security_profile: drf.choice(SECURITY_PROFILES).optional(),
    gate: drf.pk(lookups.gateExists).nullable().optional(),
  });
  return parseBody(schema, body);
}

/** One of the texts a scanner must report: present, text, not blank, at most 190 characters. */
const requiredText = checked<string>((input) =>
  input === undefined || input === null
    ? { error: DRF.required }
    : typeof input !== 'string'
      ? { error: DRF.string }
      : !input.trim()
        ? { error: DRF.blank }
        : input.length > 190
          ? { error: DRF.maxLength(190) }
          : { value: input },
);

const optionalText = checked<string | null>((input) =>
  input === undefined || input === null
    ? { value: null }
    : typeof input === 'string'
      ? { value: input }
      : { error: DRF.string },
).optional();

/** A PEM public key (SubjectPublicKeyInfo or PKCS#1), as pretix's load_pem_public_key accepts; no private key. */
function isPemPublicKey(pem: string): boolean {
  if (!/-----BEGIN (RSA )?PUBLIC KEY-----/.test(pem)) return false;
  try {
    createPublicKey({ key: pem, format: 'pem' });
    return true;
  } catch {
    return false;
  }
}

function hardwareSchema(withToken: boolean) {
  return z.object({
    token: withToken ? requiredText : z.unknown().optional(),
    hardware_brand: requiredText,
    hardware_model: requiredText,
    software_brand: requiredText,
    software_version: requiredText,
    os_name: optionalText,
    os_version: optionalText,
    rsa_pubkey: optionalText,
    info: z.unknown().optional(),
  });
}

/** The hardware fields, checked as pretix's serializers do: the key only once every field is valid. */
function hardware(body: Record<string, unknown>, withToken: boolean): HardwareInput & { token?: string } {
  const d = parseBody(hardwareSchema(withToken), body);
  if (d.rsa_pubkey && !isPemPublicKey(d.rsa_pubkey))
    throw invalidFields('invalid', { rsa_pubkey: ['Not a valid public key.'] });
  return {
    token: typeof d.token === 'string' ? d.token : undefined,
    hardware_brand: d.hardware_brand,
    hardware_model: d.hardware_model,
    software_brand: d.software_brand,
    software_version: d.software_version,
    os_name: d.os_name ?? null,
    os_version: d.os_version ?? null,
    rsa_pubkey: d.rsa_pubkey ?? null,
    info: d.info === undefined || d.info === null ? null : (d.info as JsonValue),
  };
}

/** `device/initialize`: the one-time token and the app's hardware. */
export function deviceInitializeBody(body: Record<string, unknown>): HardwareInput & { token: string } {
  const { token, ...rest } = hardware(body, true);
  return { ...rest, token: token! };
}

/** `device/update`: the app's hardware and software. */
export function deviceUpdateBody(body: Record<string, unknown>): HardwareInput {
  const { token: _token, ...rest } = hardware(body, false);
  return rest;
}
