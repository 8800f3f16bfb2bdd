import { DEVICE_STATUSES, type DeviceStatus } from '../../../../common/inventory.ts';
import {
  CommonSettings,
  type ProviderTile,
  REQUEST_SCOPES,
  type RequestScope,
} from '../../../../common/mdm.ts';

/** The settings every provider shares, as a settings form holds them. */
export interface CommonValues {
  intervalMinutes: string;
  syncedStatuses: string[];
  requestScope: RequestScope;
  authMethod: string;
}

/** Server fields the shared part of a settings form shows (its errors are placed next to them). */
export const COMMON_FIELDS = ['intervalMinutes', 'syncedStatuses', 'requestScope', 'authMethod'] as const;

/** The stored shared settings with the server's defaults filled in, and the auth method the tile offers. */
export function commonInitialValues(tile: ProviderTile): CommonValues {
  const parsed = CommonSettings.safeParse(sharedOf(tile.settings ?? {}));
  const stored = parsed.success ? parsed.data : CommonSettings.parse({});
  const method = tile.settings?.authMethod;
  return {
    intervalMinutes: String(stored.intervalMinutes),
    syncedStatuses: stored.syncedStatuses,
    requestScope: stored.requestScope,
    authMethod: tile.authMethods.some((offered) => offered.key === method)
      ? (method as string)
      : (tile.authMethods.find((offered) => offered.unavailableReason === null)?.key ??
        tile.authMethods[0]?.key ??
        ''),
  };
}

export function commonSettingsOf(values: CommonValues): Record<string, unknown> {
  return {
    intervalMinutes: Number(values.intervalMinutes),
    syncedStatuses: DEVICE_STATUSES.filter((status): status is DeviceStatus =>
      values.syncedStatuses.includes(status),
    ),
    requestScope: REQUEST_SCOPES.find((scope) => scope === values.requestScope) ?? 'tracked_only',
    authMethod: values.authMethod,
  };
}

export const commonValidators = {
  syncedStatuses: (statuses: string[]) => (statuses.length === 0 ? 'Choose at least one status' : null),
};

/** The shared fields out of a provider's stored settings. */
function sharedOf(settings: Record<string, unknown>): Record<string, unknown> {
  const shared = Object.keys(CommonSettings.shape);
  return Object.fromEntries(Object.entries(settings).filter(([field]) => shared.includes(field)));
}
