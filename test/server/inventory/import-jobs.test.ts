import { describe, expect, it } from 'vitest';
import { clientErrorResponse } from '../../../src/server/http/client-errors.ts';
import { MAX_PROBLEMS_KEPT } from '../../../src/server/inventory/csv/problem-log.ts';
import { withTestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';
import { finishedImport, importDevicesCsv } from '../../setup/imports.ts';

const testApp = withTestApp();

async function newAdmin(): Promise<Session> {
  const { app, database } = testApp();
  return signIn(app, (await createDistrict(database)).admin);
}

async function deviceCount(session: Session): Promise<number> {
  return (await session.inject({ method: 'GET', url: '/api/v1/devices?pageSize=1' })).json().total;
}

function goodRows(count: number, prefix: string): string {
  const lines = ['serial_number,asset_tag,model,type,status'];
  for (let index = 0; index < count; index++)
    lines.push(
      `${prefix}${String(index).padStart(6, '0')},${prefix}T${index},Chromebook 3110,chromebook,in_service`,
    );
  return `${lines.join('\n')}\n`;
}

describe('imports in the background', () => {
  it('answer 202 with an import to follow, which checks, then writes every row, and can be found again', async () => {
    const session = await newAdmin();
    const csv = goodRows(1200, 'BG');
    const check = await importDevicesCsv(session, csv, 'dryRun=true&background=true');
    expect(check.statusCode).toBe(202);
    expect(check.json()).toMatchObject({ state: 'queued', dryRun: true, totalBytes: Buffer.byteLength(csv) });
    const checked = await finishedImport(session, check);
    expect(checked).toMatchObject({
      state: 'succeeded',
      readBytes: Buffer.byteLength(csv),
      rows: 1200,
      result: { dryRun: true, committed: false, create: 1200, invalid: 0 },
      error: null,
    });
    expect(await deviceCount(session)).toBe(0);

    const imported = await finishedImport(
      session,
      await importDevicesCsv(session, csv, 'dryRun=false&background=true'),
    );
    expect(imported.result).toMatchObject({ committed: true, create: 1200 });
    expect(await deviceCount(session)).toBe(1200);

    const listed = (await session.inject({ method: 'GET', url: '/api/v1/imports' })).json().imports;
    expect(listed.map((job: { id: string }) => job.id)).toEqual([imported.id, checked.id]);
    const stranger = await newAdmin();
    expect((await stranger.inject({ method: 'GET', url: `/api/v1/imports/${imported.id}` })).statusCode).toBe(
      404,
    );
    expect((await stranger.inject({ method: 'GET', url: '/api/v1/imports' })).json().imports).toEqual([]);
  });

  it('write nothing when a row is invalid, and report a file that cannot be read as a failed import', async () => {
    const session = await newAdmin();
    const csv = `${goodRows(50, 'NO')}NOBAD,,,spaceship,in_service\n`;
    const refused = await finishedImport(
      session,
      await importDevicesCsv(session, csv, 'dryRun=false&background=true'),
    );
    expect(refused.result).toMatchObject({ committed: false, invalid: 1, create: 50 });
    expect(await deviceCount(session)).toBe(0);

    // Bad bytes far past the header: found by the import, not when the file is received.
    const latin1 = Buffer.concat([
      Buffer.from(goodRows(5000, 'LA')),
      Buffer.from('LAT,caf'),
      Buffer.from([0xe9, 0x0a]),
    ]);
    const failed = await finishedImport(
      session,
      await importDevicesCsv(session, latin1, 'dryRun=false&background=true'),
    );
    expect(failed).toMatchObject({
      state: 'failed',
      result: null,
      error: { code: 'invalid', message: expect.stringMatching(/not UTF-8 text/) },
    });
  });

  it('keep the first 1,000 problems and count all of them by reason', async () => {
    const session = await newAdmin();
    const lines = ['serial_number,type,status,purchase_date,warranty_end'];
    for (let index = 0; index < 3000; index++) lines.push('1,x,x,x,x');
    const checked = await finishedImport(
      session,
      await importDevicesCsv(session, `${lines.join('\n')}\n`, 'dryRun=true&background=true'),
    );
    const result = checked.result!;
    expect(result.rows).toBe(3000);
    expect(result.invalid).toBe(3000);
    expect(result.problems).toHaveLength(MAX_PROBLEMS_KEPT);
    // Every row: four bad cells.
    expect(result.problemCount).toBe(3000 * 4);
    expect(result.problemsByReason).toEqual(
      expect.arrayContaining([
        { column: 'type', reason: expect.stringMatching(/^Unknown type "…"/), count: 3000 },
        { column: 'purchase_date', reason: '"…" is not a date; use YYYY-MM-DD or MM/DD/YYYY', count: 3000 },
      ]),
    );
  });

  it('refuse a header of more than 200 columns at once, with a clear 400', async () => {
    const session = await newAdmin();
    const started = performance.now();
    const wide = `serial_number,${Array.from({ length: 200_000 }, (_, index) => `c${index}`).join(',')}\nX1\n`;
    const response = await importDevicesCsv(session, wide, 'dryRun=true');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toBe(
      'The header has 200001 columns; Satchel reads at most 200. Remove the columns it does not need',
    );
    expect(performance.now() - started).toBeLessThan(5000);
    const duplicated = await importDevicesCsv(session, 'serial_number,notes,Notes\nX1,a,b\n', 'dryRun=true');
    expect(duplicated.json().error.message).toBe('The header names notes more than once');
  });

  it('answer a request that takes too long to arrive in the product’s error shape', () => {
    const timeout = Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' });
    const [head, body] = clientErrorResponse(timeout).split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(JSON.parse(body!)).toEqual({
      error: { code: 'invalid', message: expect.stringMatching(/too long/) },
    });
  });
});
