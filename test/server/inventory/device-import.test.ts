import { describe, expect, it } from 'vitest';
import { withTestApp } from '../../setup/app.ts';
import { createDistrict, type Session, signIn } from '../../setup/factories.ts';
import { finishedImport } from '../../setup/imports.ts';

const testApp = withTestApp();

async function newAdmin(): Promise<Session> {
  const { app, database } = testApp();
  return signIn(app, (await createDistrict(database)).admin);
}

function importCsv(session: Session, csv: string | Buffer, query = 'dryRun=false') {
  return session.inject({
    method: 'POST',
    url: `/api/v1/devices/import?${query}`,
    headers: { 'content-type': 'text/csv' },
    payload: csv,
  });
}

async function deviceCount(session: Session): Promise<number> {
  return (await session.inject({ method: 'GET', url: '/api/v1/devices?pageSize=1' })).json().total;
}

async function setUp(session: Session) {
  await session.inject({
    method: 'POST',
    url: '/api/v1/schools',
    payload: { name: 'Lincoln High', code: 'LHS' },
  });
  await session.inject({
    method: 'POST',
    url: '/api/v1/people',
    payload: { kind: 'student', name: 'Ana Diaz', email: 'ana@students.example.org', externalId: '100200' },
  });
}

const GOOD = [
  'Serial_Number,Asset Tag,Model,Manufacturer,Type,Status,School,Assigned_To,Notes,Color',
  '5CD1111AAA,LHS-1,Chromebook 3110,Dell,chromebook,In Service,LHS,ana@students.example.org,,blue',
  '5CD1111BBB,LHS-2,Chromebook 3110,Dell,Chromebook,spare,lincoln high,,"Spare pool, cart 2",red',
  'R9K2222CCC,,Latitude 5440,Dell,laptop,in_repair,,,,',
].join('\n');

describe('device CSV import', () => {
  it('previews a file without writing, then imports it, and a re-import changes nothing', async () => {
    const session = await newAdmin();
    await setUp(session);
    const preview = await importCsv(session, GOOD, 'dryRun=true');
    expect(preview.statusCode).toBe(200);
    expect(preview.json()).toEqual({
      dryRun: true,
      committed: false,
      rows: 3,
      create: 3,
      update: 0,
      unchanged: 0,
      invalid: 0,
      unknownColumns: ['color'],
      problems: [],
      problemCount: 0,
      problemsByReason: [],
    });
    expect(await deviceCount(session)).toBe(0);

    const imported = await importCsv(session, GOOD);
    expect(imported.json()).toMatchObject({ committed: true, create: 3, invalid: 0 });
    const list = (await session.inject({ method: 'GET', url: '/api/v1/devices' })).json();
    expect(list.total).toBe(3);
    const first = list.devices.find((d: { serialNumber: string }) => d.serialNumber === '5CD1111AAA');
    expect(first).toMatchObject({
      status: 'in_service',
      school: { name: 'Lincoln High' },
      assignedTo: { name: 'Ana Diaz' },
    });
    const spare = list.devices.find((d: { serialNumber: string }) => d.serialNumber === '5CD1111BBB');
    expect(spare).toMatchObject({
      status: 'spare',
      notes: 'Spare pool, cart 2',
      school: { name: 'Lincoln High' },
    });
    const history = (
      await session.inject({ method: 'GET', url: `/api/v1/devices/${first.id}/history` })
    ).json();
    expect(history.assignments).toHaveLength(1);

    const again = await importCsv(session, GOOD);
    expect(again.json()).toMatchObject({ committed: true, create: 0, update: 0, unchanged: 3 });
    expect(
      (await session.inject({ method: 'GET', url: `/api/v1/devices/${first.id}/history` })).json()
        .assignments,
    ).toHaveLength(1);
  });

  it('updates by serial key, leaves empty cells alone, and records before/after', async () => {
    const session = await newAdmin();
    await setUp(session);
    await importCsv(session, GOOD);
    const change = ['serial_number,status,model,notes', '5cd1111bbb,in_service,,Back from cart'].join('\r\n');
    const result = await importCsv(session, change);
    expect(result.json()).toMatchObject({ committed: true, create: 0, update: 1, unchanged: 0 });
    const device = (await session.inject({ method: 'GET', url: '/api/v1/devices?q=5CD1111BBB' })).json()
      .devices[0];
    expect(device).toMatchObject({
      serialNumber: '5cd1111bbb',
      model: 'Chromebook 3110',
      status: 'in_service',
      notes: 'Back from cart',
    });
    const history = (
      await session.inject({ method: 'GET', url: `/api/v1/devices/${device.id}/history` })
    ).json();
    const updated = history.events.find((event: { action: string }) => event.action === 'device.updated');
    expect(updated.details.changes).toMatchObject({
      status: { from: 'spare', to: 'in_service' },
      notes: { from: 'Spare pool, cart 2', to: 'Back from cart' },
    });
  });

  it('reports every invalid row with line, column and reason, and writes nothing', async () => {
    const session = await newAdmin();
    await setUp(session);
    await importCsv(session, 'serial_number,asset_tag\nEXISTING1,TAKEN-1');
    const csv = [
      'serial_number,asset_tag,type,status,school,assigned_to,purchase_date',
      'OK0001,,,,,,',
      ',NO-SERIAL,,,,,',
      'BAD0002,,toaster,,,,',
      'BAD0003,,,vanished,,,',
      'BAD0004,,,,Hogwarts,,',
      'BAD0005,,,,,nobody@example.org,',
      'BAD0006,TAKEN-1,,,,,',
      'ok 0001,,,,,,',
      'BAD0008,,,,,,31/02/2025',
      'BAD0009,,,lost,,ana@students.example.org,',
    ].join('\n');
    const result = await importCsv(session, csv);
    const body = result.json();
    expect(body).toMatchObject({ committed: false, rows: 10, invalid: 9 });
    expect(body.problems.map((p: { line: number; column: string }) => [p.line, p.column])).toEqual([
      [3, 'serial_number'],
      [4, 'type'],
      [5, 'status'],
      [9, 'serial_number'],
      [10, 'purchase_date'],
      [6, 'school'],
      [7, 'assigned_to'],
      [8, 'asset_tag'],
      [11, 'assigned_to'],
    ]);
    expect(body.problems.find((p: { line: number }) => p.line === 9).reason).toBe(
      'Duplicate serial number (also on line 2)',
    );
    expect(body.problems.find((p: { line: number }) => p.line === 8).reason).toBe(
      'Asset tag TAKEN-1 is already on device EXISTING1',
    );
    expect(await deviceCount(session)).toBe(1);

    const partial = await importCsv(session, csv, 'dryRun=false&skipInvalid=true');
    expect(partial.json()).toMatchObject({ committed: true, create: 1, invalid: 9 });
    expect(await deviceCount(session)).toBe(2);
  });

  it('reports every problem of a row at once, and names both date forms it accepts', async () => {
    const session = await newAdmin();
    const csv = [
      'serial_number,type,status,purchase_date,warranty_end',
      'MANY0001,toaster,vanished,2025-13-01,13/40/2026',
    ];
    const body = (await importCsv(session, csv.join('\n'))).json();
    expect(body.problems).toEqual([
      { line: 2, column: 'type', reason: expect.stringContaining('Unknown type "toaster"') },
      { line: 2, column: 'status', reason: expect.stringContaining('Unknown status "vanished"') },
      {
        line: 2,
        column: 'purchase_date',
        reason: '"2025-13-01" is not a date; use YYYY-MM-DD or MM/DD/YYYY',
      },
      { line: 2, column: 'warranty_end', reason: '"13/40/2026" is not a date; use YYYY-MM-DD or MM/DD/YYYY' },
    ]);
    // Both forms it names are taken.
    const good = ['serial_number,purchase_date,warranty_end', 'FORMS0001,2025-08-15,8/15/2029'].join('\n');
    expect((await importCsv(session, good)).json()).toMatchObject({ committed: true, create: 1 });
  });

  it('handles a BOM, CRLF line ends and quoted newlines, with line numbers that count them', async () => {
    const session = await newAdmin();
    const csv = '\uFEFFserial_number,notes\r\nQN1,"first line\r\nsecond line"\r\nQN2,plain\r\n,"x"\r\n';
    const result = (await importCsv(session, csv)).json();
    expect(result.problems).toEqual([
      { line: 5, column: 'serial_number', reason: 'Serial number is required' },
    ]);
    const ok = (await importCsv(session, csv.replace('\r\n,"x"\r\n', '\r\n'))).json();
    expect(ok).toMatchObject({ committed: true, create: 2, unknownColumns: [] });
    const device = (await session.inject({ method: 'GET', url: '/api/v1/devices?q=QN1' })).json().devices[0];
    expect(device.notes).toBe('first line\r\nsecond line');
  });

  it('rejects files that are not UTF-8, have no header, or are broken, writing nothing', async () => {
    const session = await newAdmin();
    const latin1 = Buffer.concat([
      Buffer.from('serial_number,notes\nL1,caf'),
      Buffer.from([0xe9]),
      Buffer.from('\n'),
    ]);
    const cases: [string | Buffer, RegExp][] = [
      [latin1, /not UTF-8/],
      ['', /empty/],
      ['5CD1111AAA,LHS-1\n5CD1111BBB,LHS-2', /missing required column serial_number/],
      ['serial_number,notes\nU1,"unclosed\nU2,x\n', /not valid CSV/],
    ];
    for (const [csv, message] of cases) {
      const response = await importCsv(session, csv);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toMatch(message);
    }
    expect(await deviceCount(session)).toBe(0);
    const json = await session.inject({
      method: 'POST',
      url: '/api/v1/devices/import?dryRun=false',
      payload: { serial_number: 'X' },
    });
    expect(json.statusCode).toBe(400);
  });

  it('rejects a 1 MB cell as an invalid row instead of storing it', async () => {
    const session = await newAdmin();
    const csv = `serial_number,notes\nBIG1,${'x'.repeat(1024 * 1024)}\nSMALL1,fine\n`;
    // Over 1 MB, the file is imported in the background.
    const { result } = await finishedImport(session, await importCsv(session, csv));
    expect(result).toMatchObject({ committed: false, invalid: 1 });
    expect(result?.problems[0]).toEqual({
      line: 2,
      column: 'notes',
      reason: 'Longer than 5000 characters (1048576)',
    });
    expect(await deviceCount(session)).toBe(0);
  });

  it('checks an assigned device in when the import marks it out of use, and reassigns', async () => {
    const session = await newAdmin();
    await setUp(session);
    await session.inject({
      method: 'POST',
      url: '/api/v1/people',
      payload: { kind: 'staff', name: 'Ben Cho', externalId: 'T-9' },
    });
    await importCsv(session, 'serial_number,assigned_to\nMOVE1,100200\nLOSE1,ana@students.example.org');
    const moved = (
      await importCsv(session, 'serial_number,assigned_to,status\nMOVE1,T-9,\nLOSE1,,stolen')
    ).json();
    expect(moved).toMatchObject({ committed: true, update: 2 });
    const list = (await session.inject({ method: 'GET', url: '/api/v1/devices?sort=serialNumber' })).json()
      .devices;
    expect(
      list.map((d: { serialNumber: string; assignedTo: { name: string } | null; status: string }) => [
        d.serialNumber,
        d.assignedTo?.name ?? null,
        d.status,
      ]),
    ).toEqual([
      ['LOSE1', null, 'stolen'],
      ['MOVE1', 'Ben Cho', 'in_service'],
    ]);
    const history = (
      await session.inject({ method: 'GET', url: `/api/v1/devices/${list[1].id}/history` })
    ).json();
    expect(
      history.assignments.map((a: { person: { name: string }; checkInNote: string | null }) => [
        a.person.name,
        a.checkInNote,
      ]),
    ).toEqual([
      ['Ben Cho', null],
      ['Ana Diaz', 'Reassigned by CSV import'],
    ]);
  });

  it('is refused to viewers', async () => {
    const { app, database } = testApp();
    const district = await createDistrict(database);
    const { addUser } = await import('../../setup/factories.ts');
    const viewer = await signIn(app, await addUser(database, district, 'viewer'));
    expect((await importCsv(viewer, GOOD)).statusCode).toBe(403);
  });
});

describe('device CSV export', () => {
  it('exports the filtered devices with import-compatible columns, escaping spreadsheet formulas', async () => {
    const session = await newAdmin();
    await setUp(session);
    await importCsv(session, GOOD);
    await session.inject({
      method: 'POST',
      url: '/api/v1/devices',
      payload: { serialNumber: 'EVIL1', model: '=HYPERLINK("http://x")', notes: '@SUM(A1)', status: 'spare' },
    });
    const response = await session.inject({ method: 'GET', url: '/api/v1/devices/export.csv?status=spare' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="devices-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const lines = response.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'serial_number,asset_tag,model,manufacturer,type,status,school,assigned_to,assigned_name,purchase_date,warranty_end,notes,updated_at,updated_at_iso',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^5CD1111BBB,LHS-2,Chromebook 3110,Dell,chromebook,spare,Lincoln High,,,,,"Spare pool, cart 2",/,
    );
    expect(lines[2]).toMatch(/^EVIL1,,"'=HYPERLINK\(""http:\/\/x""\)",,chromebook,spare,,,,,,'@SUM\(A1\),/);

    const all = await session.inject({ method: 'GET', url: '/api/v1/devices/export.csv' });
    const reimport = (await importCsv(session, all.body.replace(/^\uFEFF/, ''), 'dryRun=true')).json();
    expect(reimport).toMatchObject({
      rows: 4,
      invalid: 0,
      unknownColumns: ['assigned_name', 'updated_at', 'updated_at_iso'],
    });
    // Only the device whose cells were disarmed differs on the way back.
    expect(reimport).toMatchObject({ unchanged: 3, update: 1 });
  });

  it('writes times in the district’s time zone, with the ISO time beside them for scripts', async () => {
    const session = await newAdmin();
    await importCsv(session, 'serial_number\nZONE0001');
    const exportLine = async () => {
      const body = (await session.inject({ method: 'GET', url: '/api/v1/devices/export.csv' })).body;
      const [header, row] = body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      const cells = row?.split(',') ?? [];
      const column = (name: string) => cells[header?.split(',').indexOf(name) ?? -1];
      return { local: column('updated_at'), iso: column('updated_at_iso') };
    };
    // A district set up before time zones: UTC until an administrator picks one.
    const before = await exportLine();
    expect(before.local).toBe(`${before.iso?.slice(0, 10)} ${before.iso?.slice(11, 16)} UTC`);

    const bad = await session.inject({
      method: 'PATCH',
      url: '/api/v1/district',
      payload: { timeZone: 'Mars/Olympus' },
    });
    expect(bad.statusCode).toBe(400);
    const set = await session.inject({
      method: 'PATCH',
      url: '/api/v1/district',
      payload: { timeZone: 'America/Chicago' },
    });
    expect(set.json()).toMatchObject({ timeZone: 'America/Chicago' });
    const after = await exportLine();
    const expected = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/Chicago',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(new Date(after.iso ?? ''));
    expect(after.local).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2} ${expected} C[SD]T$`));
    expect(after.iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('streams a large export page by page', async () => {
    const session = await newAdmin();
    const rows = Array.from({ length: 2500 }, (_, index) => `BULK${String(index).padStart(5, '0')}`);
    await importCsv(session, `serial_number\n${rows.join('\n')}`);
    const response = await session.inject({ method: 'GET', url: '/api/v1/devices/export.csv' });
    const serials = response.body
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => line.split(',')[0]);
    expect(serials).toEqual(rows);
  });
});
