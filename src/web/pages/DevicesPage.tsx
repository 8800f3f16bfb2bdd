import {
  Anchor,
  Button,
  Checkbox,
  EmptyState,
  Group,
  Loader,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { useLocalStorage } from '@mantine/hooks';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { DEVICE_SORTS, type DeviceListItem, NO_SCHOOL } from '../../common/inventory.ts';
import { apiUrl } from '../api/client.ts';
import { type DeviceListQuery, type DeviceSort, deviceFilterParams, useDevices } from '../api/devices.ts';
import { useSchools } from '../api/schools.ts';
import { ColumnChooser } from '../components/ColumnChooser.tsx';
import { ImportWizard } from '../components/ImportWizard.tsx';
import { BulkActions } from '../components/inventory/BulkActions.tsx';
import { DeviceForm } from '../components/inventory/DeviceForm.tsx';
import { DeviceMdmFilters } from '../components/inventory/DeviceMdmFilters.tsx';
import { MDM_COLUMN_IDS, type MdmColumnId, mdmColumns } from '../components/inventory/deviceMdmColumns.tsx';
import { DEVICE_IMPORT_COLUMNS } from '../components/inventory/importColumns.ts';
import { StatusBadge } from '../components/inventory/StatusBadge.tsx';
import { LoadError } from '../components/LoadError.tsx';
import { Page } from '../components/Page.tsx';
import { SearchInput } from '../components/SearchInput.tsx';
import { useHasPermission } from '../components/SessionContext.tsx';
import { SortableTh } from '../components/SortableTh.tsx';
import { PAGE_SIZES, TablePager } from '../components/TablePager.tsx';
import {
  type DeviceMdmFilter,
  hasMdmFilters,
  providerOf,
  readMdmFilter,
  writeMdmFilter,
} from '../lib/deviceMdm.ts';
import { formatDateTime, formatDay, plural } from '../lib/format.ts';
import { asStatus, isUuid, STATUS_OPTIONS, TYPE_LABELS } from '../lib/inventory.ts';
import { rememberListSearch } from '../lib/navigation.ts';
import { positiveInt, type UrlStateCodec, useUrlState } from '../lib/urlState.ts';
import { providerLabel } from '../providers/index.ts';

/** A school's id, or `none` for devices without one. */
function schoolParam(value: string | null): string | undefined {
  return isUuid(value) || value === NO_SCHOOL ? (value as string) : undefined;
}

const DEFAULT_QUERY: DeviceListQuery = { sort: 'serialNumber', order: 'asc', page: 1, pageSize: 50 };
/** Newest-first is the useful first click on a date column. */
const DESCENDING_FIRST: readonly DeviceSort[] = ['updatedAt', 'createdAt'];

const deviceQueryCodec: UrlStateCodec<DeviceListQuery> = {
  read(params) {
    const status = [...new Set(params.getAll('status').map(asStatus))].filter((value) => value !== undefined);
    const assigned = params.get('assigned');
    const sort = DEVICE_SORTS.find((value) => value === params.get('sort')) ?? DEFAULT_QUERY.sort;
    const pageSize = positiveInt(params.get('pageSize'), DEFAULT_QUERY.pageSize);
    return {
      status: status.length > 0 ? status : undefined,
      school: schoolParam(params.get('school')),
      model: params.get('model')?.trim().slice(0, 200) || undefined,
      assigned: assigned === 'true' || assigned === 'false' ? assigned : undefined,
      q: params.get('q')?.trim().slice(0, 200) || undefined,
      ...readMdmFilter(params),
      sort,
      order: params.get('order') === 'desc' ? 'desc' : 'asc',
      page: positiveInt(params.get('page'), 1),
      pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_QUERY.pageSize,
    };
  },
  write(query) {
    const params = new URLSearchParams();
    if (query.q) params.set('q', query.q);
    for (const status of query.status ?? []) params.append('status', status);
    if (query.school) params.set('school', query.school);
    if (query.model) params.set('model', query.model);
    if (query.assigned) params.set('assigned', query.assigned);
    writeMdmFilter(query, params);
    if (query.sort !== DEFAULT_QUERY.sort || query.order !== DEFAULT_QUERY.order) {
      params.set('sort', query.sort);
      params.set('order', query.order);
    }
    if (query.page !== 1) params.set('page', String(query.page));
    if (query.pageSize !== DEFAULT_QUERY.pageSize) params.set('pageSize', String(query.pageSize));
    return params;
  },
};

type ColumnId =
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

interface Column {
  id: ColumnId;
  label: string;
  sort?: DeviceSort;
  render: (device: DeviceListItem) => ReactNode;
}

const COLUMNS: readonly Column[] = [
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

const DEFAULT_COLUMNS: ColumnId[] = ['assetTag', 'model', 'status', 'school', 'assignedTo', 'updatedAt'];
const COLUMN_IDS = new Set<string>([...COLUMNS.map((column) => column.id), ...MDM_COLUMN_IDS]);

function readColumns(stored: string | undefined): ColumnId[] {
  try {
    const parsed: unknown = stored ? JSON.parse(stored) : undefined;
    if (!Array.isArray(parsed)) return DEFAULT_COLUMNS;
    return parsed.filter((id): id is ColumnId => typeof id === 'string' && COLUMN_IDS.has(id));
  } catch {
    return DEFAULT_COLUMNS;
  }
}

function hasFilters(query: DeviceListQuery): boolean {
  return Boolean(
    query.q || query.status?.length || query.school || query.model || query.assigned || hasMdmFilters(query),
  );
}

const ASSIGNED_OPTIONS = [
  { value: 'any', label: 'Any' },
  { value: 'true', label: 'Checked out' },
  { value: 'false', label: 'Not checked out' },
];

interface Selection {
  /** The view the selection was made in; changing page or filters starts a new one. */
  view: string;
  ids: Set<string>;
}

export function DevicesPage() {
  const canWrite = useHasPermission('inventory.write');
  const [query, setQuery] = useUrlState(deviceQueryCodec);
  const location = useLocation();
  const devices = useDevices(query);
  const schools = useSchools();
  const [storedColumns, setStoredColumns] = useLocalStorage<ColumnId[]>({
    key: 'satchel.devices.columns',
    defaultValue: DEFAULT_COLUMNS,
    getInitialValueInEffect: false,
    deserialize: readColumns,
  });
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);
  const [selection, setSelection] = useState<Selection>({ view: '', ids: new Set() });
  const [showMdmFilters, setShowMdmFilters] = useState(false);

  useEffect(() => rememberListSearch('/devices', location.search), [location.search]);

  /** Changes to filters go back to page 1; paging keeps the filters. */
  const filter = (changes: Partial<DeviceListQuery>, replace = false) =>
    setQuery({ ...query, ...changes, page: 1 }, { replace });

  const clearFilters = () =>
    setQuery({ ...DEFAULT_QUERY, sort: query.sort, order: query.order, pageSize: query.pageSize });

  const onSort = (column: DeviceSort) => {
    if (column === query.sort) {
      setQuery({ ...query, order: query.order === 'asc' ? 'desc' : 'asc', page: 1 });
    } else {
      setQuery({
        ...query,
        sort: column,
        order: DESCENDING_FIRST.includes(column) ? 'desc' : 'asc',
        page: 1,
      });
    }
  };

  const view = location.search;
  const selected = selection.view === view ? selection.ids : new Set<string>();
  const setSelected = (ids: Set<string>) => setSelection({ view, ids });
  const rows = devices.data?.devices ?? [];
  const allOnPage = rows.length > 0 && rows.every((device) => selected.has(device.id));
  const someOnPage = rows.some((device) => selected.has(device.id));

  const toggleAll = (checked: boolean) =>
    setSelected(new Set(checked ? rows.map((device) => device.id) : []));
  const toggle = (id: string, checked: boolean) => {
    const next = new Set(selected);
    if (checked) next.add(id);
    else next.delete(id);
    setSelected(next);
  };

  // The provider's columns and filters appear once the district has its data (any role sees the list's
  // mdmProviders); filters already in the address show regardless, so a shared link always explains itself.
  const withData = devices.data?.mdmProviders ?? [];
  const provider = providerOf(query, withData);
  const brand = provider ? providerLabel(provider) : 'MDM';
  const mdmAvailable = provider ? withData.includes(provider) : withData.length > 0;
  const mdmFiltered = hasMdmFilters(query);
  const columns: readonly Column[] = mdmAvailable ? [...COLUMNS, ...mdmColumns(provider)] : COLUMNS;
  const visibleColumns = columns.filter((column) => storedColumns.includes(column.id));
  const schoolOptions = [
    ...(schools.data?.schools ?? []).map((school) => ({ value: school.id, label: school.name })),
    { value: NO_SCHOOL, label: 'No school' },
  ];
  const exportHref = apiUrl('/devices/export.csv', deviceFilterParams(query));
  const filtered = hasFilters(query);

  const actions = (
    <Group gap="xs">
      {canWrite && <Button onClick={() => setAdding(true)}>Add device</Button>}
      {canWrite && (
        <Button variant="default" onClick={() => setImporting(true)}>
          Import CSV
        </Button>
      )}
      <Button component="a" href={exportHref} download variant="default">
        Export CSV
      </Button>
    </Group>
  );

  const filters = (
    <Group gap="sm" align="flex-start">
      <SearchInput
        label="Search"
        placeholder="Search serial, asset tag, model, person, or MDM user, name or MAC"
        value={query.q ?? ''}
        onChange={(q) => filter({ q: q || undefined }, true)}
        style={{ flex: '1 1 260px' }}
      />
      <MultiSelect
        label="Status"
        placeholder={query.status?.length ? undefined : 'Any status'}
        data={STATUS_OPTIONS}
        value={query.status ?? []}
        onChange={(values) => {
          const status = values.map(asStatus).filter((value) => value !== undefined);
          filter({ status: status.length > 0 ? status : undefined });
        }}
        clearable
        w={260}
      />
      <Select
        label="School"
        placeholder="Any school"
        data={schoolOptions}
        value={query.school ?? null}
        onChange={(value) => filter({ school: value ?? undefined })}
        searchable
        clearable
        nothingFoundMessage="No school matches"
        w={190}
      />
      <SearchInput
        label="Model"
        placeholder="Exact model"
        value={query.model ?? ''}
        onChange={(model) => filter({ model: model || undefined }, true)}
        w={160}
      />
      <Select
        label="Checked out"
        data={ASSIGNED_OPTIONS}
        value={query.assigned ?? 'any'}
        onChange={(value) => filter({ assigned: value === 'true' || value === 'false' ? value : undefined })}
        allowDeselect={false}
        w={150}
      />
      {mdmAvailable && !mdmFiltered && (
        <Button
          variant="subtle"
          mt={24}
          aria-expanded={showMdmFilters}
          onClick={() => setShowMdmFilters((shown) => !shown)}
        >
          {showMdmFilters ? `Hide ${brand} filters` : `${brand} filters`}
        </Button>
      )}
    </Group>
  );
  const mdmFilters = (mdmFiltered || (mdmAvailable && showMdmFilters)) && (
    <DeviceMdmFilters
      filter={query}
      providers={withData}
      conditions={devices.data?.mdmConditions ?? {}}
      onChange={(changes: DeviceMdmFilter) => {
        // Clearing the last of them keeps the panel open; the toggle hides it.
        setShowMdmFilters(true);
        filter(changes);
      }}
    />
  );

  let body: ReactNode;
  if (devices.isPending) {
    body = <Loader aria-label="Loading devices" />;
  } else if (devices.isError) {
    body = (
      <LoadError
        title="Could not load devices"
        error={devices.error}
        onRetry={() => devices.refetch()}
        retrying={devices.isFetching}
      />
    );
  } else if (devices.data.total === 0 && !filtered) {
    body = (
      <EmptyState>
        <EmptyState.Title order={2}>No devices yet</EmptyState.Title>
        <EmptyState.Description>
          {canWrite
            ? 'Add devices one at a time, or import your inventory from a spreadsheet saved as CSV.'
            : 'Devices will appear here once a technician or administrator adds them.'}
        </EmptyState.Description>
        {canWrite && (
          <EmptyState.Actions>
            <Button onClick={() => setAdding(true)}>Add device</Button>
            <Button variant="default" onClick={() => setImporting(true)}>
              Import CSV
            </Button>
          </EmptyState.Actions>
        )}
      </EmptyState>
    );
  } else {
    const { total, page, pageSize } = devices.data;
    body = (
      <Stack gap="sm">
        {canWrite && selected.size > 0 && (
          <BulkActions
            deviceIds={[...selected]}
            onChanged={() => setSelected(new Set())}
            onClearSelection={() => setSelected(new Set())}
          />
        )}
        <Table.ScrollContainer minWidth={720}>
          <Table
            striped
            highlightOnHover
            verticalSpacing="xs"
            aria-label="Devices"
            aria-busy={devices.isFetching}
            style={{ opacity: devices.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }}
          >
            <Table.Thead>
              <Table.Tr>
                {canWrite && (
                  <Table.Th w={40}>
                    <Checkbox
                      aria-label="Select all devices on this page"
                      checked={allOnPage}
                      indeterminate={someOnPage && !allOnPage}
                      onChange={(event) => toggleAll(event.currentTarget.checked)}
                      disabled={rows.length === 0}
                    />
                  </Table.Th>
                )}
                <SortableTh
                  label="Serial number"
                  column="serialNumber"
                  sort={query.sort}
                  order={query.order}
                  onSort={onSort}
                />
                {visibleColumns.map((column) =>
                  column.sort ? (
                    <SortableTh
                      key={column.id}
                      label={column.label}
                      column={column.sort}
                      sort={query.sort}
                      order={query.order}
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
                  <Table.Td colSpan={visibleColumns.length + (canWrite ? 2 : 1)}>
                    {total > 0 ? (
                      <Stack align="center" gap="xs" py="xl">
                        <Text fw={600}>There are no devices on this page</Text>
                        <Button variant="subtle" size="xs" onClick={() => setQuery({ ...query, page: 1 })}>
                          Go to the first page
                        </Button>
                      </Stack>
                    ) : (
                      <Stack align="center" gap="xs" py="xl">
                        <Text fw={600}>No devices match these filters</Text>
                        <Button variant="subtle" size="xs" onClick={clearFilters}>
                          Clear filters
                        </Button>
                      </Stack>
                    )}
                  </Table.Td>
                </Table.Tr>
              )}
              {rows.map((device) => (
                <Table.Tr
                  key={device.id}
                  bg={selected.has(device.id) ? 'var(--mantine-color-blue-light)' : undefined}
                >
                  {canWrite && (
                    <Table.Td>
                      <Checkbox
                        aria-label={`Select ${device.serialNumber}`}
                        checked={selected.has(device.id)}
                        onChange={(event) => toggle(device.id, event.currentTarget.checked)}
                      />
                    </Table.Td>
                  )}
                  <Table.Td>
                    <Anchor component={Link} to={`/devices/${device.id}`} size="sm" fw={600}>
                      {device.serialNumber}
                    </Anchor>
                  </Table.Td>
                  {visibleColumns.map((column) => (
                    <Table.Td key={column.id}>{column.render(device)}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <TablePager
          page={page}
          pageSize={pageSize}
          total={total}
          noun="devices"
          onPageChange={(next) => setQuery({ ...query, page: next })}
          onPageSizeChange={(size) => setQuery({ ...query, pageSize: size, page: 1 })}
        />
      </Stack>
    );
  }

  const total = devices.data?.total;
  return (
    <Page title="Devices" actions={actions}>
      <Stack gap="md">
        {filters}
        {mdmFilters}
        <Group justify="space-between" mih={36}>
          <Group gap="xs">
            <Text size="sm" c="dimmed" aria-live="polite">
              {total === undefined
                ? ''
                : filtered
                  ? `${plural(total, 'device')} match`
                  : `${plural(total, 'device')} in total`}
            </Text>
            {filtered && (
              <Button variant="subtle" size="compact-sm" onClick={clearFilters}>
                Clear filters
              </Button>
            )}
          </Group>
          <ColumnChooser
            columns={columns}
            visible={storedColumns}
            onChange={setStoredColumns}
            onReset={() => setStoredColumns(DEFAULT_COLUMNS)}
          />
        </Group>
        {body}
      </Stack>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add device" size="lg">
        {adding && <DeviceForm onDone={() => setAdding(false)} onCancel={() => setAdding(false)} />}
      </Modal>
      <ImportWizard
        opened={importing}
        onClose={() => setImporting(false)}
        target="devices"
        title="Import devices"
        noun={{ one: 'device', many: 'devices' }}
        columns={DEVICE_IMPORT_COLUMNS}
        notes="A row with assigned_to checks the device out to that person; a device marked lost, stolen, retired or disposed is checked in."
      />
    </Page>
  );
}
