import { describe, expect, it } from 'vitest';
import { withTestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';
import { importDevicesCsv } from '../../setup/imports.ts';

const testApp = withTestApp();

async function newAdmin(): Promise<Session> {
  const { app, database } = testApp();
  return signIn(app, (await createDistrict(database)).admin);
}

describe('text input', () => {
  it('answers a NUL character in a JSON string with a 400 naming the field', async () => {
    const session = await newAdmin();
    const response = await session.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: { 'content-type': 'application/json' },
      payload: '{"serialNumber":"NUL1","notes":"before\\u0000after"}',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({
      code: 'invalid',
      details: [{ path: 'body.notes', message: 'contains a NUL character' }],
    });
  });

  it('answers invalid UTF-8 in a JSON body with a 400 naming the field, instead of storing U+FFFD', async () => {
    const session = await newAdmin();
    const payload = Buffer.concat([
      Buffer.from('{"serialNumber":"UTF1","model":"caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}'),
    ]);
    const response = await session.inject({
      method: 'POST',
      url: '/api/v1/devices',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([
      { path: 'body.model', message: 'is not valid UTF-8 text' },
    ]);
    const list = (await session.inject({ method: 'GET', url: '/api/v1/devices?q=UTF1' })).json();
    expect(list.total).toBe(0);
  });

  it('answers a NUL or invalid UTF-8 in a query parameter with a 400 naming it', async () => {
    const session = await newAdmin();
    for (const [query, message] of [
      ['q=a%00b', 'contains a NUL character'],
      ['q=caf%E9', 'is not valid UTF-8 text'],
    ]) {
      const response = await session.inject({ method: 'GET', url: `/api/v1/devices?${query}` });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details).toEqual([{ path: 'query.q', message }]);
    }
  });

  it('rejects a CSV cell holding a NUL as an invalid row, in a dry run and a real import alike', async () => {
    const session = await newAdmin();
    const csv = 'serial_number,notes\nCSVNUL1,fine\nCSVNUL2,bad\u0000cell\n';
    const problem = { line: 3, column: 'notes', reason: 'The cell contains a NUL character' };
    const preview = await importDevicesCsv(session, csv, 'dryRun=true');
    expect(preview.json()).toMatchObject({ invalid: 1, problems: [problem] });
    const real = await importDevicesCsv(session, csv, 'dryRun=false');
    expect(real.statusCode).toBe(200);
    expect(real.json()).toMatchObject({ committed: false, invalid: 1, problems: [problem] });
    const skipped = await importDevicesCsv(session, csv, 'dryRun=false&skipInvalid=true');
    expect(skipped.json()).toMatchObject({ committed: true, create: 1, invalid: 1 });
  });

  it('names the line of a CSV file that is not UTF-8', async () => {
    const session = await newAdmin();
    const csv = Buffer.concat([Buffer.from('serial_number,notes\nL1,ok\nL2,caf'), Buffer.from([0xe9, 0x0a])]);
    const response = await importDevicesCsv(session, csv, 'dryRun=true');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/not UTF-8 text \(invalid bytes on line 3\)/);
  });
});
