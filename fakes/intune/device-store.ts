/**
 * One tenant's managed devices, with the lookups a request needs (by id, by serial) built once and kept
 * until the fleet changes, so a request costs what its page costs even with 300,000 devices.
 */
import { completeDevice } from './fields.ts';
import type { FakeManagedDevice, FakeManagedDeviceInput } from './types.ts';

export class DeviceStore {
  private list: FakeManagedDevice[] = [];
  private byId: Map<string, FakeManagedDevice> | undefined;
  private bySerial: Map<string, FakeManagedDevice[]> | undefined;
  /** Grows with every change: lets derived figures (the overview) know when to recount. */
  version = 0;

  /** In the order listings serve them. */
  get devices(): readonly FakeManagedDevice[] {
    return this.list;
  }

  replace(inputs: readonly FakeManagedDeviceInput[]): void {
    this.list = inputs.map(completeDevice);
    this.changed();
  }

  /** Ids are GUIDs; Intune matches them whatever their case. */
  get(id: string): FakeManagedDevice | undefined {
    this.byId ??= new Map(this.list.map((device) => [device.id.toLowerCase(), device]));
    return this.byId.get(id.toLowerCase());
  }

  /** Devices whose serial equals `serial`, ignoring case unless `caseSensitive`. */
  withSerial(serial: string, caseSensitive: boolean): FakeManagedDevice[] {
    const found = this.serialIndex().get(serial.toLowerCase()) ?? [];
    return caseSensitive ? found.filter((device) => device.serialNumber === serial) : found;
  }

  update(id: string, patch: FakeManagedDeviceInput): FakeManagedDevice {
    const device = this.get(id);
    if (!device) throw new Error(`fake intune: no device ${id}`);
    const { id: _ignored, ...rest } = patch;
    Object.assign(device, rest);
    if ('serialNumber' in patch) this.bySerial = undefined;
    this.version++;
    return device;
  }

  private serialIndex(): Map<string, FakeManagedDevice[]> {
    if (this.bySerial) return this.bySerial;
    const index = new Map<string, FakeManagedDevice[]>();
    for (const device of this.list) {
      if (device.serialNumber === null) continue;
      const key = device.serialNumber.toLowerCase();
      const same = index.get(key);
      if (same) same.push(device);
      else index.set(key, [device]);
    }
    this.bySerial = index;
    return index;
  }

  private changed(): void {
    this.byId = undefined;
    this.bySerial = undefined;
    this.version++;
  }
}
