import { randomFillSync } from 'node:crypto';

/** Alphabets and lengths are pretix's (base/models/orders.py, base/secrets.py). */
export const ORDER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ379';
export const TICKET_SECRET_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const PSEUDONYMIZATION_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ3789';
export const WEB_SECRET_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
export const CART_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/**
 * Bytes from the CSPRNG, drawn a few kilobytes at a time: an order takes about eighty random characters
 * (code, secrets, pseudonymization ids), and one draw per character cost more than the characters.
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function randomByte(): number {
  if (poolAt === pool.length) {
    randomFillSync(pool);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

/**
 * Uniformly random string from a CSPRNG. A byte picks a character only when it is below the largest
 * multiple of the alphabet's size (others are drawn again), so there is no modulo bias.
 */
export function randomString(alphabet: string, length: number): string {
  const size = alphabet.length;
  if (size < 1 || size > 256) throw new RangeError('An alphabet has 1 to 256 characters.');
  const limit = 256 - (256 % size);
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte < limit) out += alphabet[byte % size];
  }
  return out;
}

export function generateOrderCode(length = 5, testmode = false): string {
  const code = randomString(ORDER_CODE_ALPHABET, length);
  return testmode ? code[0] + '0' + code.slice(2) : code;
}

export function generateTicketSecret(length = 32): string {
  return randomString(TICKET_SECRET_ALPHABET, length);
}

export function generatePseudonymizationId(): string {
  return randomString(PSEUDONYMIZATION_ALPHABET, 10);
}

export function generateWebSecret(): string {
  return randomString(WEB_SECRET_ALPHABET, 16);
}

export function generateApiCartId(): string {
  return randomString(CART_ID_ALPHABET, 48) + '@api';
}

/** API and device tokens: 64 characters of [a-z0-9], about 330 bits from the CSPRNG. */
export function generateToken(): string {
  return randomString(WEB_SECRET_ALPHABET, 64);
}
