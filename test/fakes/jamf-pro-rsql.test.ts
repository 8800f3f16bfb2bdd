import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeComputer,
  type FakeJamfPro,
  type FakeMobileDevice,
  generateFleet,
  parseRsql,
  RsqlSyntaxError,
  startFakeJamfPro,
} from '../../fakes/jamf-pro/index.ts';
import { accessToken, COMPUTERS, get, jamfError, MOBILE_DEVICES, type Page } from './jamf-pro-helpers.ts';

describe('RSQL parser', () => {
  it('reads comparisons, lists, quotes, groups, AND before OR', () => {
    expect(parseRsql('hardware.serialNumber==C02XK1JGJG5H')).toEqual({
      kind: 'comparison',
      selector: 'hardware.serialNumber',
      operator: '==',
      values: ['C02XK1JGJG5H'],
    });
    expect(parseRsql(`a=in=(x, "y z",'w\\'q');b=gt=2,c<=3`)).toEqual({
      kind: 'or',
      children: [
        {
          kind: 'and',
          children: [
            { kind: 'comparison', selector: 'a', operator: '=in=', values: ['x', 'y z', "w'q"] },
            { kind: 'comparison', selector: 'b', operator: '>', values: ['2'] },
          ],
        },
        { kind: 'comparison', selector: 'c', operator: '<=', values: ['3'] },
      ],
    });
    expect(parseRsql('(a==1,b==2);c=out=(3)')).toMatchObject({
      kind: 'and',
      children: [{ kind: 'or' }, { kind: 'comparison', operator: '=out=' }],
    });
    for (const [alias, operator] of [
      ['=lt=', '<'],
      ['=le=', '<='],
      ['=ge=', '>='],
    ]) {
      expect(parseRsql(`id${alias}5`)).toMatchObject({ operator });
    }
  });

  it.each([
    '',
    'a==',
    'a==b c',
    'a=like=b',
    'a==(b,c)',
    'a=in=(b,c',
    '(a==b',
    'a=="b',
    'a=="b\'',
    'a==b;',
    '==b',
  ])('rejects %j', (filter) => {
    expect(() => parseRsql(filter)).toThrow(RsqlSyntaxError);
  });
});

describe('fake Jamf Pro: RSQL filters over HTTP', () => {
  let fake: FakeJamfPro;
  let token: string;
  const inventory = Array.from({ length: 600 }, (_, i) => `INV${String(i).padStart(7, '0')}X`);
  const fleet = generateFleet({
    size: 1500,
    seed: 'rsql',
    serials: inventory,
    caseVariants: 30,
    duplicatesOf: [inventory[40]!],
    junk: 4,
  });
  const computerSerials = Object.entries(fleet.manifest.bySerial)
    .filter(([, ref]) => ref.kind === 'computer')
    .map(([serial]) => serial);
  const ipadSerials = Object.entries(fleet.manifest.bySerial)
    .filter(([, ref]) => ref.kind === 'mobileDevice')
    .map(([serial]) => serial);

  beforeAll(async () => {
    fake = await startFakeJamfPro({ computers: fleet.computers, mobileDevices: fleet.mobileDevices });
    token = await accessToken(fake.url);
  });
  afterEach(() => {
    fake.rsqlCaseSensitive = false;
    fake.maxUrlLength = 8192;
  });
  afterAll(async () => {
    await fake.close();
  });

  const computersWhere = (filter: string, params: Record<string, string | number> = {}) =>
    get<Page<FakeComputer>>(fake.url, COMPUTERS, token, {
      filter,
      section: 'GENERAL,HARDWARE,USER_AND_LOCATION',
      'page-size': 2000,
      ...params,
    });
  const serialsOf = (page: Page<FakeComputer>) => page.results.map((c) => c.hardware!.serialNumber!);

  it('finds many known serials with one =in= request and logs them as named, not a listing', async () => {
    const wanted = computerSerials.slice(30, 230);
    const mark = fake.mark();
    const { status, body } = await computersWhere(`hardware.serialNumber=in=(${wanted.join(',')})`);
    expect(status).toBe(200);
    const expected = fleet.computers
      .filter((c) => wanted.some((s) => s.toLowerCase() === c.hardware!.serialNumber!.toLowerCase()))
      .map((c) => c.id);
    expect(body.results.map((c) => c.id).sort()).toEqual(expected.sort());
    expect(body.totalCount).toBe(expected.length);
    const [entry] = fake.requestsSince(mark);
    expect(entry).toMatchObject({
      operation: 'computers.list',
      listing: false,
      serials: wanted,
      resultCount: expected.length,
    });
  });

  type Checked = { general: { lastContactTime?: string; lastInventoryUpdateDate?: string } };

  it('returns both records of a re-enrolled serial, the stale one with the higher ID', async () => {
    const serial = inventory[40]!;
    const current = fleet.manifest.bySerial[serial]!;
    const stale = fleet.manifest.duplicates[0]!;
    expect(stale.kind).toBe(current.kind);
    const [path, field, date] =
      current.kind === 'computer'
        ? [COMPUTERS, 'hardware.serialNumber', (r: Checked) => r.general.lastContactTime]
        : [MOBILE_DEVICES, 'serialNumber', (r: Checked) => r.general.lastInventoryUpdateDate];
    const { body } = await get(fake.url, path, token, {
      filter: `${field}=="${serial}"`,
      section: 'GENERAL',
    });
    expect(body.totalCount).toBe(2);
    const byId = new Map(body.results.map((r) => [String(r.id ?? r.mobileDeviceId), r]));
    expect([...byId.keys()].sort()).toEqual([current.id, stale.id].sort());
    expect(Number(stale.id)).toBeGreaterThan(Number(current.id));
    expect(Date.parse(date(byId.get(stale.id) as Checked)!)).toBeLessThan(
      Date.parse(date(byId.get(current.id) as Checked)!),
    );
  });

  it('compares strings without regard to case unless the instance says otherwise', async () => {
    const variant = Object.entries(fleet.manifest.variants).find(
      ([wanted, stored]) =>
        fleet.manifest.bySerial[wanted]!.kind === 'computer' && stored === wanted.toLowerCase(),
    );
    expect(variant).toBeDefined();
    const [wanted, stored] = variant!;
    expect(serialsOf((await computersWhere(`hardware.serialNumber==${wanted}`)).body)).toEqual([stored]);
    fake.rsqlCaseSensitive = true;
    expect((await computersWhere(`hardware.serialNumber==${wanted}`)).body.totalCount).toBe(0);
    expect(serialsOf((await computersWhere(`hardware.serialNumber==${stored}`)).body)).toEqual([stored]);

    // A serial stored with spaces around it is missed by an exact lookup in either mode.
    const padded = Object.entries(fleet.manifest.variants).find(([, s]) => s.startsWith(' '));
    const kind = fleet.manifest.bySerial[padded![0]]!.kind;
    const path = kind === 'computer' ? COMPUTERS : MOBILE_DEVICES;
    const field = kind === 'computer' ? 'hardware.serialNumber' : 'serialNumber';
    fake.rsqlCaseSensitive = false;
    expect((await get(fake.url, path, token, { filter: `${field}==${padded![0]}` })).body.totalCount).toBe(0);
    expect((await get(fake.url, path, token, { filter: `${field}=="${padded![1]}"` })).body.totalCount).toBe(
      1,
    );
  });

  it('supports != , =out=, ranges, dates, booleans, wildcards, AND, OR and groups', async () => {
    const computers = fleet.computers;
    const count = (predicate: (c: FakeComputer) => boolean) => computers.filter(predicate).length;
    const total = async (filter: string) => (await computersWhere(filter)).body.totalCount;

    const someone = computers[5]!.userAndLocation!.username!;
    expect(await total(`userAndLocation.username==${someone.toUpperCase()}`)).toBe(
      count((c) => c.userAndLocation?.username === someone),
    );
    expect(await total(`userAndLocation.username!=${someone}`)).toBe(
      count((c) => c.userAndLocation?.username !== someone),
    );
    expect(await total('id<=100;id>90')).toBe(10);
    expect(await total('id=out=(1,2,3)')).toBe(computers.length - 3);
    expect(await total('general.lastContactTime>=2026-11-13T12:00:00Z')).toBe(
      count((c) => Date.parse(c.general!.lastContactTime!) >= Date.parse('2026-11-13T12:00:00Z')),
    );
    expect(await total('hardware.appleSilicon==false')).toBe(
      count((c) => c.hardware?.appleSilicon === false),
    );
    expect(await total('general.name==*-macbook')).toBe(count((c) => /-macbook$/i.test(c.general!.name!)));
    expect(await total('general.name==LES-*;hardware.appleSilicon==true')).toBe(
      count((c) => /^les-/i.test(c.general!.name!) && c.hardware!.appleSilicon === true),
    );
    expect(
      await total('(general.name==LES-*,general.name==RES-*);userAndLocation.email==*@district.example.org'),
    ).toBe(count((c) => /^(les|res)-/i.test(c.general!.name!)));
    expect(await total(`userAndLocation.email=="${computers[0]!.userAndLocation!.email}"`)).toBeGreaterThan(
      0,
    );
    expect(await total(`hardware.macAddress==${computers[7]!.hardware!.macAddress}`)).toBe(1);
    expect(await total(`udid==${computers[8]!.udid}`)).toBe(1);
    expect(await total(`general.assetTag=="${computers[9]!.general!.assetTag ?? 'none'}"`)).toBe(
      computers[9]!.general!.assetTag ? 1 : 0,
    );

    const lostModeCount = fleet.mobileDevices.filter((d) => d.security?.lostModeEnabled).length;
    expect(lostModeCount).toBeGreaterThan(0);
    const lost = await get<Page<FakeMobileDevice>>(fake.url, MOBILE_DEVICES, token, {
      filter: 'lostModeEnabled==true;managed==true',
      section: 'SECURITY',
      'page-size': 2000,
    });
    expect(lost.body.totalCount).toBe(lostModeCount);
    expect(lost.body.results.every((d) => d.security?.lostModeEnabled && d.security.lostModeLocation)).toBe(
      true,
    );
    const recent = await get(fake.url, MOBILE_DEVICES, token, {
      filter: 'lastInventoryUpdateDate>2026-11-19T12:00:00Z;supervised==true',
    });
    expect(recent.body.totalCount).toBe(
      fleet.mobileDevices.filter(
        (d) =>
          Date.parse(d.general!.lastInventoryUpdateDate!) > Date.parse('2026-11-19T12:00:00Z') &&
          d.general!.supervised,
      ).length,
    );
  });

  it('marks a filter that can return unnamed devices as a listing', async () => {
    const cases: [string, boolean, string[]][] = [
      [`serialNumber==${ipadSerials[0]}`, false, [ipadSerials[0]!]],
      [
        `serialNumber=in=(${ipadSerials[1]},${ipadSerials[2]});managed==true`,
        false,
        [ipadSerials[1]!, ipadSerials[2]!],
      ],
      [`serialNumber==${ipadSerials[3]},username==x`, true, [ipadSerials[3]!]],
      ['serialNumber==DMP*', true, ['DMP*']],
      ['serialNumber!=X', true, []],
      ['managed==true', true, []],
    ];
    for (const [filter, listing, serials] of cases) {
      await get(fake.url, MOBILE_DEVICES, token, { filter });
      expect(fake.requests.at(-1), filter).toMatchObject({
        operation: 'mobileDevices.list',
        listing,
        serials,
      });
    }
  });

  it('answers 400 for unknown fields, bad syntax and values the field cannot hold', async () => {
    const unknown = await computersWhere('hardware.serial==X');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual(jamfError(400, 'INVALID_FIELD'));
    expect((unknown.body as unknown as { errors: { field: string }[] }).errors[0]!.field).toBe('filter');
    // Mobile devices use flat names; the computer paths are unknown there.
    expect((await get(fake.url, MOBILE_DEVICES, token, { filter: 'hardware.serialNumber==X' })).status).toBe(
      400,
    );
    for (const filter of [
      'hardware.serialNumber==',
      'id==abc',
      'general.supervised==maybe',
      'general.reportDate>soon',
    ]) {
      const bad = await computersWhere(filter);
      expect(bad.status, filter).toBe(400);
      expect(bad.body).toEqual(jamfError(400, 'INVALID_RSQL_FILTER'));
    }
  });

  it('answers 414 when the URL is longer than a load balancer takes', async () => {
    const many = Array.from({ length: 900 }, (_, i) => `C02${String(i).padStart(9, '0')}`);
    const filter = `hardware.serialNumber=in=(${many.join(',')})`;
    const tooLong = await fetch(`${fake.url}${COMPUTERS}?filter=${encodeURIComponent(filter)}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(tooLong.status).toBe(414);
    expect(await tooLong.text()).toContain('414 Request-URI Too Large');
    expect(fake.requests.at(-1)).toMatchObject({ status: 414, serials: many, listing: false });

    fake.maxUrlLength = 20_000;
    expect((await computersWhere(filter)).status).toBe(200);
    fake.maxUrlLength = 150;
    expect((await computersWhere('id==1')).status).toBe(200);
    expect((await computersWhere(`hardware.serialNumber=in=(${many.slice(0, 10).join(',')})`)).status).toBe(
      414,
    );
  });
});
