/**
 * One instance's devices, kept in the order they were given (the order listings answer in), with indexes by
 * UDID and serial so a lookup costs the same in a fleet of 100 or 100,000. Selections and each device's list
 * JSON are cached until the devices change.
 */
import type { FakeJamfSchoolDevice } from './types.ts';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class DeviceStore {
  devices: FakeJamfSchoolDevice[] = [];
  private byUdid = new Map<string, FakeJamfSchoolDevice>();
  private bySerial = new Map<string, FakeJamfSchoolDevice[]>();
  private byFoldedSerial = new Map<string, FakeJamfSchoolDevice[]>();
  private listJson = new WeakMap<FakeJamfSchoolDevice, string>();
  private selections = new Map<string, FakeJamfSchoolDevice[]>();

  constructor(devices: FakeJamfSchoolDevice[] = []) {
    this.replace(devices);
  }

  replace(devices: FakeJamfSchoolDevice[]): void {
    this.devices = devices;
    this.reindex();
  }

  get(udid: string): FakeJamfSchoolDevice | undefined {
    return this.byUdid.get(udid);
  }

  /** Devices whose serial equals `serial`, exactly or ignoring case. */
  withSerial(serial: string, caseSensitive: boolean): FakeJamfSchoolDevice[] {
    return (caseSensitive ? this.bySerial.get(serial) : this.byFoldedSerial.get(serial.toLowerCase())) ?? [];
  }

  /** Patches one device in place; its indexes and cached JSON follow. */
  update(udid: string, patch: Partial<FakeJamfSchoolDevice>): FakeJamfSchoolDevice {
    const device = this.byUdid.get(udid);
    if (!device) throw new Error(`no device ${udid}`);
    Object.assign(device, patch);
    this.listJson.delete(device);
    if ('UDID' in patch || 'serialNumber' in patch) this.reindex();
    else this.changed();
    return device;
  }

  /** A selection made earlier for the same key, while the devices have not changed since. */
  cachedSelection(key: string, select: () => FakeJamfSchoolDevice[]): FakeJamfSchoolDevice[] {
    let selection = this.selections.get(key);
    if (!selection) {
      // A handful of distinct queries at a time is what clients send; keep the cache from growing without end.
      if (this.selections.size >= 32) this.selections.clear();
      selection = select();
      this.selections.set(key, selection);
    }
    return selection;
  }

  /** The device's JSON in the list answer, made once per device until it changes. */
  json(device: FakeJamfSchoolDevice, render: (device: FakeJamfSchoolDevice) => string): string {
    let text = this.listJson.get(device);
    if (text === undefined) {
      text = render(device);
      this.listJson.set(device, text);
    }
    return text;
  }

  private reindex(): void {
    this.byUdid = new Map();
    this.bySerial = new Map();
    this.byFoldedSerial = new Map();
    this.listJson = new WeakMap();
    for (const device of this.devices) {
      this.byUdid.set(device.UDID, device);
      push(this.bySerial, device.serialNumber, device);
      push(this.byFoldedSerial, device.serialNumber.toLowerCase(), device);
    }
    this.changed();
  }

  private changed(): void {
    this.selections.clear();
  }
}
