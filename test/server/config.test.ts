import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.ts';

describe('configuration', () => {
  it('needs nothing to start in embedded mode', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      secureCookies: false,
      logLevel: 'info',
      database: { kind: 'pglite' },
      secretKey: undefined,
    });
    expect(config.dataDir).toMatch(/\/data$/);
  });

  it('uses PostgreSQL when DATABASE_URL is set, and secure cookies behind https', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://satchel@db.internal/satchel',
      PUBLIC_URL: 'https://satchel.example.org/',
      SATCHEL_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://satchel@db.internal/satchel' });
    expect(config.publicUrl).toBe('https://satchel.example.org');
    expect(config.secureCookies).toBe(true);
    expect(config.secretKey?.length).toBe(32);
  });

  it('keeps half the sync slots for small districts, and always one slot for any run', () => {
    expect(loadConfig({}).syncReservedSlots).toBe(1);
    expect(loadConfig({ SATCHEL_SYNC_CONCURRENCY: '20' }).syncReservedSlots).toBe(10);
    expect(loadConfig({ SATCHEL_SYNC_CONCURRENCY: '1' }).syncReservedSlots).toBe(0);
    expect(
      loadConfig({ SATCHEL_SYNC_CONCURRENCY: '4', SATCHEL_SYNC_RESERVED_SLOTS: '9' }).syncReservedSlots,
    ).toBe(3);
    expect(
      loadConfig({ SATCHEL_SYNC_CONCURRENCY: '4', SATCHEL_SYNC_RESERVED_SLOTS: '0' }).syncReservedSlots,
    ).toBe(0);
  });

  it('explains every bad value at once', () => {
    expect(() =>
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        SATCHEL_SECRET_KEY: 'short',
        LOG_LEVEL: 'loud',
      }),
    ).toThrow(
      /PORT[\s\S]*DATABASE_URL: must be a postgres[\s\S]*SATCHEL_SECRET_KEY: must be 32 bytes[\s\S]*LOG_LEVEL/,
    );
  });

  it('requires a secret key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SATCHEL_SECRET_KEY: required when NODE_ENV=production/,
    );
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).database.kind).toBe('pglite');
  });
});

describe('log redaction', () => {
  it('keeps the names of a logged URL’s parameters and none of their values', async () => {
    const { redactUrl } = await import('../../src/server/logger.ts');
    expect(redactUrl('/cb?state=abc&code=4/0Axyz&scope=a+b')).toBe('/cb?state=~&code=~&scope=~');
    expect(redactUrl('/api/v1/people?q=stu.dent%40example.org&page=2')).toBe('/api/v1/people?q=~&page=~');
    expect(redactUrl('/plain')).toBe('/plain');
  });
});
