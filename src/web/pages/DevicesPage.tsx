import { Button, EmptyState, Group, Loader, Modal, MultiSelect, Select, Stack, Text } from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { DEVICE_SORTS, NO_SCHOOL } from '../../common/inventory.ts';
import type { SavedView } from '../../common/savedViews.ts';
import { apiUrl } from '../api/client.ts';
import { type DeviceListQuery, type DeviceSort, deviceFilterParams, useDevices } from '../api/devices.ts';
import { useSchools } from '../api/schools.ts';
import { ColumnChooser } from '../components/ColumnChooser.tsx';
import { ImportWizard } from '../components/ImportWizard.tsx';
import { BulkActions } from '../components/inventory/BulkActions.tsx';
import { DensityControl } from '../components/inventory/DensityControl.tsx';
import { DeviceForm } from '../components/inventory/DeviceForm.tsx';
import { DeviceMdmFilters } from '../components/inventory/DeviceMdmFilters.tsx';
import { DeviceTable } from '../components/inventory/DeviceTable.tsx';
import { type DeviceColumn, INVENTORY_COLUMNS } from '../components/inventory/deviceColumns.tsx';
import { mdmColumns } from '../components/inventory/deviceMdmColumns.tsx';
import { DEVICE_IMPORT_COLUMNS } from '../components/inventory/importColumns.ts';
import { SavedViewsMenu } from '../components/inventory/SavedViewsMenu.tsx';
import { useDeviceColumns, useListDensity } from '../components/inventory/useDeviceColumns.ts';
import { LoadError } from '../components/LoadError.tsx';
import { Page } from '../components/Page.tsx';
import { SearchInput } from '../components/SearchInput.tsx';
import { useHasPermission } from '../components/SessionContext.tsx';
import { PAGE_SIZES, TablePager } from '../components/TablePager.tsx';
import {
  type DeviceMdmFilter,
  hasMdmFilters,
  providerOf,
  readMdmFilter,
  writeMdmFilter,
} from '../lib/deviceMdm.ts';
import { plural } from '../lib/format.ts';
import { asStatus, isUuid, STATUS_OPTIONS } from '../lib/inventory.ts';
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
  const navigate = useNavigate();
  const [density, setDensity] = useListDensity();
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
  const columns: readonly DeviceColumn[] = mdmAvailable
    ? [...INVENTORY_COLUMNS, ...mdmColumns(provider)]
    : INVENTORY_COLUMNS;
  const shownColumns = useDeviceColumns(columns);
  const openView = (view: SavedView) => {
    shownColumns.show(view.columns);
    navigate({ pathname: '/devices', search: view.filters ? `?${view.filters}` : '' });
  };
  const viewFilters = deviceQueryCodec.write({ ...query, page: 1 }).toString();
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
        <DeviceTable
          rows={rows}
          columns={shownColumns.visible}
          sort={query.sort}
          order={query.order}
          onSort={onSort}
          density={density}
          selection={canWrite ? { selected, toggle, toggleAll } : null}
          busy={devices.isFetching}
          stale={devices.isPlaceholderData}
          empty={
            total > 0 ? (
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
            )
          }
        />
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
          <Group gap="xs">
            <DensityControl value={density} onChange={setDensity} />
            <SavedViewsMenu filters={viewFilters} columns={shownColumns.shownIds} onOpen={openView} />
            <ColumnChooser
              columns={columns}
              visible={shownColumns.shownIds}
              onChange={shownColumns.choose}
              onReset={shownColumns.reset}
            />
          </Group>
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
