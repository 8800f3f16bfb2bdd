import { Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { CONFLICT_LABELS } from '../../../common/conflicts.ts';
import type { DeviceListItem, DeviceMdmSummary } from '../../../common/inventory.ts';
import type { ProviderKey } from '../../../common/mdm.ts';
import type { DeviceSort } from '../../api/devices.ts';
import { mdmStatusLabel } from '../../lib/deviceMdm.ts';
import { formatDateTime } from '../../lib/format.ts';
import { providerLabel } from '../../providers/index.ts';
import { AueText, KeptDataMark } from './MdmLabels.tsx';

export const MDM_COLUMN_IDS = [
  'mdmLastCheckIn',
  'mdmOsVersion',
  'mdmAutoUpdateExpiration',
  'mdmOrgUnit',
  'mdmStatus',
  'mdmUser',
  'mdmConflicts',
] as const;
export type MdmColumnId = (typeof MDM_COLUMN_IDS)[number];

/** What a technician looks at first once a provider's data arrives: shown until someone hides them. */
export const MDM_DEFAULT_COLUMNS: readonly MdmColumnId[] = [
  'mdmLastCheckIn',
  'mdmOsVersion',
  'mdmAutoUpdateExpiration',
  'mdmUser',
];

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
  named,
  value,
}: {
  mdm: DeviceMdmSummary | null;
  /** Whether the column header names the provider; otherwise each cell does. */
  named: boolean;
  value: (mdm: DeviceMdmSummary) => ReactNode;
}) {
  if (!mdm) {
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const source = providerLabel(mdm.provider);
  const asOf = `${source}, as of ${formatDateTime(mdm.fetchedAt)}`;
  if (mdm.matchState === 'not_found') {
    return (
      <Text span size="sm" c="orange" title={asOf}>
        Not in {source}
      </Text>
    );
  }
  const shown = value(mdm);
  return (
    <>
      <Text span size="sm" title={asOf}>
        {shown ?? '—'}
        {!named && shown !== null && (
          <Text span size="xs" c="dimmed">
            {' '}
            · {source}
          </Text>
        )}
      </Text>
      <KeptDataMark source={source} condition={mdm.condition} fetchedAt={mdm.fetchedAt} />
    </>
  );
}

/**
 * The MDM columns for the device list: one provider's, each header naming it, or (null) each device's most
 * recent record, each cell naming its provider.
 */
export function mdmColumns(provider: ProviderKey | null): MdmColumn[] {
  const label = provider ? ` (${providerLabel(provider)})` : ' (MDM)';
  const column = (
    id: MdmColumnId,
    name: string,
    value: (mdm: DeviceMdmSummary) => ReactNode,
    sort?: DeviceSort,
  ): MdmColumn => ({
    id,
    label: `${name}${label}`,
    ...(sort ? { sort } : {}),
    render: (device) => <MdmValue mdm={device.mdm} named={provider !== null} value={value} />,
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
      (mdm) => (mdm.autoUpdateExpiration ? <AueText value={mdm.autoUpdateExpiration} /> : null),
      'autoUpdateExpiration',
    ),
    column('mdmOrgUnit', 'Org unit', (mdm) => mdm.orgUnit),
    column('mdmStatus', 'Status', (mdm) => (mdm.mdmStatus ? mdmStatusLabel(mdm.mdmStatus) : null)),
    column('mdmUser', 'User', (mdm) => mdm.primaryUser),
    column('mdmConflicts', 'Disagrees with inventory', (mdm) =>
      mdm.conflicts.length > 0 ? (
        <Text span size="sm" c="red" fw={600}>
          {mdm.conflicts.map((kind) => CONFLICT_LABELS[kind]).join(', ')}
        </Text>
      ) : null,
    ),
  ];
}
