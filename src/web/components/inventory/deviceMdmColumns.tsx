import { Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { DeviceListItem, DeviceMdmSummary } from '../../../common/inventory.ts';
import type { ProviderKey } from '../../../common/mdm.ts';
import type { DeviceSort } from '../../api/devices.ts';
import { mdmStatusLabel } from '../../lib/deviceMdm.ts';
import { formatDateTime, formatDay } from '../../lib/format.ts';
import { providerLabel } from '../../providers/index.ts';

export const MDM_COLUMN_IDS = [
  'mdmLastCheckIn',
  'mdmOsVersion',
  'mdmAutoUpdateExpiration',
  'mdmOrgUnit',
  'mdmStatus',
] as const;
export type MdmColumnId = (typeof MDM_COLUMN_IDS)[number];

export interface MdmColumn {
  id: MdmColumnId;
  label: string;
  sort?: DeviceSort;
  render: (device: DeviceListItem) => ReactNode;
}

/**
 * One provider value in a list cell, always with the data's "as of" time on hover; a device the provider did
 * not return says so instead of showing what it knew before.
 */
function MdmValue({
  mdm,
  provider,
  value,
}: {
  mdm: DeviceMdmSummary | null;
  provider: ProviderKey;
  value: (mdm: DeviceMdmSummary) => string | null;
}) {
  if (!mdm) {
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const asOf = `as of ${formatDateTime(mdm.fetchedAt)}`;
  if (mdm.matchState === 'not_found') {
    return (
      <Text span size="sm" c="orange.8" title={asOf}>
        Not in {providerLabel(provider)}
      </Text>
    );
  }
  return (
    <Text span size="sm" title={asOf}>
      {value(mdm) ?? '—'}
    </Text>
  );
}

/** The provider's columns for the device list, each header naming the provider. */
export function mdmColumns(provider: ProviderKey): MdmColumn[] {
  const label = providerLabel(provider);
  const column = (
    id: MdmColumnId,
    name: string,
    value: (mdm: DeviceMdmSummary) => string | null,
    sort?: DeviceSort,
  ): MdmColumn => ({
    id,
    label: `${name} (${label})`,
    ...(sort ? { sort } : {}),
    render: (device) => <MdmValue mdm={device.mdm} provider={provider} value={value} />,
  });
  return [
    column(
      'mdmLastCheckIn',
      'Last check-in',
      (mdm) => (mdm.lastCheckInAt ? formatDateTime(mdm.lastCheckInAt) : null),
      'lastCheckInAt',
    ),
    column('mdmOsVersion', 'OS version', (mdm) => mdm.osVersion),
    column(
      'mdmAutoUpdateExpiration',
      'Auto-update expiration',
      (mdm) => (mdm.autoUpdateExpiration ? formatDay(mdm.autoUpdateExpiration) : null),
      'autoUpdateExpiration',
    ),
    column('mdmOrgUnit', 'Org unit', (mdm) => mdm.orgUnit),
    column('mdmStatus', 'Status', (mdm) => (mdm.mdmStatus ? mdmStatusLabel(mdm.mdmStatus) : null)),
  ];
}
