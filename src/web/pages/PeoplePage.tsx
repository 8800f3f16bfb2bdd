import {
  Anchor,
  Badge,
  Button,
  EmptyState,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { type PeopleQuery, usePeople } from '../api/people.ts';
import { useSchools } from '../api/schools.ts';
import { ImportWizard } from '../components/ImportWizard.tsx';
import { PEOPLE_IMPORT_COLUMNS } from '../components/inventory/importColumns.ts';
import { PersonForm } from '../components/inventory/PersonForm.tsx';
import { LoadError } from '../components/LoadError.tsx';
import { Page } from '../components/Page.tsx';
import { SearchInput } from '../components/SearchInput.tsx';
import { useHasPermission } from '../components/SessionContext.tsx';
import { PAGE_SIZES, TablePager } from '../components/TablePager.tsx';
import { formatCount, plural } from '../lib/format.ts';
import { asKind, isUuid, KIND_LABELS } from '../lib/inventory.ts';
import { rememberListSearch } from '../lib/navigation.ts';
import { positiveInt, type UrlStateCodec, useUrlState } from '../lib/urlState.ts';

interface PeopleView extends PeopleQuery {
  page: number;
  pageSize: number;
}

const DEFAULT_PAGE_SIZE = 50;

const peopleCodec: UrlStateCodec<PeopleView> = {
  read(params) {
    const active = params.get('active');
    const pageSize = positiveInt(params.get('pageSize'), DEFAULT_PAGE_SIZE);
    return {
      q: params.get('q')?.trim().slice(0, 200) || undefined,
      kind: asKind(params.get('kind')),
      school: isUuid(params.get('school')) ? (params.get('school') as string) : undefined,
      active: active === 'true' || active === 'false' ? active : undefined,
      page: positiveInt(params.get('page'), 1),
      pageSize: (PAGE_SIZES as readonly number[]).includes(pageSize) ? pageSize : DEFAULT_PAGE_SIZE,
    };
  },
  write(view) {
    const params = new URLSearchParams();
    if (view.q) params.set('q', view.q);
    if (view.kind) params.set('kind', view.kind);
    if (view.school) params.set('school', view.school);
    if (view.active) params.set('active', view.active);
    if (view.page !== 1) params.set('page', String(view.page));
    if (view.pageSize !== DEFAULT_PAGE_SIZE) params.set('pageSize', String(view.pageSize));
    return params;
  },
};

const KIND_FILTER = [
  { value: 'any', label: 'Students and staff' },
  { value: 'student', label: 'Students' },
  { value: 'staff', label: 'Staff' },
];

const ACTIVE_FILTER = [
  { value: 'any', label: 'Active and inactive' },
  { value: 'true', label: 'Active' },
  { value: 'false', label: 'Inactive' },
];

export function PeoplePage() {
  const canWrite = useHasPermission('inventory.write');
  const [view, setView] = useUrlState(peopleCodec);
  const location = useLocation();
  const people = usePeople(view);
  const schools = useSchools();
  const [adding, setAdding] = useState(false);
  const [importing, setImporting] = useState(false);

  useEffect(() => rememberListSearch('/people', location.search), [location.search]);

  const filter = (changes: Partial<PeopleView>, replace = false) =>
    setView({ ...view, ...changes, page: 1 }, { replace });
  const filtered = Boolean(view.q || view.kind || view.school || view.active);
  const schoolOptions = (schools.data?.schools ?? []).map((school) => ({
    value: school.id,
    label: school.name,
  }));

  const actions = canWrite && (
    <Group gap="xs">
      <Button onClick={() => setAdding(true)}>Add person</Button>
      <Button variant="default" onClick={() => setImporting(true)}>
        Import CSV
      </Button>
    </Group>
  );

  let body: ReactNode;
  if (people.isPending) {
    body = <Loader aria-label="Loading people" />;
  } else if (people.isError) {
    body = (
      <LoadError
        title="Could not load people"
        error={people.error}
        onRetry={() => people.refetch()}
        retrying={people.isFetching}
      />
    );
  } else if (people.data.total === 0 && !filtered) {
    body = (
      <EmptyState>
        <EmptyState.Title order={2}>No people yet</EmptyState.Title>
        <EmptyState.Description>
          {canWrite
            ? 'Add students and staff one at a time, or import a roster saved as CSV.'
            : 'Students and staff will appear here once a technician or administrator adds them.'}
        </EmptyState.Description>
        {canWrite && (
          <EmptyState.Actions>
            <Button onClick={() => setAdding(true)}>Add person</Button>
            <Button variant="default" onClick={() => setImporting(true)}>
              Import CSV
            </Button>
          </EmptyState.Actions>
        )}
      </EmptyState>
    );
  } else {
    const { total, page, pageSize } = people.data;
    body = (
      <Stack gap="sm">
        <Table.ScrollContainer minWidth={900}>
          <Table
            striped
            highlightOnHover
            verticalSpacing="xs"
            aria-label="People"
            style={{ opacity: people.isPlaceholderData ? 0.6 : 1, transition: 'opacity 120ms' }}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>External id</Table.Th>
                <Table.Th>Email</Table.Th>
                <Table.Th>Grade</Table.Th>
                <Table.Th>School</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th ta="right">Devices</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {people.data.people.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>
                    {total > 0 ? (
                      <Stack align="center" gap="xs" py="xl">
                        <Text fw={600}>There is no one on this page</Text>
                        <Button variant="subtle" size="xs" onClick={() => setView({ ...view, page: 1 })}>
                          Go to the first page
                        </Button>
                      </Stack>
                    ) : (
                      <Stack align="center" gap="xs" py="xl">
                        <Text fw={600}>No one matches these filters</Text>
                        <Button variant="subtle" size="xs" onClick={() => setView({ page: 1, pageSize })}>
                          Clear filters
                        </Button>
                      </Stack>
                    )}
                  </Table.Td>
                </Table.Tr>
              )}
              {people.data.people.map((person) => (
                <Table.Tr key={person.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/people/${person.id}`} size="sm" fw={600}>
                      {person.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{KIND_LABELS[person.kind]}</Table.Td>
                  <Table.Td>{person.externalId ?? '—'}</Table.Td>
                  <Table.Td>{person.email ?? '—'}</Table.Td>
                  <Table.Td>{person.grade ?? '—'}</Table.Td>
                  <Table.Td>{person.school?.name ?? '—'}</Table.Td>
                  <Table.Td>
                    {person.active ? (
                      <Badge color="green" variant="light" size="sm">
                        Active
                      </Badge>
                    ) : (
                      <Badge color="gray" variant="light" size="sm">
                        Inactive
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{formatCount(person.deviceCount)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <TablePager
          page={page}
          pageSize={pageSize}
          total={total}
          noun="people"
          onPageChange={(next) => setView({ ...view, page: next })}
          onPageSizeChange={(size) => setView({ ...view, pageSize: size, page: 1 })}
        />
      </Stack>
    );
  }

  const total = people.data?.total;
  return (
    <Page title="People" actions={actions}>
      <Stack gap="md">
        <Group gap="sm" align="flex-end">
          <SearchInput
            label="Search"
            placeholder="Search name, email or external id"
            value={view.q ?? ''}
            onChange={(q) => filter({ q: q || undefined }, true)}
            style={{ flex: '1 1 260px' }}
          />
          <Select
            label="Kind"
            data={KIND_FILTER}
            value={view.kind ?? 'any'}
            onChange={(value) => filter({ kind: asKind(value) })}
            allowDeselect={false}
            w={190}
          />
          <Select
            label="Status"
            data={ACTIVE_FILTER}
            value={view.active ?? 'any'}
            onChange={(value) =>
              filter({ active: value === 'true' || value === 'false' ? value : undefined })
            }
            allowDeselect={false}
            w={190}
          />
          <Select
            label="School"
            placeholder="Any school"
            data={schoolOptions}
            value={view.school ?? null}
            onChange={(value) => filter({ school: value ?? undefined })}
            searchable
            clearable
            nothingFoundMessage="No school matches"
            w={200}
          />
          {filtered && (
            <Button variant="subtle" onClick={() => setView({ page: 1, pageSize: view.pageSize })}>
              Clear filters
            </Button>
          )}
        </Group>
        {total !== undefined && (
          <Text size="sm" c="dimmed" aria-live="polite">
            {filtered
              ? `${plural(total, 'person', 'people')} match`
              : `${plural(total, 'person', 'people')} in total`}
          </Text>
        )}
        {body}
      </Stack>
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add person" size="lg">
        {adding && <PersonForm onDone={() => setAdding(false)} onCancel={() => setAdding(false)} />}
      </Modal>
      <ImportWizard
        opened={importing}
        onClose={() => setImporting(false)}
        target="people"
        title="Import people"
        noun={{ one: 'person', many: 'people' }}
        columns={PEOPLE_IMPORT_COLUMNS}
        notes="Each row needs an external_id or an email, so it can be matched on the next import."
      />
    </Page>
  );
}
