import { z } from 'zod';
import { ProviderError } from '../../../errors.ts';

/**
 * A device as Jamf School sends it. The list (`GET /devices`) and the single device (`GET /devices/{UDID}`)
 * describe the same device in two shapes, and the fields here are those of both, so one mapping reads either:
 * the list has `enrollType`, a "YYYY-MM-DD HH:MM:SS" `lastCheckin`, `model.type` as text and the addresses in
 * `networkInformation`; the single device has `deviceEnrollType`, `lastCheckin` as a PHP DateTime, `model.type`
 * as `{value}`, `WiFiMAC`/`bluetoothMAC`/`IPAddress` at the top level and `{}` for a device without an owner.
 * Every field is read defensively: an unofficial client is the only description of them.
 */
export interface JamfSchoolDevice {
  UDID?: unknown;
  serialNumber?: unknown;
  name?: unknown;
  assetTag?: unknown;
  class?: unknown;
  inTrash?: unknown;
  locationId?: unknown;
  isManaged?: unknown;
  isSupervised?: unknown;
  os?: { prefix?: unknown; version?: unknown } | null;
  model?: { name?: unknown; identifier?: unknown; type?: unknown } | null;
  owner?: { id?: unknown; name?: unknown; username?: unknown; email?: unknown } | null;
  groups?: unknown;
  enrollType?: unknown;
  deviceEnrollType?: unknown;
  depProfile?: unknown;
  deviceDepProfile?: unknown;
  batteryLevel?: unknown;
  totalCapacity?: unknown;
  availableCapacity?: unknown;
  lastCheckin?: unknown;
  networkInformation?: {
    IPAddress?: unknown;
    WiFiMAC?: unknown;
    BluetoothMAC?: unknown;
    EthernetMACs?: unknown;
  } | null;
  IPAddress?: unknown;
  WiFiMAC?: unknown;
}

/** `count` is a number; PHP's JSON could also write it as a numeric string, which means the same. */
const Count = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]);

const DevicesAnswer = z.object({
  count: Count.optional(),
  devices: z.array(z.record(z.string(), z.unknown())),
});

/** One answer of `GET /devices`: how many devices match (`count`) and those this answer holds. */
export interface DeviceList {
  count: number;
  devices: JamfSchoolDevice[];
}

/**
 * Reads `{"code":200,"count":N,"devices":[…]}`. `count` is the number of matches, which can be more than the
 * answer holds (a server that pages or cuts long answers); without one, the answer is taken as whole.
 */
export function parseDeviceList(text: string): DeviceList {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderError('malformed', 'Jamf School returned a device list that is not valid JSON');
  }
  const parsed = DevicesAnswer.safeParse(json);
  if (!parsed.success)
    throw new ProviderError('malformed', 'Jamf School returned a device list of an unexpected shape');
  const devices = parsed.data.devices as JamfSchoolDevice[];
  return { count: parsed.data.count ?? devices.length, devices };
}
