import { randomBytes } from 'node:crypto';
import { appendFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { DB } from '../db/schema.ts';
import { Invalid } from '../errors.ts';
import { rewrapConnectionSecrets } from '../mdm/connections/service.ts';
import { keyIdOf } from './keyring.ts';
import { NEXT_KEY_FILE, PREVIOUS_KEYS_FILE, resolveKeyring } from './resolve.ts';

/**
 * Moves every stored secret to a new key (CR-3). In embedded mode the new key is first written beside the
 * current one, so a run that stops part-way is resumed by running the command again, and every secret stays
 * readable in between. With SATCHEL_SECRET_KEY the operator supplies the new key and then reconfigures.
 */
export async function rotateSecretKey(
  db: Kysely<DB>,
  config: Config,
  options: { newKey?: string | undefined; afterEach?: () => void },
): Promise<string> {
  const provided = options.newKey ? Buffer.from(options.newKey, 'base64') : undefined;
  if (provided && provided.length !== 32)
    throw new Invalid('--new-key must be 32 random bytes, base64 (openssl rand -base64 32)');
  if (config.secretKey) {
    if (!provided) {
      throw new Invalid(
        'SATCHEL_SECRET_KEY is set, so give the new key: rotate-key --new-key "$(openssl rand -base64 32)"',
      );
    }
    const keyring = (await resolveKeyring(config)).withCurrent(provided);
    const result = await rewrapConnectionSecrets(db, keyring, options.afterEach);
    return [
      `Re-encrypted ${result.rewrapped} secrets under key ${keyring.current.id} (${result.unchanged} already were).`,
      'Now set SATCHEL_SECRET_KEY to the new key on every Satchel process, with the old key in',
      'SATCHEL_PREVIOUS_SECRET_KEYS until all of them run with the new one; then run rotate-key once more without it set there.',
    ].join('\n');
  }

  const nextFile = path.join(config.dataDir, NEXT_KEY_FILE);
  const currentFile = path.join(config.dataDir, 'secret.key');
  const pending = await readFile(nextFile, 'utf8').then(
    (text) => Buffer.from(text.trim(), 'base64'),
    () => undefined,
  );
  const next = pending ?? provided ?? randomBytes(32);
  if (!pending) await writeFile(nextFile, `${next.toString('base64')}\n`, { mode: 0o600 });
  const keyring = (await resolveKeyring(config)).withCurrent(next);
  const result = await rewrapConnectionSecrets(db, keyring, options.afterEach);

  const previous = await readFile(currentFile, 'utf8');
  await appendFile(
    path.join(config.dataDir, PREVIOUS_KEYS_FILE),
    previous.endsWith('\n') ? previous : `${previous}\n`,
    { mode: 0o600 },
  );
  const staged = `${currentFile}.tmp`;
  await writeFile(staged, `${next.toString('base64')}\n`, { mode: 0o600 });
  await rename(staged, currentFile);
  await rm(nextFile, { force: true });
  return `Re-encrypted ${result.rewrapped} secrets under key ${keyIdOf(next)}${pending ? ' (resumed an interrupted rotation)' : ''}; the old key stays in ${PREVIOUS_KEYS_FILE} for anything written with it meanwhile.`;
}
