import { describe, expect, it } from 'vitest';
import * as ids from '../../main/engine/ids';

const { randomString } = ids;

describe('randomString', () => {
  it('draws strings of the length asked, from the alphabet only', () => {
    for (const alphabet of [
      ids.ORDER_CODE_ALPHABET,
      ids.TICKET_SECRET_ALPHABET,
      ids.PSEUDONYMIZATION_ALPHABET,
      ids.WEB_SECRET_ALPHABET,
      ids.CART_ID_ALPHABET,
      'ab',
    ]) {
      for (const length of [0, 1, 5, 32, 64]) {
        const s = randomString(alphabet, length);
        expect(s).toHaveLength(length);
        for (const c of s) expect(alphabet).toContain(c);
      }
    }
  });

  it('picks every character about equally often (no modulo bias)', () => {
    // 31 characters: 256 is not a multiple of 31, so taking bytes modulo 31 would favour the first 8.
    const alphabet = ids.TICKET_SECRET_ALPHABET;
    const counts = new Map<string, number>();
    const draws = 10_000;
    for (let i = 0; i < draws; i++) {
      for (const c of randomString(alphabet, 31)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    const expected = draws; // 31 characters drawn per string, 31 in the alphabet
    expect(counts.size).toBe(alphabet.length);
    for (const n of counts.values()) {
      // One standard deviation is about 98 here, so ± 6 % is six of them; a modulo bias would put the
      // first 8 characters 12 % above the rest.
      expect(Math.abs(n - expected)).toBeLessThan(expected * 0.06);
    }
  });

  it('draws different strings each time', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => randomString(ids.TICKET_SECRET_ALPHABET, 32)));
    expect(seen.size).toBe(1000);
  });
});
