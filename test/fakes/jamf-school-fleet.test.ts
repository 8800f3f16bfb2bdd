import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type FakeJamfSchoolDevice,
  generateFleet,
  generateFleetDetailed,
  JUNK_SERIALS,
  startFakeJamfSchool,
} from '../../fakes/jamf-school/index.ts';
import { listDevices } from './jamf-school-helpers.ts';

const root = path.resolve(import.meta.dirname, '../..');
const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

describe('Jamf School fleet generator', () => {
  it('is deterministic per seed', () => {
    const a = generateFleet({ size: 200, seed: 42 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(generateFleet({ size: 200, seed: 42 })));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(generateFleet({ size: 200, seed: 43 })));
  });

  it('makes a school fleet: mostly iPads, a few Macs and Apple TVs, with realistic values', () => {
    const devices = generateFleet({ size: 1000, seed: 'shape', domain: 'k12.example.net' });
    const byClass = (c: string) => devices.filter((d) => d.class === c).length;
    expect(byClass('ipad')).toBeGreaterThan(900);
    expect(byClass('mac')).toBeGreaterThan(10);
    expect(byClass('appletv')).toBeGreaterThan(0);
    expect(new Set(devices.map((d) => d.UDID)).size).toBe(1000);
    expect(new Set(devices.map((d) => d.serialNumber)).size).toBe(1000);
    for (const d of devices) {
      expect(d.serialNumber).toMatch(/^([A-Z0-9]{12}|[A-Z0-9]{10})$/);
      expect(d.UDID).toMatch(/^([0-9a-f]{40}|0000[0-9]{4}-00[0-9A-F]{14})$/);
      expect(d.lastCheckin).toMatch(TIME);
      expect(d.modified >= d.lastCheckin).toBe(true);
      expect(d.os.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(d.batteryLevel).toBeGreaterThanOrEqual(0);
      expect(d.batteryLevel).toBeLessThanOrEqual(1);
      expect(d.availableCapacity).toBeLessThan(d.totalCapacity);
      expect(d.networkInformation.WiFiMAC).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
      expect(d.groups).toHaveLength(d.groupIds.length);
      if (d.owner.id) expect(d.owner.email).toMatch(/@k12\.example\.net$/);
      expect(d.isSupervised).toBe(d.enrollType === 'dep' || d.enrollType === 'ac2');
      expect(d.isManaged).toBe(!d.enrollType.endsWith('Pending'));
      expect(d.inTrash).toBe(false);
    }
    const ipad = devices.find((d) => d.class === 'ipad')!;
    expect(ipad).toMatchObject({ os: { prefix: 'iOS' }, model: { type: 'iPad' } });
    expect(devices.find((d) => d.class === 'mac')).toMatchObject({ os: { prefix: 'macOS' } });
    expect(devices.some((d) => /^(DMP|DMQ|F9F|GG7)/.test(d.serialNumber))).toBe(true);
    const recent = devices.filter((d) => d.lastCheckin >= '2026-11-13').length;
    expect(recent).toBeGreaterThan(600);
    expect(recent).toBeLessThan(1000);
    expect(new Set(devices.map((d) => d.model.identifier)).size).toBeGreaterThan(6);
    expect(devices.filter((d) => d.owner.id === 0).length).toBeGreaterThan(100);
  });

  it('honours serials, junk, trash, re-enrolled duplicates and case variants', () => {
    const serials = Array.from({ length: 30 }, (_, i) => `DMPQ${String(i).padStart(8, '0')}`);
    const { devices, manifest } = generateFleetDetailed({
      size: 100,
      seed: 7,
      serials,
      junk: 9,
      trashed: 10,
      duplicatesOf: ['DMPQ00000007'],
      caseVariants: true,
    });
    expect(devices).toHaveLength(100 + 9 + 1);
    const byUdid = new Map(devices.map((d) => [d.UDID, d]));
    for (const s of serials) {
      const device = byUdid.get(manifest.bySerial[s]!)!;
      expect(device.serialNumber.trim().toUpperCase()).toBe(s);
      expect(device.inTrash).toBe(false);
    }
    expect(Object.keys(manifest.variants)).toHaveLength(3);
    for (const [wanted, stored] of Object.entries(manifest.variants)) {
      expect(stored).not.toBe(wanted);
      expect(devices.some((d) => d.serialNumber === stored)).toBe(true);
    }
    expect(manifest.junkUdids.map((id) => byUdid.get(id)!.serialNumber)).toEqual(
      JUNK_SERIALS.concat(JUNK_SERIALS[0]!),
    );
    expect(
      devices
        .filter((d) => d.inTrash)
        .map((d) => d.UDID)
        .sort(),
    ).toEqual([...manifest.trashedUdids].sort());
    const twins = devices.filter((d) => d.serialNumber === 'DMPQ00000007');
    expect(twins).toHaveLength(2);
    const [newer, older] = twins.sort((a, b) => (a.lastCheckin < b.lastCheckin ? 1 : -1));
    expect(newer!.UDID).toBe(manifest.bySerial.DMPQ00000007);
    expect(manifest.duplicateUdids).toEqual([older!.UDID]);
    expect(older!.owner).toBe(newer!.owner);
    const trashedTwin = generateFleetDetailed({ size: 5, duplicatesOf: ['X1'], duplicatesInTrash: true });
    expect(trashedTwin.devices.find((d) => d.UDID === trashedTwin.manifest.duplicateUdids[0])!.inTrash).toBe(
      true,
    );
  });

  it('writes times in the zone asked for', () => {
    const utc = generateFleet({ size: 3, seed: 'tz' });
    const chicago = generateFleet({ size: 3, seed: 'tz', timeZone: 'America/Chicago' });
    for (let i = 0; i < 3; i++) {
      const shown = Date.parse(`${chicago[i]!.lastCheckin.replace(' ', 'T')}Z`);
      const real = Date.parse(`${utc[i]!.lastCheckin.replace(' ', 'T')}Z`);
      // Central time: six hours behind UTC in winter, five in summer.
      expect([5, 6]).toContain((real - shown) / 3_600_000);
    }
  });

  it('serves a 20,000-device fleet: one full listing, and serial lookups that cost the fake next to nothing', async () => {
    const devices = generateFleet({ size: 20_000, seed: 'big' });
    const fake = await startFakeJamfSchool({ devices });
    try {
      const list = await listDevices(fake);
      expect(list.devices).toHaveLength(20_000);
      const before = fake.stats().serviceMs;
      for (let i = 0; i < 1000; i += 50) {
        const batch = devices.slice(i, i + 50);
        const answers = await Promise.all(
          batch.map((d) => listDevices(fake, `serialnumber=${encodeURIComponent(d.serialNumber)}`)),
        );
        expect(answers.map((answer) => answer.devices[0]!.UDID)).toEqual(batch.map((d) => d.UDID));
      }
      // Lookups go through the serial index, so 1,000 of them cost the fake well under a millisecond each.
      expect(fake.stats().serviceMs - before).toBeLessThan(1500);
    } finally {
      await fake.close();
    }
  });
});

describe('node fakes/jamf-school/cli.ts', () => {
  let dir: string | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child?.pid && child.exitCode === null) child.kill('SIGTERM');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves a generated fleet holding the given serials and prints the settings for Satchel', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fake-jamf-school-'));
    const serialsFile = path.join(dir, 'inventory.csv');
    await writeFile(serialsFile, 'DMPXK3Q9KXYZ,Room 12\nF9FZL2M4N6PQ,Cart A\n');
    child = spawn(
      process.execPath,
      [
        path.join(root, 'fakes/jamf-school/cli.ts'),
        '--port',
        '0',
        '--size',
        '25',
        '--serials',
        serialsFile,
        '--instance',
        'north',
        '--api-key',
        'CLIKEY',
        '--max-per-response',
        '10',
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
        if (output.includes('JAMF_SCHOOL_API_KEY=')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const env = Object.fromEntries(
      output
        .split('\n')
        .filter((l) => /^JAMF_SCHOOL_[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(env).toEqual({
      JAMF_SCHOOL_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      JAMF_SCHOOL_NETWORK_ID: '10000001',
      JAMF_SCHOOL_API_KEY: 'CLIKEY',
    });
    expect(output).toMatch(
      /north: http:\/\/127\.0\.0\.1:\d+\/instances\/north \(Network ID \d{8}\), 25 devices/,
    );
    const headers = {
      Authorization: `Basic ${Buffer.from(`${env.JAMF_SCHOOL_NETWORK_ID}:CLIKEY`).toString('base64')}`,
      'X-Server-Protocol-Version': '3',
    };
    const list = (await (await fetch(`${env.JAMF_SCHOOL_BASE_URL}/api/devices`, { headers })).json()) as {
      count: number;
      devices: FakeJamfSchoolDevice[];
    };
    expect([list.count, list.devices.length]).toEqual([25, 10]);
    const found = (await (
      await fetch(`${env.JAMF_SCHOOL_BASE_URL}/api/devices?serialnumber=F9FZL2M4N6PQ`, { headers })
    ).json()) as { count: number };
    expect(found.count).toBe(1);
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
