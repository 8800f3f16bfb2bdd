import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  DataList,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import { type PersonAssignment, usePerson } from '../api/people.ts';
import { DocumentTitle } from '../components/DocumentTitle.tsx';
import { PersonForm } from '../components/inventory/PersonForm.tsx';
import { PersonMdmDevices } from '../components/inventory/PersonMdmDevices.tsx';
import { StatusBadge } from '../components/inventory/StatusBadge.tsx';
import { LoadError } from '../components/LoadError.tsx';
import { useHasPermission } from '../components/SessionContext.tsx';
import { formatDateTime } from '../lib/format.ts';
import { asStatus, KIND_LABELS } from '../lib/inventory.ts';
import { listPath } from '../lib/navigation.ts';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function DeviceCell({ device }: { device: PersonAssignment['device'] }) {
  const status = asStatus(device.status);
  return (
    <Group gap="xs" wrap="nowrap">
      <Anchor component={Link} to={`/devices/${device.id}`} size="sm" fw={600}>
        {device.serialNumber}
      </Anchor>
      {status && <StatusBadge status={status} />}
    </Group>
  );
}

function CurrentDevices({ assignments }: { assignments: PersonAssignment[] }) {
  if (assignments.length === 0) return <Text c="dimmed">No devices checked out.</Text>;
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table striped verticalSpacing="xs" aria-label="Current devices">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Device</Table.Th>
            <Table.Th>Asset tag</Table.Th>
            <Table.Th>Model</Table.Th>
            <Table.Th>Checked out</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {assignments.map((assignment) => (
            <Table.Tr key={assignment.id}>
              <Table.Td>
                <DeviceCell device={assignment.device} />
              </Table.Td>
              <Table.Td>{assignment.device.assetTag ?? '—'}</Table.Td>
              <Table.Td>{assignment.device.model ?? '—'}</Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(assignment.checkedOutAt)}</Text>
                <Text size="xs" c="dimmed">
                  by {assignment.checkedOutBy}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function PastDevices({ assignments }: { assignments: PersonAssignment[] }) {
  if (assignments.length === 0) return <Text c="dimmed">No earlier devices.</Text>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped verticalSpacing="xs" aria-label="Device history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Device</Table.Th>
            <Table.Th>Model</Table.Th>
            <Table.Th>Checked out</Table.Th>
            <Table.Th>Checked in</Table.Th>
            <Table.Th>Note</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {assignments.map((assignment) => (
            <Table.Tr key={assignment.id}>
              <Table.Td>
                <DeviceCell device={assignment.device} />
              </Table.Td>
              <Table.Td>{assignment.device.model ?? '—'}</Table.Td>
              <Table.Td>{formatDateTime(assignment.checkedOutAt)}</Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(assignment.checkedInAt)}</Text>
                {assignment.checkedInBy && (
                  <Text size="xs" c="dimmed">
                    by {assignment.checkedInBy}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {assignment.checkInNote ?? '—'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function BackLink() {
  return (
    <Anchor component={Link} to={listPath('/people')} size="sm">
      ← All people
    </Anchor>
  );
}

export function PersonDetailPage() {
  const { id = '' } = useParams();
  const person = usePerson(id);
  const canWrite = useHasPermission('inventory.write');
  const [editing, setEditing] = useState(false);

  if (person.isPending) return <Loader aria-label="Loading the person" />;
  if (person.isError) {
    const missing =
      person.error instanceof ApiError && (person.error.status === 404 || person.error.status === 400);
    return (
      <Stack gap="md">
        <DocumentTitle title={missing ? 'Person not found' : 'Person'} />
        <BackLink />
        {missing ? (
          <Alert color="yellow" title="Person not found">
            There is no one at this address. It may have been a link to another district.
          </Alert>
        ) : (
          <LoadError
            title="Could not load this person"
            error={person.error}
            onRetry={() => person.refetch()}
            retrying={person.isFetching}
          />
        )}
      </Stack>
    );
  }

  const data = person.data;
  const current = data.assignments.filter((assignment) => assignment.checkedInAt === null);
  const past = data.assignments.filter((assignment) => assignment.checkedInAt !== null);

  return (
    <Stack gap="lg">
      <DocumentTitle title={data.name} />
      <BackLink />
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm">
            <Title order={1} size="h2">
              {data.name}
            </Title>
            <Badge variant="light">{KIND_LABELS[data.kind]}</Badge>
            {!data.active && (
              <Badge color="gray" variant="light">
                Inactive
              </Badge>
            )}
          </Group>
          {data.school && <Text c="dimmed">{data.school.name}</Text>}
        </Stack>
        {canWrite && (
          <Button variant="default" onClick={() => setEditing(true)}>
            Edit
          </Button>
        )}
      </Group>

      <Card withBorder padding="lg" component="section" aria-labelledby="person-details">
        <Title order={2} size="h4" id="person-details" mb="md">
          Details
        </Title>
        <DataList labelWidth={140} gap="xs">
          <Field label="Kind">{KIND_LABELS[data.kind]}</Field>
          <Field label="Email">{data.email ?? '—'}</Field>
          <Field label="External id">{data.externalId ?? '—'}</Field>
          <Field label="Grade">{data.grade ?? '—'}</Field>
          <Field label="School">{data.school?.name ?? '—'}</Field>
          <Field label="Status">{data.active ? 'Active' : 'Inactive'}</Field>
          <Field label="Added">{formatDateTime(data.createdAt)}</Field>
          <Field label="Last changed">{formatDateTime(data.updatedAt)}</Field>
        </DataList>
      </Card>

      <Card withBorder padding="lg" component="section" aria-labelledby="person-current-devices">
        <Title order={2} size="h4" id="person-current-devices" mb="md">
          Current devices
        </Title>
        <CurrentDevices assignments={current} />
      </Card>

      {current.length > 0 && (
        <Card withBorder padding="lg" component="section" aria-labelledby="person-mdm-devices">
          <Title order={2} size="h4" id="person-mdm-devices" mb="md">
            What the MDM says about these devices
          </Title>
          <PersonMdmDevices personId={data.id} />
        </Card>
      )}

      <Card withBorder padding="lg" component="section" aria-labelledby="person-device-history">
        <Title order={2} size="h4" id="person-device-history" mb="md">
          Device history
        </Title>
        <PastDevices assignments={past} />
      </Card>

      <Modal opened={editing} onClose={() => setEditing(false)} title="Edit person" size="lg">
        {editing && (
          <PersonForm person={data} onDone={() => setEditing(false)} onCancel={() => setEditing(false)} />
        )}
      </Modal>
    </Stack>
  );
}
