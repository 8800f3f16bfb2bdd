import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import { resolveSecretKey } from '../secret-key.ts';
import { Keyring } from './keyring.ts';

/** Files beside `secret.key` in embedded mode: keys still accepted for decryption, and one being rotated in. */
export const PREVIOUS_KEYS_FILE = 'secret.key.previous';
export const NEXT_KEY_FILE = 'secret.key.next';

async function keysIn(file: string): Promise<Buffer[]> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => Buffer.from(line, 'base64'))
    .filter((key) => key.length === 32);
}

/**
 * The keys that encrypt and decrypt stored secrets: the current secret key, plus older keys
 * (SATCHEL_PREVIOUS_SECRET_KEYS, or the data directory's previous-keys file) and a key whose rotation was
 * interrupted, so every stored secret stays readable until a rotation completes.
 */
export async function resolveKeyring(
  config: Pick<Config, 'secretKey' | 'dataDir' | 'previousSecretKeys'>,
): Promise<Keyring> {
  const current = await resolveSecretKey(config);
  const fromFiles = config.secretKey
    ? []
    : [
        ...(await keysIn(path.join(config.dataDir, PREVIOUS_KEYS_FILE))),
        ...(await keysIn(path.join(config.dataDir, NEXT_KEY_FILE))),
      ];
  return new Keyring(current, [...config.previousSecretKeys, ...fromFiles]);
}
