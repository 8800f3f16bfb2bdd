import { Anchor, Checkbox, Table } from '@mantine/core';
import type { CSSProperties, ReactNode } from 'react';
import { Link } from 'react-router';
import type { DeviceListItem } from '../../../common/inventory.ts';
import type { DeviceSort } from '../../api/devices.ts';
import { ScrollRegion } from '../ScrollRegion.tsx';
import { SortableTh } from '../SortableTh.tsx';
import classes from './DeviceTable.module.css';
import type { DeviceColumn } from './deviceColumns.tsx';

export type ListDensity = 'comfortable' | 'compact';

export interface DeviceSelection {
  selected: ReadonlySet<string>;
  toggle: (id: string, checked: boolean) => void;
  toggleAll: (checked: boolean) => void;
}

interface DeviceTableProps {
  rows: readonly DeviceListItem[];
  columns: readonly DeviceColumn[];
  sort: DeviceSort;
  order: 'asc' | 'desc';
  onSort: (column: DeviceSort) => void;
  density: ListDensity;
  /** Present for people who may change devices: a selection box on each row. */
  selection: DeviceSelection | null;
  /** Shown across the table when there are no rows. */
  empty: ReactNode;
  busy: boolean;
  stale: boolean;
}

const SELECT_WIDTH = 44;

/**
 * The device list's table: one line per row, sideways scrolling with the serial number (and selection box)
 * kept in view, in comfortable or compact density.
 */
export function DeviceTable({
  rows,
  columns,
  sort,
  order,
  onSort,
  density,
  selection,
  empty,
  busy,
  stale,
}: DeviceTableProps) {
  const allOnPage = rows.length > 0 && rows.every((device) => selection?.selected.has(device.id));
  const someOnPage = rows.some((device) => selection?.selected.has(device.id));
  const serialLeft = { '--serial-left': selection ? `${SELECT_WIDTH}px` : '0px' } as CSSProperties;
  return (
    <ScrollRegion label="Devices, scrolls sideways">
      <Table
        striped
        highlightOnHover
        verticalSpacing={density === 'compact' ? 2 : 'xs'}
        aria-label="Devices"
        aria-busy={busy}
        className={classes.table}
        data-density={density}
        style={{ ...serialLeft, opacity: stale ? 0.6 : 1, transition: 'opacity 120ms' }}
      >
        <Table.Thead>
          <Table.Tr>
            {selection && (
              <Table.Th className={`${classes.sticky} ${classes.select}`}>
                <Checkbox
                  aria-label="Select all devices on this page"
                  checked={allOnPage}
                  indeterminate={someOnPage && !allOnPage}
                  onChange={(event) => selection.toggleAll(event.currentTarget.checked)}
                  disabled={rows.length === 0}
                  size={density === 'compact' ? 'xs' : 'sm'}
                />
              </Table.Th>
            )}
            <SortableTh
              label="Serial number"
              column="serialNumber"
              sort={sort}
              order={order}
              onSort={onSort}
              className={`${classes.sticky} ${classes.serial}`}
            />
            {columns.map((column) =>
              column.sort ? (
                <SortableTh
                  key={column.id}
                  label={column.label}
                  column={column.sort}
                  sort={sort}
                  order={order}
                  onSort={onSort}
                />
              ) : (
                <Table.Th key={column.id}>{column.label}</Table.Th>
              ),
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={columns.length + (selection ? 2 : 1)}>{empty}</Table.Td>
            </Table.Tr>
          )}
          {rows.map((device) => {
            const selected = selection?.selected.has(device.id) ?? false;
            return (
              <Table.Tr key={device.id} data-selected={selected || undefined}>
                {selection && (
                  <Table.Td className={`${classes.sticky} ${classes.select}`}>
                    <Checkbox
                      aria-label={`Select ${device.serialNumber}`}
                      checked={selected}
                      onChange={(event) => selection.toggle(device.id, event.currentTarget.checked)}
                      size={density === 'compact' ? 'xs' : 'sm'}
                    />
                  </Table.Td>
                )}
                <Table.Td className={`${classes.sticky} ${classes.serial}`}>
                  <Anchor component={Link} to={`/devices/${device.id}`} size="sm" fw={600}>
                    {device.serialNumber}
                  </Anchor>
                </Table.Td>
                {columns.map((column) => (
                  <Table.Td key={column.id}>{column.render(device)}</Table.Td>
                ))}
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollRegion>
  );
}
