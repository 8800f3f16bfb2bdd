import {
  Anchor,
  Button,
  EmptyState,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  TextInput,
  VisuallyHidden,
} from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import type { School } from '../../common/inventory.ts';
import { useCreateSchool, useSchools, useUpdateSchool } from '../api/schools.ts';
import { FormError } from '../components/FormError.tsx';
import { LoadError } from '../components/LoadError.tsx';
import { Page } from '../components/Page.tsx';
import { useHasPermission } from '../components/SessionContext.tsx';
import { fieldErrorsFor, notifySuccess } from '../lib/errors.ts';
import { formatCount } from '../lib/format.ts';

const FIELDS = ['name', 'code'] as const;

function SchoolForm({ school, onDone }: { school?: School; onDone: () => void }) {
  const createSchool = useCreateSchool();
  const updateSchool = useUpdateSchool();
  const mutation = school ? updateSchool : createSchool;
  const form = useForm({
    initialValues: { name: school?.name ?? '', code: school?.code ?? '' },
    validate: { name: isNotEmpty('Enter the school name') },
  });

  const handleSubmit = form.onSubmit((values) => {
    const body = { name: values.name.trim(), code: values.code.trim() === '' ? null : values.code.trim() };
    const onError = (error: unknown) => form.setErrors(fieldErrorsFor(error, FIELDS));
    if (school) {
      updateSchool.mutate(
        { id: school.id, changes: body },
        {
          onSuccess: (updated) => {
            notifySuccess(`${updated.name} was saved.`, 'School saved');
            onDone();
          },
          onError,
        },
      );
    } else {
      createSchool.mutate(body, {
        onSuccess: (created) => {
          notifySuccess(`${created.name} was added.`, 'School added');
          onDone();
        },
        onError,
      });
    }
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={mutation.error} fields={FIELDS} />
        <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
        <TextInput
          label="Code"
          description="Optional short code, e.g. from your student information system. CSV imports accept the name or the code."
          {...form.getInputProps('code')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {school ? 'Save' : 'Add school'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function SchoolsPage() {
  const canWrite = useHasPermission('inventory.write');
  const schools = useSchools();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<School | null>(null);

  let body: ReactNode;
  if (schools.isPending) {
    body = <Loader aria-label="Loading schools" />;
  } else if (schools.isError) {
    body = (
      <LoadError
        title="Could not load schools"
        error={schools.error}
        onRetry={() => schools.refetch()}
        retrying={schools.isFetching}
      />
    );
  } else if (schools.data.schools.length === 0) {
    body = (
      <EmptyState>
        <EmptyState.Title order={2}>No schools yet</EmptyState.Title>
        <EmptyState.Description>
          Schools group devices and people. Add them here before importing files that name them.
        </EmptyState.Description>
        {canWrite && (
          <EmptyState.Actions>
            <Button onClick={() => setAdding(true)}>Add school</Button>
          </EmptyState.Actions>
        )}
      </EmptyState>
    );
  } else {
    body = (
      <Table.ScrollContainer minWidth={500}>
        <Table striped highlightOnHover verticalSpacing="xs" aria-label="Schools">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Code</Table.Th>
              <Table.Th ta="right">Devices</Table.Th>
              {canWrite && (
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              )}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {schools.data.schools.map((school) => (
              <Table.Tr key={school.id}>
                <Table.Td>{school.name}</Table.Td>
                <Table.Td>{school.code ?? '—'}</Table.Td>
                <Table.Td ta="right">
                  <Anchor component={Link} to={`/devices?school=${school.id}`} size="sm">
                    {formatCount(school.deviceCount)}
                  </Anchor>
                </Table.Td>
                {canWrite && (
                  <Table.Td ta="right">
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => setEditing(school)}
                      aria-label={`Rename ${school.name}`}
                    >
                      Rename
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Page title="Schools" actions={canWrite && <Button onClick={() => setAdding(true)}>Add school</Button>}>
      {body}
      <Modal opened={adding} onClose={() => setAdding(false)} title="Add school">
        {adding && <SchoolForm onDone={() => setAdding(false)} />}
      </Modal>
      <Modal opened={editing !== null} onClose={() => setEditing(null)} title="Rename school">
        {editing && <SchoolForm school={editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Page>
  );
}
