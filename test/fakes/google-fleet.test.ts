import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ORG_UNITS,
  type FakeChromeDevice,
  generateFleet,
  generateFleetDetailed,
  JUNK_SERIALS,
  startFakeGoogle,
} from '../../fakes/google/index.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('fleet generator', () => {
  it('is deterministic per seed', () => {
    const a = generateFleet({ size: 200, seed: 42 });
    const b = generateFleet({ size: 200, seed: 42 });
    const c = generateFleet({ size: 200, seed: 43 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
  });

  it('produces realistic ChromeOsDevice records', () => {
    const devices = generateFleet({ size: 300, seed: 'shape', domain: 'k12.example.net' });
    expect(new Set(devices.map((d) => d.deviceId)).size).toBe(300);
    expect(new Set(devices.map((d) => d.serialNumber.toUpperCase())).size).toBe(300);
    for (const d of devices) {
      expect(d).toMatchObject({
        kind: 'admin#directory#chromeosdevice',
        status: 'ACTIVE',
        chromeOsType: expect.stringMatching(/^chromeOs(Flex)?$/),
        bootMode: expect.stringMatching(/^(Verified|Dev)$/),
      });
      expect(d.deviceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(DEFAULT_ORG_UNITS).toContain(d.orgUnitPath);
      expect(d.orgUnitId).toMatch(/^03ph8a2z/);
      for (const t of [d.lastSync, d.lastEnrollmentTime, d.firstEnrollmentTime])
        expect(Date.parse(t!)).not.toBeNaN();
      expect(Date.parse(d.firstEnrollmentTime!)).toBeLessThanOrEqual(Date.parse(d.lastEnrollmentTime!));
      expect(Date.parse(d.lastEnrollmentTime!)).toBeLessThan(Date.parse(d.lastSync!));
      expect(d.manufactureDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(d.macAddress).toMatch(/^[0-9a-f]{12}$/);
      expect(d.autoUpdateExpiration).toMatch(/^\d+$/);
      expect(Date.parse(d.autoUpdateThrough!)).toBe(Number(d.autoUpdateExpiration));
      expect(d.systemRamTotal).toMatch(/^\d+$/);
      const volume = d.diskVolumeReports![0]!.volumeInfo[0]!;
      expect(Number(volume.storageFree)).toBeLessThan(Number(volume.storageTotal));
      expect(d.recentUsers!.length).toBeGreaterThan(0);
      for (const u of d.recentUsers!) {
        if (u.type === 'USER_TYPE_MANAGED') expect(u.email).toMatch(/@k12\.example\.net$/);
        else expect(u.email).toBeUndefined();
      }
      expect(d.tpmVersionInfo?.family).toBe('322e3000');
      expect(d.cpuInfo?.[0]?.model).toBeTruthy();
      expect(d.osVersion).toMatch(/^\d+\.0\.\d+\.\d+$/);
      expect(d.platformVersion).toMatch(/\(Official Build\) stable-channel/);
    }
    expect(devices.filter((d) => d.annotatedAssetId).length).toBeGreaterThan(240);
    expect(devices.some((d) => d.ethernetMacAddress)).toBe(true);
    expect(new Set(devices.map((d) => d.model)).size).toBeGreaterThan(4);
  });

  it('honours serials, junk, deprovisioned, duplicates and case variants', () => {
    const serials = Array.from({ length: 30 }, (_, i) => `INV${String(i).padStart(5, '0')}`);
    const { devices, manifest } = generateFleetDetailed({
      size: 100,
      seed: 7,
      serials,
      junk: 12,
      deprovisioned: 10,
      disabled: 2,
      duplicatesOf: ['INV00007'],
      caseVariants: true,
      orgUnits: ['/A', '/B/C'],
    });
    expect(devices).toHaveLength(100 + 12 + 1);
    const byId = new Map(devices.map((d) => [d.deviceId, d]));
    for (const s of serials) {
      const stored = byId.get(manifest.bySerial[s]!)!.serialNumber;
      expect(stored.trim().toUpperCase()).toBe(s);
    }
    expect(Object.keys(manifest.variants)).toHaveLength(3);
    for (const [wanted, stored] of Object.entries(manifest.variants)) {
      expect(stored).not.toBe(wanted);
      expect(devices.some((d) => d.serialNumber === stored)).toBe(true);
    }
    const junk = manifest.junkDeviceIds.map((id) => byId.get(id)!.serialNumber);
    expect(junk).toHaveLength(12);
    expect(junk.every((s) => JUNK_SERIALS.includes(s))).toBe(true);
    const deprovisioned = devices.filter((d) => d.status === 'DEPROVISIONED');
    expect(deprovisioned).toHaveLength(10);
    expect(
      deprovisioned.every(
        (d) => d.lastDeprovisionTimestamp && d.deprovisionReason?.startsWith('DEPROVISION_REASON_'),
      ),
    ).toBe(true);
    expect(deprovisioned.every((d) => !serials.includes(d.serialNumber))).toBe(true);
    expect(devices.filter((d) => d.status === 'DISABLED')).toHaveLength(2);
    const twins = devices.filter((d) => d.serialNumber === 'INV00007');
    expect(twins).toHaveLength(2);
    const [newer, older] = twins.sort((a, b) => Date.parse(b.lastSync!) - Date.parse(a.lastSync!));
    expect(newer!.deviceId).toBe(manifest.bySerial.INV00007);
    expect(manifest.duplicateDeviceIds).toEqual([older!.deviceId]);
    expect(new Set(devices.map((d) => d.orgUnitPath))).toEqual(new Set(['/A', '/B/C']));
  });

  it('serves a 20,000-device fleet quickly: full pull and a 1,000-lookup batch', async () => {
    const devices = generateFleet({ size: 20_000, seed: 'big' });
    const fake = await startFakeGoogle({ fleets: { 'big.example.org': devices } });
    try {
      const client = fake.defaultClient;
      const approved = new URL(
        fake.approve(
          `${fake.authUrl}?client_id=${client.clientId}&redirect_uri=${encodeURIComponent(client.redirectUris[0]!)}&response_type=code&scope=${encodeURIComponent('https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly')}`,
        ),
      );
      const token = (await (
        await fetch(fake.tokenUrl, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'authorization_code',
            code: approved.searchParams.get('code')!,
            redirect_uri: client.redirectUris[0]!,
            client_id: client.clientId,
            client_secret: client.clientSecret!,
          }),
        })
      ).json()) as { access_token: string };
      const auth = { Authorization: `Bearer ${token.access_token}` };
      const started = performance.now();
      let pageToken = '';
      let count = 0;
      do {
        const page = (await (
          await fetch(
            `${fake.url}/admin/directory/v1/customer/my_customer/devices/chromeos?maxResults=300&prettyPrint=false&fields=nextPageToken,chromeosdevices(serialNumber)${pageToken ? `&pageToken=${pageToken}` : ''}`,
            { headers: auth },
          )
        ).json()) as { chromeosdevices?: FakeChromeDevice[]; nextPageToken?: string };
        count += page.chromeosdevices?.length ?? 0;
        pageToken = page.nextPageToken ?? '';
      } while (pageToken);
      expect(count).toBe(20_000);
      const boundary = 'big';
      const body = `${devices
        .slice(0, 1000)
        .map(
          (d, i) =>
            `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <b+${i}>\r\n\r\nGET /admin/directory/v1/customer/my_customer/devices/chromeos?query=id%3A${encodeURIComponent(d.serialNumber)}&fields=chromeosdevices(deviceId)\r\n\r\n`,
        )
        .join('')}--${boundary}--\r\n`;
      const batch = await fetch(`${fake.url}/batch`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': `multipart/mixed; boundary=${boundary}` },
        body,
      });
      const text = await batch.text();
      expect((text.match(/HTTP\/1\.1 200 OK/g) ?? []).length).toBe(1000);
      expect(fake.requests.filter((r) => r.inner)).toHaveLength(1000);
      expect(performance.now() - started).toBeLessThan(8000);
    } finally {
      await fake.close();
    }
  });
});

describe('npm run fake -- google (CLI)', () => {
  let dir: string | undefined;
  let child: ChildProcess | undefined;
  afterAll(async () => {
    if (child?.pid && child.exitCode === null) child.kill('SIGTERM');
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const run = (args: string[], nodeFlags: string[] = []) =>
    spawn(process.execPath, [...nodeFlags, path.join(root, 'fakes/run.ts'), 'google', ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('writes a fleet file and serves it, printing the env for Satchel', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'fake-google-'));
    const file = path.join(dir, 'fleet.json');
    const writer = run(['--write-fleet', file, '--size', '25', '--seed', '3', '--domain', 'cli.example.org']);
    const code = await new Promise((resolve) => writer.on('exit', resolve));
    expect(code).toBe(0);
    const written = JSON.parse(await readFile(file, 'utf8')) as {
      domain: string;
      devices: FakeChromeDevice[];
    };
    expect(written.domain).toBe('cli.example.org');
    expect(written.devices).toHaveLength(25);

    // As the sync benchmark starts it: with the garbage collector exposed, for `collect-garbage`.
    child = run(
      [
        '--port',
        '0',
        '--fleet',
        file,
        '--client-id',
        'cli-client',
        '--client-secret',
        'cli-secret',
        '--redirect-uri',
        'http://localhost:9/cb',
      ],
      ['--expose-gc'],
    );
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no env printed: ${output}`)), 10_000);
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('GOOGLE_CLIENT_SECRET=')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const env = Object.fromEntries(
      output
        .split('\n')
        .filter((l) => /^GOOGLE_[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(env).sort()).toEqual([
      'GOOGLE_API_ROOT_URL',
      'GOOGLE_CLIENT_ID',
      'GOOGLE_CLIENT_SECRET',
      'GOOGLE_OAUTH_AUTH_URL',
      'GOOGLE_OAUTH_REVOKE_URL',
      'GOOGLE_OAUTH_TOKEN_URL',
    ]);
    expect(env.GOOGLE_CLIENT_ID).toBe('cli-client');
    expect(env.GOOGLE_API_ROOT_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const customers = (await (await fetch(`${env.GOOGLE_API_ROOT_URL}__fake/customers`)).json()) as {
      customers: { domain: string; deviceCount: number }[];
    };
    expect(customers.customers).toEqual([
      expect.objectContaining({ domain: 'cli.example.org', deviceCount: 25 }),
    ]);
    const collected = await fetch(`${env.GOOGLE_API_ROOT_URL}__fake/collect-garbage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(collected.status).toBe(200);
    expect(await collected.json()).toEqual({ collected: true });
    const consentPage = await fetch(
      `${env.GOOGLE_OAUTH_AUTH_URL}?client_id=cli-client&redirect_uri=${encodeURIComponent('http://localhost:9/cb')}&response_type=code&scope=x`,
    );
    expect(consentPage.status).toBe(200);
    expect(await consentPage.text()).toContain('admin@cli.example.org');
  });
});
