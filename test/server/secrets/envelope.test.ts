import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decryptSecret,
  encryptSecret,
  keyIdOfSecret,
  rewrapSecret,
  type SecretPlace,
  SecretUnreadable,
} from '../../../src/server/secrets/envelope.ts';
import { Keyring } from '../../../src/server/secrets/keyring.ts';

const place: SecretPlace = {
  table: 'mdm_connections',
  rowId: 'row-1',
  districtId: 'district-a',
  field: 'secret',
};
const placeArb = fc.record({
  table: fc.constantFrom('mdm_connections', 'oauth_states'),
  rowId: fc.uuid(),
  districtId: fc.uuid(),
  field: fc.constantFrom('secret', 'code_verifier'),
});

describe('secret envelope', () => {
  it('round-trips any text', () => {
    const keyring = new Keyring(randomBytes(32));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), placeArb, (plaintext, where) => {
        expect(decryptSecret(keyring, encryptSecret(keyring, plaintext, where), where)).toBe(plaintext);
      }),
    );
  });

  it('does not decrypt in any other place: table, row, district or field (1,000 cases)', () => {
    const keyring = new Keyring(randomBytes(32));
    fc.assert(
      fc.property(placeArb, placeArb, fc.string({ minLength: 1 }), (from, to, plaintext) => {
        fc.pre(JSON.stringify(from) !== JSON.stringify(to));
        const stored = encryptSecret(keyring, plaintext, from);
        expect(() => decryptSecret(keyring, stored, to)).toThrow(SecretUnreadable);
      }),
      { numRuns: 1000 },
    );
  });

  it('fails closed on any flipped bit', () => {
    const keyring = new Keyring(randomBytes(32));
    const stored = encryptSecret(keyring, '1//refresh-token-canary', place);
    const [version, keyId, ...parts] = stored.split('.');
    for (const [index, part] of parts.entries()) {
      const bytes = Buffer.from(part, 'base64url');
      for (let bit = 0; bit < bytes.length * 8; bit += 7) {
        const flipped = Buffer.from(bytes);
        flipped[bit >> 3]! ^= 1 << (bit & 7);
        const tampered = [
          version,
          keyId,
          ...parts.map((p, i) => (i === index ? flipped.toString('base64url') : p)),
        ].join('.');
        expect(() => decryptSecret(keyring, tampered, place)).toThrow(SecretUnreadable);
      }
    }
  });

  it('uses a fresh nonce every time', () => {
    const keyring = new Keyring(randomBytes(32));
    const nonces = new Set<string>();
    for (let i = 0; i < 20_000; i++) nonces.add(encryptSecret(keyring, 'same', place).split('.')[4]!);
    expect(nonces.size).toBe(20_000);
  });

  it('rewraps under a new key; the old key is then no longer needed', () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const before = new Keyring(oldKey);
    const stored = encryptSecret(before, 'service-account-key-canary', place);
    const during = before.withCurrent(newKey);
    expect(decryptSecret(during, stored, place)).toBe('service-account-key-canary');
    const rewrapped = rewrapSecret(during, stored, place);
    expect(keyIdOfSecret(rewrapped)).toBe(during.current.id);
    expect(rewrapSecret(during, rewrapped, place)).toBe(rewrapped);
    expect(decryptSecret(new Keyring(newKey), rewrapped, place)).toBe('service-account-key-canary');
    expect(() => decryptSecret(new Keyring(newKey), stored, place)).toThrow(/not configured/);
  });

  it('never puts key or ciphertext material in its errors', () => {
    const key = randomBytes(32);
    const stored = encryptSecret(new Keyring(key), 'canary-9f2c', place);
    const errors: string[] = [];
    for (const attempt of [
      () => decryptSecret(new Keyring(randomBytes(32)), stored, place),
      () => decryptSecret(new Keyring(key), stored, { ...place, districtId: 'district-b' }),
      () => decryptSecret(new Keyring(key), 'garbage', place),
    ]) {
      try {
        attempt();
      } catch (error) {
        errors.push(String(error));
      }
    }
    expect(errors).toHaveLength(3);
    for (const message of errors) {
      expect(message).not.toContain('canary');
      for (const part of stored.split('.').slice(2)) expect(message).not.toContain(part);
      expect(message).not.toContain(key.toString('base64'));
    }
  });
});
