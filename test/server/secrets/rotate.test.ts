import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/server/config.ts';
import { insertConnection, updateConnection } from '../../../src/server/mdm/connections/queries.ts';
import { decryptSecret, encryptSecret, keyIdOfSecret } from '../../../src/server/secrets/envelope.ts';
import { Keyring } from '../../../src/server/secrets/keyring.ts';
import { resolveKeyring } from '../../../src/server/secrets/resolve.ts';
import { rotateSecretKey } from '../../../src/server/secrets/rotate.ts';
import { withTestApp } from '../../setup/app.ts';
import { createDistrict } from '../../setup/factories.ts';

const testApp = withTestApp();
const directories: string[] = [];
afterAll(async () => {
  for (const directory of directories) await rm(directory, { recursive: true, force: true });
});

async function seedSecrets(
  keyring: Keyring,
  count: number,
): Promise<Map<string, { districtId: string; plaintext: string }>> {
  const { database } = testApp();
  const seeded = new Map<string, { districtId: string; plaintext: string }>();
  for (let index = 0; index < count; index++) {
    const district = await createDistrict(database);
    const id = randomUUID();
    await insertConnection(database.db, {
      id,
      districtId: district.id,
      provider: 'google',
      state: 'active',
      settings: {},
    });
    const plaintext = `refresh-token-canary-${index}`;
    const secret = encryptSecret(keyring, plaintext, {
      table: 'mdm_connections',
      rowId: id,
      districtId: district.id,
      field: 'secret',
    });
    await updateConnection(database.db, id, { secret, secret_key_id: keyring.current.id });
    seeded.set(id, { districtId: district.id, plaintext });
  }
  return seeded;
}

async function readBack(keyring: Keyring, ids: Iterable<string>) {
  const { database } = testApp();
  const rows = await database.db
    .selectFrom('mdm_connections')
    .select(['id', 'district_id', 'secret', 'secret_key_id'])
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((row) => ({
    id: row.id,
    keyId: keyIdOfSecret(row.secret!),
    column: row.secret_key_id,
    plaintext: decryptSecret(keyring, row.secret!, {
      table: 'mdm_connections',
      rowId: row.id,
      districtId: row.district_id,
      field: 'secret',
    }),
  }));
}

describe('rotate-key', () => {
  it('embedded: an interrupted rotation leaves every secret readable, and running it again finishes it', async () => {
    const { database } = testApp();
    const dataDir = await mkdtemp(path.join(tmpdir(), 'satchel-rotate-'));
    directories.push(dataDir);
    const config = loadConfig({ SATCHEL_DATA_DIR: dataDir });
    const before = await resolveKeyring(config);
    const seeded = await seedSecrets(before, 5);

    let processed = 0;
    await expect(
      rotateSecretKey(database.db, config, {
        afterEach: () => {
          processed++;
          if (processed === 2) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const midway = await readBack(await resolveKeyring(config), seeded.keys());
    expect(midway.map((row) => row.plaintext).sort()).toEqual(
      [...seeded.values()].map((s) => s.plaintext).sort(),
    );
    expect(new Set(midway.map((row) => row.keyId)).size).toBe(2);

    const output = await rotateSecretKey(database.db, config, {});
    expect(output).toMatch(
      /^Re-encrypted \d secrets under key [0-9a-f]{16} \(resumed an interrupted rotation\)/,
    );
    const after = await resolveKeyring(config);
    expect(after.current.id).not.toBe(before.current.id);
    const rows = await readBack(after, seeded.keys());
    expect(rows.every((row) => row.keyId === after.current.id && row.column === after.current.id)).toBe(true);

    await rm(path.join(dataDir, 'secret.key.previous'));
    const onlyNew = await resolveKeyring(config);
    expect(onlyNew.ids).toEqual([after.current.id]);
    expect((await readBack(onlyNew, seeded.keys())).map((row) => row.plaintext).sort()).toEqual(
      [...seeded.values()].map((s) => s.plaintext).sort(),
    );
    expect(await readFile(path.join(dataDir, 'secret.key'), 'utf8')).not.toContain(
      before.current.key.toString('base64'),
    );
  });

  it('with SATCHEL_SECRET_KEY: needs the new key, rewraps, and the new key alone then decrypts', async () => {
    const { database } = testApp();
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const config = loadConfig({ SATCHEL_SECRET_KEY: oldKey, SATCHEL_DATA_DIR: '/nonexistent' });
    await seedSecrets(new Keyring(randomBytes(32)), 1);
    await expect(rotateSecretKey(database.db, config, { newKey })).rejects.toThrow(
      /cannot be read with the configured keys/,
    );
    // Start over with only secrets the configured key can read.
    await database.db.deleteFrom('mdm_connections').execute();
    const seeded = await seedSecrets(await resolveKeyring(config), 3);
    await expect(rotateSecretKey(database.db, config, {})).rejects.toThrow(/give the new key/);
    await expect(rotateSecretKey(database.db, config, { newKey: 'c2hvcnQ=' })).rejects.toThrow(
      /32 random bytes/,
    );
    expect(await rotateSecretKey(database.db, config, { newKey })).toMatch(/^Re-encrypted 3 secrets/);
    const rotated = await resolveKeyring(
      loadConfig({ SATCHEL_SECRET_KEY: newKey, SATCHEL_DATA_DIR: '/nonexistent' }),
    );
    expect(
      (await readBack(rotated, seeded.keys())).every((row) =>
        row.plaintext.startsWith('refresh-token-canary-'),
      ),
    ).toBe(true);
  });
});

describe('rotation model (CR-3)', () => {
  it('always reads back the last value written, across writes, rotations and rotations that crash part-way', async () => {
    const { database } = testApp();
    const command = fc.oneof(
      fc.record({
        kind: fc.constant('write' as const),
        row: fc.nat({ max: 2 }),
        value: fc.string({ minLength: 1, maxLength: 12 }),
      }),
      fc.record({
        kind: fc.constant('rotate' as const),
        crashAfter: fc.option(fc.nat({ max: 3 }), { nil: undefined }),
      }),
      fc.record({ kind: fc.constant('read' as const), row: fc.nat({ max: 2 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
        await database.db.deleteFrom('mdm_connections').execute();
        const dataDir = await mkdtemp(path.join(tmpdir(), 'satchel-rotate-model-'));
        directories.push(dataDir);
        const config = loadConfig({ SATCHEL_DATA_DIR: dataDir });
        const seeded = [...(await seedSecrets(await resolveKeyring(config), 3)).entries()];
        const model = new Map(seeded.map(([id, entry]) => [id, entry.plaintext]));
        for (const step of commands) {
          const [id, entry] = seeded[step.kind === 'rotate' ? 0 : step.row]!;
          if (step.kind === 'write') {
            const keyring = await resolveKeyring(config);
            const secret = encryptSecret(keyring, step.value, {
              table: 'mdm_connections',
              rowId: id,
              districtId: entry.districtId,
              field: 'secret',
            });
            await updateConnection(database.db, id, { secret, secret_key_id: keyring.current.id });
            model.set(id, step.value);
          } else if (step.kind === 'rotate') {
            let processed = 0;
            await rotateSecretKey(database.db, config, {
              afterEach: () => {
                if (step.crashAfter !== undefined && ++processed > step.crashAfter) throw new Error('crash');
              },
            }).catch((error: Error) => {
              if (error.message !== 'crash') throw error;
            });
          } else {
            const [row] = await readBack(await resolveKeyring(config), [id]);
            expect(row?.plaintext).toBe(model.get(id));
          }
        }
        const final = await readBack(await resolveKeyring(config), model.keys());
        for (const row of final) expect(row.plaintext).toBe(model.get(row.id));
      }),
      { numRuns: 30 },
    );
  });
});
