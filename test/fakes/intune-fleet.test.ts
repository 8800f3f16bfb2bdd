import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FLEET_NOW,
  generateFleet,
  generateFleetDetailed,
  JUNK_SERIALS,
  MANAGED_DEVICE_PROPERTIES,
} from '../../fakes/intune/index.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SERIALS = ['PF3ABC12', '5CD1234XYZ', 'H7TQ2K3', 'DMPXK2LQ9A1B', 'C02ZZ1234567', '123456789012'];

describe('fake Intune: fleet generator', () => {
  const { devices, manifest } = generateFleetDetailed({
    size: 3000,
    seed: 7,
    serials: SERIALS,
    junk: 4,
    duplicatesOf: ['PF3ABC12', 'NOTREQUESTED1'],
    domain: 'schools.example.org',
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = generateFleet({ size: 50, seed: 'same' });
    expect(generateFleet({ size: 50, seed: 'same' })).toEqual(again);
    expect(generateFleet({ size: 50, seed: 'other' })[0]!.id).not.toBe(again[0]!.id);
  });

  it('holds size regular devices plus junk and duplicates', () => {
    // One duplicate serial was not in the fleet: its original is added with it.
    expect(devices).toHaveLength(3000 + 4 + 2 + 1);
    expect(manifest.junkDeviceIds).toHaveLength(4);
    expect(manifest.duplicateDeviceIds).toHaveLength(2);
  });

  it('gives every device all v1.0 properties with Graph’s types', () => {
    for (const device of devices) {
      expect(Object.keys(device)).toEqual([...MANAGED_DEVICE_PROPERTIES]);
      expect(device.id).toMatch(GUID);
      expect(device.lastSyncDateTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(Date.parse(device.lastSyncDateTime)).toBeLessThanOrEqual(Date.parse(DEFAULT_FLEET_NOW));
      expect(Date.parse(device.enrolledDateTime)).toBeLessThan(Date.parse(device.lastSyncDateTime));
      expect(device.wiFiMacAddress).toMatch(/^[0-9A-F]{12}$/);
      expect(Number.isSafeInteger(device.totalStorageSpaceInBytes)).toBe(true);
      expect(device.freeStorageSpaceInBytes).toBeLessThan(device.totalStorageSpaceInBytes);
      expect(['compliant', 'noncompliant', 'inGracePeriod', 'unknown', 'error']).toContain(
        device.complianceState,
      );
    }
    expect(new Set(devices.map((d) => d.id)).size).toBe(devices.length);
  });

  it('is mostly Windows laptops, with some iPads and Macs, from the usual vendors', () => {
    const share = (os: string) => devices.filter((d) => d.operatingSystem === os).length / devices.length;
    expect(share('Windows')).toBeGreaterThan(0.55);
    expect(share('iOS')).toBeGreaterThan(0.1);
    expect(share('macOS')).toBeGreaterThan(0.03);
    const manufacturers = new Set(devices.map((d) => d.manufacturer));
    for (const vendor of ['LENOVO', 'Dell Inc.', 'HP', 'Apple']) expect(manufacturers).toContain(vendor);
  });

  it('uses each vendor’s serial shape', () => {
    const shapes: [string, RegExp][] = [
      ['LENOVO', /^(PF|MP)[0-9A-Z]{6}$/],
      ['Dell Inc.', /^[0-9A-Z]{7}$/],
      ['HP', /^5C[DG]\d{4}[0-9A-Z]{3}$/],
    ];
    for (const [vendor, shape] of shapes) {
      const serials = devices.filter(
        (d) =>
          d.manufacturer === vendor &&
          !SERIALS.includes(d.serialNumber!) &&
          d.serialNumber !== 'NOTREQUESTED1',
      );
      expect(serials.length, vendor).toBeGreaterThan(0);
      for (const device of serials) expect(device.serialNumber, vendor).toMatch(shape);
    }
  });

  it('holds the requested serials on hardware their shape suggests', () => {
    const bySerial = (serial: string) => devices.find((d) => d.id === manifest.bySerial[serial])!;
    expect(bySerial('PF3ABC12').manufacturer).toBe('LENOVO');
    expect(bySerial('5CD1234XYZ').manufacturer).toBe('HP');
    expect(bySerial('H7TQ2K3').manufacturer).toBe('Dell Inc.');
    expect(bySerial('DMPXK2LQ9A1B')).toMatchObject({ manufacturer: 'Apple', operatingSystem: 'iOS' });
    expect(bySerial('C02ZZ1234567')).toMatchObject({ manufacturer: 'Apple', operatingSystem: 'macOS' });
    for (const serial of SERIALS) expect(bySerial(serial).serialNumber).toBe(serial);
  });

  it('adds re-enrolled duplicates: same serial, new id, older check-in', () => {
    for (const serial of ['PF3ABC12', 'NOTREQUESTED1']) {
      const records = devices.filter((d) => d.serialNumber === serial);
      expect(records).toHaveLength(2);
      const newest = records.find((d) => d.id === manifest.bySerial[serial])!;
      const older = records.find((d) => manifest.duplicateDeviceIds.includes(d.id))!;
      expect(older.id).not.toBe(newest.id);
      expect(Date.parse(older.lastSyncDateTime)).toBeLessThan(Date.parse(newest.lastSyncDateTime));
    }
  });

  it('adds junk serials', () => {
    const junk = devices.filter((d) => manifest.junkDeviceIds.includes(d.id)).map((d) => d.serialNumber);
    expect(junk).toEqual(expect.arrayContaining(JUNK_SERIALS.slice(0, 4)));
    expect(JUNK_SERIALS).toEqual(
      expect.arrayContaining(['To be filled by O.E.M.', 'System Serial Number', '0', 'Default string']),
    );
  });

  it('stores case and whitespace variants of requested serials when asked', () => {
    const varied = generateFleetDetailed({
      size: 10,
      seed: 1,
      serials: ['ABC1234', 'DEF5678', 'GHJ9012'],
      caseVariants: 3,
    });
    expect(varied.manifest.variants).toEqual({
      ABC1234: 'abc1234',
      DEF5678: ' DEF5678 ',
      GHJ9012: 'ghj9012\t',
    });
    const stored = varied.devices.map((d) => d.serialNumber);
    expect(stored).toEqual(expect.arrayContaining(['abc1234', ' DEF5678 ', 'ghj9012\t']));
  });

  it('gives users principal names on the district’s domain, and leaves shared iPads without one', () => {
    const withUser = devices.filter((d) => d.userPrincipalName);
    expect(withUser.length).toBeGreaterThan(devices.length * 0.8);
    for (const device of withUser) {
      expect(device.userPrincipalName).toMatch(/@schools\.example\.org$/);
      expect(device.emailAddress).toBe(device.userPrincipalName);
    }
    const shared = devices.filter((d) => d.userPrincipalName === '');
    expect(shared.length).toBeGreaterThan(0);
    expect(
      shared.every((d) => d.operatingSystem === 'iOS' && d.deviceEnrollmentType === 'appleBulkWithoutUser'),
    ).toBe(true);
  });

  it('spreads check-ins over recent weeks, with a tail of stale devices', () => {
    const now = Date.parse(DEFAULT_FLEET_NOW);
    const ages = devices.map((d) => (now - Date.parse(d.lastSyncDateTime)) / 86_400_000);
    const week = ages.filter((age) => age <= 7).length / ages.length;
    expect(week).toBeGreaterThan(0.6);
    expect(week).toBeLessThan(0.85);
    expect(ages.some((age) => age > 90)).toBe(true);
  });
});
