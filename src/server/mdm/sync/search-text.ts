import { searchTextOf } from '../../../common/search-text.ts';
import type { DeviceIdentityKeys, ProviderDevice } from '../provider.ts';

/**
 * What the device search finds a record by: the provider's device id, its user and recent users, MAC addresses,
 * and the extras the provider names as the device's name, asset tag and user.
 */
export function recordSearchText(device: ProviderDevice, identity: DeviceIdentityKeys): string {
  const extras = identity.searchable.map((key) => {
    const value = device.extras[key];
    return typeof value === 'string' ? value : null;
  });
  return searchTextOf({
    text: [device.providerDeviceId, device.fields.primaryUser, ...device.fields.recentUsers, ...extras],
    macs: device.fields.macAddresses,
  });
}
