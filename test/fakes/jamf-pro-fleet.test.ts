import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  generateFleet,
  IPAD_MODELS,
  JUNK_SERIALS,
  MAC_MODELS,
  startFakeJamfPro,
} from '../../fakes/jamf-pro/index.ts';
import { accessToken, COMPUTERS, get, MOBILE_DEVICES, type Page } from './jamf-pro-helpers.ts';

const root = path.resolve(import.meta.dirname, '../..');
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const MAC = /^([0-9A-F]{2}:){5}[0-9A-F]{2}$/;

describe('Jamf Pro fleet generator', () => {
  it('is deterministic per seed', () => {
    const a = generateFleet({ size: 150, seed: 42 });
    expect(JSON.stringify(generateFleet({ size: 150, seed: 42 }))).toBe(JSON.stringify(a));
    expect(JSON.stringify(generateFleet({ size: 150, seed: 43 }))).not.toBe(JSON.stringify(a));
  });

  it('makes Macs that look like Jamf computer records', () => {
    const { computers } = generateFleet({ size: 400, seed: 'macs', ipadShare: 0, domain: 'k12.example.net' });
    expect(computers).toHaveLength(400);
    expect(computers.map((c) => c.id)).toEqual(computers.map((_, i) => String(i + 1)));
    expect(new Set(computers.map((c) => c.hardware!.serialNumber)).size).toBe(400);
    for (const c of computers) {
      const model = MAC_MODELS.find((m) => m.identifier === c.hardware!.modelIdentifier)!;
      expect(model).toBeDefined();
      const serial = c.hardware!.serialNumber!;
      if (model.serialSuffix) expect(serial).toMatch(new RegExp(`^[A-Z0-9]{8}${model.serialSuffix}$`));
      else expect(serial).toMatch(/^[0-9BCDFGHJKLMNPQRTVWXYZ]{10}$/);
      expect(c.udid).toMatch(/^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-A[0-9A-F]{3}-[0-9A-F]{12}$/);
      expect(c.hardware).toMatchObject({
        make: 'Apple',
        appleSilicon: model.appleSilicon,
        macAddress: expect.stringMatching(MAC),
      });
      const general = c.general!;
      for (const t of [general.lastContactTime, general.reportDate, general.lastEnrolledDate])
        expect(t).toMatch(TIMESTAMP);
      expect(Date.parse(general.reportDate!)).toBeLessThanOrEqual(Date.parse(general.lastContactTime!));
      expect(Date.parse(general.lastEnrolledDate!)).toBeLessThan(Date.parse(general.lastContactTime!));
      expect(Date.parse(general.lastContactTime!)).toBeLessThanOrEqual(Date.parse('2026-11-20T12:00:00Z'));
      expect(general.remoteManagement?.managed).toBe(true);
      expect(c.userAndLocation!.email).toMatch(/@k12\.example\.net$/);
      expect(Number(c.operatingSystem!.version!.split('.')[0])).toBeLessThanOrEqual(model.maxMajor);
      expect(c.purchasing!.warrantyDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(c.storage!.bootDriveAvailableSpaceMegabytes).toBeLessThan(model.diskMb);
    }
    expect(new Set(computers.map((c) => c.hardware!.model)).size).toBeGreaterThan(4);
    expect(computers.some((c) => c.hardware!.serialNumber!.length === 12)).toBe(true);
    expect(computers.some((c) => c.hardware!.serialNumber!.length === 10)).toBe(true);
    expect(computers.filter((c) => c.general!.assetTag).length).toBeGreaterThan(320);
    expect(computers.some((c) => !c.general!.supervised)).toBe(true);
  });

  it('makes iPads that look like Jamf mobile device records, some unsupervised, some in lost mode', () => {
    const { mobileDevices, manifest } = generateFleet({ size: 500, seed: 'ipads', ipadShare: 1 });
    expect(mobileDevices).toHaveLength(500);
    for (const d of mobileDevices) {
      const model = IPAD_MODELS.find((m) => m.identifier === d.hardware!.modelIdentifier)!;
      const serial = d.hardware!.serialNumber!;
      if (model.serialSuffix)
        expect(serial).toMatch(new RegExp(`^(DMP|DMQ|DLX|F9F|GG7|F4K)[A-Z0-9]{5}${model.serialSuffix}$`));
      else expect(serial).toMatch(/^[0-9BCDFGHJKLMNPQRTVWXYZ]{10}$/);
      expect(d.general!.udid).toMatch(model.newUdid ? /^0000[0-9A-F]{4}-00[0-9A-F]{14}$/ : /^[0-9a-f]{40}$/);
      expect(d).toMatchObject({
        deviceType: 'iOS',
        general: { managed: true, deviceOwnershipType: 'Institutional' },
      });
      expect(d.general!.lastInventoryUpdateDate).toMatch(TIMESTAMP);
      expect(d.hardware!.wifiMacAddress).toMatch(MAC);
      expect(d.hardware!.availableSpaceMb).toBeLessThan(d.hardware!.capacityMb!);
      expect(d.hardware!.batteryLevel).toBeGreaterThanOrEqual(5);
      expect(d.userAndLocation!.building).toBeTruthy();
      if (!d.general!.supervised) expect(d.security!.activationLockEnabled).toBe(true);
    }
    const unsupervised = mobileDevices.filter((d) => !d.general!.supervised).length;
    expect(unsupervised).toBeGreaterThan(10);
    expect(unsupervised).toBeLessThan(100);
    const lost = mobileDevices.filter((d) => d.security!.lostModeEnabled);
    expect(lost.map((d) => d.mobileDeviceId).sort()).toEqual([...manifest.lostMode].sort());
    expect(lost).toHaveLength(10);
    for (const d of lost)
      expect(d.security).toMatchObject({
        lostModeMessage: expect.any(String),
        lostModeLocation: { lastLocationUpdate: expect.stringMatching(TIMESTAMP) },
      });
  });

  it('honours serials, case variants, duplicates, junk and lost mode', () => {
    const serials = Array.from({ length: 40 }, (_, i) => `DIST${String(i).padStart(6, '0')}`);
    const { computers, mobileDevices, manifest } = generateFleet({
      size: 100,
      seed: 7,
      serials,
      caseVariants: true,
      duplicatesOf: [serials[5]!, serials[6]!, 'NEWSERIAL01'],
      junk: 6,
      lostMode: 3,
    });
    expect(computers.length + mobileDevices.length).toBe(100 + 3 + 1 + 6);
    const record = (ref: { kind: string; id: string }) =>
      ref.kind === 'computer' ? computers[Number(ref.id) - 1]! : mobileDevices[Number(ref.id) - 1]!;
    for (const serial of serials) {
      const stored = record(manifest.bySerial[serial]!).hardware!.serialNumber!;
      expect(stored.trim().toUpperCase()).toBe(serial);
      if (serial in manifest.variants) expect(stored).toBe(manifest.variants[serial]);
      else expect(stored).toBe(serial);
    }
    expect(Object.keys(manifest.variants)).toHaveLength(4);
    expect(Object.values(manifest.variants).some((v) => v.startsWith(' '))).toBe(true);
    expect(Object.values(manifest.variants).some((v) => v === v.toLowerCase())).toBe(true);

    expect(manifest.duplicates).toHaveLength(3);
    for (const [index, serial] of [serials[5]!, serials[6]!, 'NEWSERIAL01'].entries()) {
      const current = manifest.bySerial[serial]!;
      const stale = manifest.duplicates[index]!;
      expect(stale.kind).toBe(current.kind);
      expect(Number(stale.id)).toBeGreaterThan(Number(current.id));
      const [a, b] = [record(current), record(stale)];
      expect(b.hardware!.serialNumber).toBe(a.hardware!.serialNumber);
      expect(b.hardware!.model).toBe(a.hardware!.model);
      const checkIn = (r: { general?: unknown }) => {
        const general = r.general as { lastContactTime?: string; lastInventoryUpdateDate?: string };
        return Date.parse(general.lastContactTime ?? general.lastInventoryUpdateDate!);
      };
      expect(checkIn(b)).toBeLessThan(checkIn(a) - 29 * 86_400_000);
    }
    expect(manifest.junk).toHaveLength(6);
    expect(manifest.junk.map((ref) => record(ref).hardware!.serialNumber)).toEqual(JUNK_SERIALS.slice(0, 6));
    expect(manifest.lostMode).toHaveLength(3);
  });

  it('serves a 20,000-device fleet quickly: a full pull and serial lookups', async () => {
    const serials = Array.from({ length: 12_000 }, (_, i) => `BIG${String(i).padStart(8, '0')}`);
    const fleet = generateFleet({ size: 20_000, seed: 'big', serials });
    const fake = await startFakeJamfPro({ computers: fleet.computers, mobileDevices: fleet.mobileDevices });
    try {
      const token = await accessToken(fake.url);
      const started = performance.now();
      let seen = 0;
      for (let page = 0; ; page++) {
        const { body } = await get(fake.url, MOBILE_DEVICES, token, {
          page,
          'page-size': 2000,
          section: 'HARDWARE',
        });
        seen += body.results.length;
        if (body.results.length < 2000) break;
      }
      expect(seen).toBe(fleet.mobileDevices.length);
      const macSerials = serials.filter((s) => fleet.manifest.bySerial[s]!.kind === 'computer');
      for (let i = 0; i < 10; i++) {
        const batch = macSerials.slice(i * 300, i * 300 + 300);
        const { body } = await get<Page>(fake.url, COMPUTERS, token, {
          filter: `hardware.serialNumber=in=(${batch.join(',')})`,
          'page-size': 2000,
        });
        expect(body.totalCount).toBe(batch.length);
      }
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      await fake.close();
    }
  });
});

describe('node fakes/jamf-pro/cli.ts', () => {
  let dir: string | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child?.pid && child.exitCode === null) child.kill('SIGTERM');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves generated fleets for the default and extra instances and prints the settings for Satchel', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fake-jamf-'));
    const serialsFile = path.join(dir, 'inventory.csv');
    await writeFile(serialsFile, 'serial,asset\nCLISERIAL001,A1\nCLISERIAL002,A2\n');
    child = spawn(
      process.execPath,
      [
        path.join(root, 'fakes/jamf-pro/cli.ts'),
        '--port',
        '0',
        '--size',
        '30',
        '--serials',
        serialsFile,
        '--instances',
        'north',
        '--client-id',
        'cli-client',
        '--client-secret',
        'cli-secret',
        '--token-paths',
        'v1',
        '--concurrency-limit',
        '5',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no settings printed: ${output}`)), 15_000);
      child!.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('JAMF_PRO_CLIENT_SECRET=')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const settings = Object.fromEntries(
      output
        .split('\n')
        .filter((line) => /^JAMF_PRO_[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(settings).toEqual({
      JAMF_PRO_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      JAMF_PRO_CLIENT_ID: 'cli-client',
      JAMF_PRO_CLIENT_SECRET: 'cli-secret',
    });
    const base = settings.JAMF_PRO_BASE_URL!;
    const client = { clientId: 'cli-client', clientSecret: 'cli-secret' };
    const tokenAt = (instance: string) =>
      fetch(`${instance}/api/v1/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.clientId,
          client_secret: client.clientSecret,
        }),
      });
    expect((await fetch(`${base}/api/oauth/token`, { method: 'POST' })).status).toBe(404);
    const token = ((await (await tokenAt(base)).json()) as { access_token: string }).access_token;
    const computers = await get(base, COMPUTERS, token, {
      filter: 'hardware.serialNumber=in=(CLISERIAL001,CLISERIAL002)',
    });
    const ipads = await get(base, MOBILE_DEVICES, token, {
      filter: 'serialNumber=in=(CLISERIAL001,CLISERIAL002)',
    });
    expect(computers.body.totalCount + ipads.body.totalCount).toBe(2);

    const instances = (await (await fetch(`${base}/__fake/instances`)).json()) as {
      instances: {
        name: string;
        url: string;
        computers: number;
        mobileDevices: number;
        settings: { concurrencyLimit: number };
      }[];
    };
    expect(instances.instances.map((i) => i.name)).toEqual(['default', 'north']);
    for (const instance of instances.instances) {
      expect(instance.computers + instance.mobileDevices).toBe(30);
      expect(instance.settings.concurrencyLimit).toBe(5);
    }
    expect((await tokenAt(`${base}/instances/north`)).status).toBe(200);
  });
});
