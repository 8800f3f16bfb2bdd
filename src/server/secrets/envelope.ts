import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring.ts';

/**
 * Envelope encryption for integration secrets (CR-1): a fresh 256-bit data key per secret encrypts the value
 * with AES-256-GCM; the ring's current key wraps the data key, also with AES-256-GCM. Both layers bind the
 * secret's place (table, row, district, field) as associated data, so a ciphertext copied to another row
 * or district does not decrypt. Rotation rewraps only the data key.
 *
 *   satchel1.<key id>.<wrap nonce>.<wrapped data key + tag>.<nonce>.<ciphertext + tag>   (base64url parts)
 */
const VERSION = 'satchel1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretPlace {
  table: string;
  rowId: string;
  districtId: string;
  field: string;
}

/** Raised for anything unreadable; it never carries key or ciphertext material (CR-5: fail closed). */
export class SecretUnreadable extends Error {
  constructor(reason: string) {
    super(`A stored secret could not be decrypted (${reason})`);
  }
}

function placeData(place: SecretPlace): Buffer {
  return Buffer.from(JSON.stringify([VERSION, place.table, place.rowId, place.districtId, place.field]));
}

function seal(key: Buffer, plaintext: Buffer, associated: Buffer): { nonce: Buffer; sealed: Buffer } {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associated);
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, sealed };
}

function open(key: Buffer, nonce: Buffer, sealed: Buffer, associated: Buffer): Buffer {
  if (nonce.length !== NONCE_BYTES || sealed.length < TAG_BYTES) throw new SecretUnreadable('malformed');
  const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  decipher.setAAD(associated);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SecretUnreadable('authentication failed');
  }
}

function wrapData(keyId: string, place: SecretPlace): Buffer {
  return Buffer.concat([Buffer.from(`wrap\0${keyId}\0`), placeData(place)]);
}

interface Parsed {
  keyId: string;
  wrapNonce: Buffer;
  wrappedKey: Buffer;
  nonce: Buffer;
  ciphertext: Buffer;
}

function parse(stored: string): Parsed {
  const parts = stored.split('.');
  if (parts.length !== 6 || parts[0] !== VERSION) throw new SecretUnreadable('unknown format');
  const [, keyId, wrapNonce, wrappedKey, nonce, ciphertext] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    keyId,
    wrapNonce: Buffer.from(wrapNonce, 'base64url'),
    wrappedKey: Buffer.from(wrappedKey, 'base64url'),
    nonce: Buffer.from(nonce, 'base64url'),
    ciphertext: Buffer.from(ciphertext, 'base64url'),
  };
}

function format(
  keyId: string,
  wrap: { nonce: Buffer; sealed: Buffer },
  data: { nonce: Buffer; sealed: Buffer },
): string {
  return [VERSION, keyId, wrap.nonce, wrap.sealed, data.nonce, data.sealed]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

export function encryptSecret(keyring: Keyring, plaintext: string, place: SecretPlace): string {
  const dataKey = randomBytes(32);
  const data = seal(dataKey, Buffer.from(plaintext, 'utf8'), placeData(place));
  const wrap = seal(keyring.current.key, dataKey, wrapData(keyring.current.id, place));
  dataKey.fill(0);
  return format(keyring.current.id, wrap, data);
}

function unwrapDataKey(keyring: Keyring, parsed: Parsed, place: SecretPlace): Buffer {
  const key = keyring.get(parsed.keyId);
  if (!key) throw new SecretUnreadable(`encrypted under key ${parsed.keyId}, which is not configured`);
  return open(key, parsed.wrapNonce, parsed.wrappedKey, wrapData(parsed.keyId, place));
}

export function decryptSecret(keyring: Keyring, stored: string, place: SecretPlace): string {
  const parsed = parse(stored);
  const dataKey = unwrapDataKey(keyring, parsed, place);
  try {
    return open(dataKey, parsed.nonce, parsed.ciphertext, placeData(place)).toString('utf8');
  } finally {
    dataKey.fill(0);
  }
}

/** Re-encrypts the data key under the ring's current key; the value itself is not touched. */
export function rewrapSecret(keyring: Keyring, stored: string, place: SecretPlace): string {
  const parsed = parse(stored);
  if (parsed.keyId === keyring.current.id) return stored;
  const dataKey = unwrapDataKey(keyring, parsed, place);
  const wrap = seal(keyring.current.key, dataKey, wrapData(keyring.current.id, place));
  dataKey.fill(0);
  return format(keyring.current.id, wrap, { nonce: parsed.nonce, sealed: parsed.ciphertext });
}

export function keyIdOfSecret(stored: string): string {
  return parse(stored).keyId;
}
