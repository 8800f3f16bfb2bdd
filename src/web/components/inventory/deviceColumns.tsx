import { Anchor, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { DeviceListItem } from '../../../common/inventory.ts';
import type { DeviceSort } from '../../api/devices.ts';
import { formatDateTime, formatDay } from '../../lib/format.ts';
import { TYPE_LABELS } from '../../lib/inventory.ts';
import { MDM_DEFAULT_COLUMNS, type MdmColumnId } from './deviceMdmColumns.tsx';
import { StatusBadge } from './StatusBadge.tsx';

export type DeviceColumnId =
  | 'assetTag'
  | 'model'
  | 'manufacturer'
  | 'type'
  | 'status'
  | 'school'
  | 'assignedTo'
  | 'purchaseDate'
  | 'warrantyEnd'
  | 'updatedAt'
  | 'createdAt'
  | MdmColumnId;

/** An optional column of the device list (the serial number always shows). */
export interface DeviceColumn {
  id: DeviceColumnId;
  label: string;
  sort?: DeviceSort;
  render: (device: DeviceListItem) => ReactNode;
}

export const INVENTORY_COLUMNS: readonly DeviceColumn[] = [
  { id: 'assetTag', label: 'Asset tag', sort: 'assetTag', render: (device) => device.assetTag ?? '—' },
  { id: 'model', label: 'Model', sort: 'model', render: (device) => device.model ?? '—' },
  { id: 'manufacturer', label: 'Manufacturer', render: (device) => device.manufacturer ?? '—' },
  { id: 'type', label: 'Type', render: (device) => TYPE_LABELS[device.type] },
  {
    id: 'status',
    label: 'Status',
    sort: 'status',
    render: (device) => <StatusBadge status={device.status} />,
  },
  { id: 'school', label: 'School', sort: 'school', render: (device) => device.school?.name ?? '—' },
  {
    id: 'assignedTo',
    label: 'Assigned to',
    render: (device) =>
      device.assignedTo ? (
        <Anchor component={Link} to={`/people/${device.assignedTo.id}`} size="sm">
          {device.assignedTo.name}
        </Anchor>
      ) : (
        <Text span size="sm" c="dimmed">
          —
        </Text>
      ),
  },
  { id: 'purchaseDate', label: 'Purchased', render: (device) => formatDay(device.purchaseDate) },
  { id: 'warrantyEnd', label: 'Warranty end', render: (device) => formatDay(device.warrantyEnd) },
  {
    id: 'updatedAt',
    label: 'Last changed',
    sort: 'updatedAt',
    render: (device) => formatDateTime(device.updatedAt),
  },
  {
    id: 'createdAt',
    label: 'Added',
    sort: 'createdAt',
    render: (device) => formatDateTime(device.createdAt),
  },
];

/** Shown until someone picks their own; a provider's defaults join once its data arrives. */
export const DEFAULT_DEVICE_COLUMNS: readonly DeviceColumnId[] = [
  'assetTag',
  'model',
  'status',
  'school',
  'assignedTo',
  'updatedAt',
  ...MDM_DEFAULT_COLUMNS,
];

/** The inventory columns the chooser offered before provider columns existed (the first stored form). */
export const FIRST_OFFERED_COLUMNS: readonly string[] = INVENTORY_COLUMNS.map((column) => column.id);
