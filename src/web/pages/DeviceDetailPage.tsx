import {
  Alert,
  Anchor,
  Button,
  Card,
  DataList,
  Grid,
  Group,
  Loader,
  Modal,
  Stack,
  Table,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { DeviceDetail, DeviceHistory } from '../../common/inventory.ts';
import { ApiError } from '../api/client.ts';
import { useDevice, useDeviceHistory } from '../api/devices.ts';
import { useSchools } from '../api/schools.ts';
import { DocumentTitle } from '../components/DocumentTitle.tsx';
import { CheckInForm, CheckOutForm } from '../components/inventory/AssignmentModals.tsx';
import { DeviceForm } from '../components/inventory/DeviceForm.tsx';
import { DeviceMdmPanels } from '../components/inventory/DeviceMdmPanels.tsx';
import { StatusBadge } from '../components/inventory/StatusBadge.tsx';
import { WarrantyEnd } from '../components/inventory/WarrantyEnd.tsx';
import { LoadError } from '../components/LoadError.tsx';
import { useHasPermission } from '../components/SessionContext.tsx';
import { type ActivityNames, describeDeviceEvent } from '../lib/deviceActivity.ts';
import { formatDateTime, formatDay } from '../lib/format.ts';
import { isOutOfUse, STATUS_LABELS, TYPE_LABELS } from '../lib/inventory.ts';
import { listPath } from '../lib/navigation.ts';

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function orDash(value: string | null | undefined): string {
  return value ? value : '—';
}

function IdentityCard({ device }: { device: DeviceDetail }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="device-identity">
      <Title order={2} size="h4" id="device-identity" mb="md">
        Device
      </Title>
      <DataList labelWidth={140} gap="xs">
        <Field label="Serial number">{device.serialNumber}</Field>
        <Field label="Asset tag">{orDash(device.assetTag)}</Field>
        <Field label="Model">{orDash(device.model)}</Field>
        <Field label="Manufacturer">{orDash(device.manufacturer)}</Field>
        <Field label="Type">{TYPE_LABELS[device.type]}</Field>
        <Field label="Status">{STATUS_LABELS[device.status]}</Field>
        <Field label="School">
          {device.school ? (
            <Anchor component={Link} to={`/devices?school=${device.school.id}`} size="sm">
              {device.school.name}
            </Anchor>
          ) : (
            '—'
          )}
        </Field>
        <Field label="Purchase date">{formatDay(device.purchaseDate)}</Field>
        <Field label="Warranty end">
          <WarrantyEnd day={device.warrantyEnd} />
        </Field>
        <Field label="Notes">
          <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {orDash(device.notes)}
          </Text>
        </Field>
        <Field label="Added">{formatDateTime(device.createdAt)}</Field>
        <Field label="Last changed">{formatDateTime(device.updatedAt)}</Field>
      </DataList>
    </Card>
  );
}

function AssignmentCard({ device }: { device: DeviceDetail }) {
  const canAct = useHasPermission('device.actions');
  const [modal, setModal] = useState<'check-out' | 'check-in' | null>(null);
  const assignment = device.currentAssignment;
  const outOfUse = isOutOfUse(device.status);

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="current-assignment">
      <Stack gap="sm">
        <Title order={2} size="h4" id="current-assignment">
          Current assignment
        </Title>
        {assignment ? (
          <>
            <Text>
              Checked out to{' '}
              <Anchor component={Link} to={`/people/${assignment.person.id}`} fw={600}>
                {assignment.person.name}
              </Anchor>
            </Text>
            {(assignment.person.email ?? assignment.person.externalId) && (
              <Text size="sm" c="dimmed">
                {assignment.person.email ?? assignment.person.externalId}
              </Text>
            )}
            <Text size="sm">
              Since {formatDateTime(assignment.checkedOutAt)}, by {assignment.checkedOutBy}
            </Text>
            {canAct && (
              <Group>
                <Button onClick={() => setModal('check-in')}>Check in</Button>
              </Group>
            )}
          </>
        ) : (
          <>
            <Text c="dimmed">Not checked out.</Text>
            {outOfUse && (
              <Text size="sm" c="dimmed">
                A {STATUS_LABELS[device.status].toLowerCase()} device cannot be checked out. Change its status
                first.
              </Text>
            )}
            {canAct && (
              <Group>
                <Button onClick={() => setModal('check-out')} disabled={outOfUse}>
                  Check out
                </Button>
              </Group>
            )}
          </>
        )}
      </Stack>
      <Modal opened={modal === 'check-out'} onClose={() => setModal(null)} title="Check out device">
        <CheckOutForm device={device} onDone={() => setModal(null)} />
      </Modal>
      <Modal opened={modal === 'check-in'} onClose={() => setModal(null)} title="Check in device">
        <CheckInForm device={device} onDone={() => setModal(null)} />
      </Modal>
    </Card>
  );
}

function AssignmentHistory({ history }: { history: DeviceHistory }) {
  if (history.assignments.length === 0) {
    return <Text c="dimmed">This device has never been checked out.</Text>;
  }
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped verticalSpacing="xs" aria-label="Assignment history">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Person</Table.Th>
            <Table.Th>Checked out</Table.Th>
            <Table.Th>Checked in</Table.Th>
            <Table.Th>Note</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {history.assignments.map((assignment) => (
            <Table.Tr key={assignment.id}>
              <Table.Td>
                <Anchor component={Link} to={`/people/${assignment.person.id}`} size="sm">
                  {assignment.person.name}
                </Anchor>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDateTime(assignment.checkedOutAt)}</Text>
                <Text size="xs" c="dimmed">
                  by {assignment.checkedOutBy}
                </Text>
              </Table.Td>
              <Table.Td>
                {assignment.checkedInAt ? (
                  <>
                    <Text size="sm">{formatDateTime(assignment.checkedInAt)}</Text>
                    {assignment.checkedInBy && (
                      <Text size="xs" c="dimmed">
                        by {assignment.checkedInBy}
                      </Text>
                    )}
                  </>
                ) : (
                  <Text size="sm" fw={600}>
                    Still checked out
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {orDash(assignment.checkInNote)}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Activity({ history, device }: { history: DeviceHistory; device: DeviceDetail }) {
  const schools = useSchools();
  if (history.events.length === 0) return <Text c="dimmed">No activity recorded.</Text>;
  const people = new Map<string, string>();
  for (const assignment of history.assignments) people.set(assignment.person.id, assignment.person.name);
  if (device.assignedTo) people.set(device.assignedTo.id, device.assignedTo.name);
  const names: ActivityNames = {
    school: (id) => schools.data?.schools.find((school) => school.id === id)?.name,
    person: (id) => people.get(id),
  };
  return (
    <Timeline bulletSize={12} lineWidth={2} aria-label="Activity">
      {history.events.map((event) => {
        const text = describeDeviceEvent(event, names);
        return (
          <Timeline.Item key={event.id} title={text.title}>
            {text.lines.map((line) => (
              <Text key={line} size="sm" style={{ wordBreak: 'break-word' }}>
                {line}
              </Text>
            ))}
            <Text size="xs" c="dimmed" mt={4}>
              {formatDateTime(event.at)} · {event.actor}
            </Text>
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

function HistorySections({ device }: { device: DeviceDetail }) {
  const history = useDeviceHistory(device.id);
  let assignments: ReactNode;
  let activity: ReactNode;
  if (history.isPending) {
    assignments = <Loader size="sm" aria-label="Loading the assignment history" />;
    activity = <Loader size="sm" aria-label="Loading the activity" />;
  } else if (history.isError) {
    const error = (
      <LoadError
        title="Could not load the history"
        error={history.error}
        onRetry={() => history.refetch()}
        retrying={history.isFetching}
      />
    );
    assignments = error;
    activity = null;
  } else {
    assignments = <AssignmentHistory history={history.data} />;
    activity = <Activity history={history.data} device={device} />;
  }
  return (
    <>
      <Card withBorder padding="lg" component="section" aria-labelledby="assignment-history">
        <Title order={2} size="h4" id="assignment-history" mb="md">
          Assignment history
        </Title>
        {assignments}
      </Card>
      {activity && (
        <Card withBorder padding="lg" component="section" aria-labelledby="device-activity">
          <Title order={2} size="h4" id="device-activity" mb="md">
            Activity
          </Title>
          {activity}
        </Card>
      )}
    </>
  );
}

function BackLink() {
  return (
    <Anchor component={Link} to={listPath('/devices')} size="sm">
      ← All devices
    </Anchor>
  );
}

export function DeviceDetailPage() {
  const { id = '' } = useParams();
  const device = useDevice(id);
  const canWrite = useHasPermission('inventory.write');
  const [editing, setEditing] = useState(false);

  if (device.isPending) {
    return <Loader aria-label="Loading the device" />;
  }
  if (device.isError) {
    const missing =
      device.error instanceof ApiError && (device.error.status === 404 || device.error.status === 400);
    return (
      <Stack gap="md">
        <DocumentTitle title={missing ? 'Device not found' : 'Device'} />
        <BackLink />
        {missing ? (
          <Alert color="yellow" title="Device not found">
            There is no device at this address. It may have been a link to another district.
          </Alert>
        ) : (
          <LoadError
            title="Could not load the device"
            error={device.error}
            onRetry={() => device.refetch()}
            retrying={device.isFetching}
          />
        )}
      </Stack>
    );
  }

  const data = device.data;
  return (
    <Stack gap="lg">
      <DocumentTitle title={data.serialNumber} />
      <BackLink />
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Group gap="sm" align="center">
            <Title order={1} size="h2" style={{ wordBreak: 'break-all' }}>
              {data.serialNumber}
            </Title>
            <StatusBadge status={data.status} size="lg" />
          </Group>
          <Text c="dimmed">
            {[data.model, data.assetTag ? `Asset tag ${data.assetTag}` : null].filter(Boolean).join(' · ') ||
              'No model recorded'}
          </Text>
        </Stack>
        {canWrite && (
          <Button variant="default" onClick={() => setEditing(true)}>
            Edit
          </Button>
        )}
      </Group>
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <IdentityCard device={data} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <AssignmentCard device={data} />
        </Grid.Col>
      </Grid>
      <DeviceMdmPanels device={data} />
      <HistorySections device={data} />
      <Modal opened={editing} onClose={() => setEditing(false)} title="Edit device" size="lg">
        {editing && (
          <DeviceForm device={data} onDone={() => setEditing(false)} onCancel={() => setEditing(false)} />
        )}
      </Modal>
    </Stack>
  );
}
