import { createHash, randomBytes } from 'node:crypto';

/** A key's id is a fingerprint of the key itself, so configuration never has to name keys. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('satchel-key-id\0').update(key).digest('hex').slice(0, 16);
}

/**
 * The current key encrypts; every key in the ring decrypts. Older keys stay in the ring until a rotation
 * has rewrapped everything written under them.
 */
export class Keyring {
  readonly current: { id: string; key: Buffer };
  readonly #keys: Map<string, Buffer>;

  constructor(current: Buffer, others: readonly Buffer[] = []) {
    for (const key of [current, ...others]) {
      if (key.length !== 32) throw new Error('Secret keys are 32 bytes');
    }
    this.current = { id: keyIdOf(current), key: current };
    this.#keys = new Map([...others, current].map((key) => [keyIdOf(key), key]));
  }

  get(id: string): Buffer | undefined {
    return this.#keys.get(id);
  }

  get ids(): string[] {
    return [...this.#keys.keys()];
  }

  /** The same ring with another key made current; the old current key still decrypts. */
  withCurrent(key: Buffer): Keyring {
    return new Keyring(
      key,
      [...this.#keys.values()].filter((existing) => !existing.equals(key)),
    );
  }
}

/** A throwaway key for processes whose secrets never outlive them (tests, benchmarks). */
export function ephemeralKeys(): { secretKey: Buffer; keyring: Keyring } {
  const key = randomBytes(32);
  return { secretKey: key, keyring: new Keyring(key) };
}
