import { Button, Checkbox, Group, Modal, Paper, Select, Stack, Text } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useBulkUpdateDevices } from '../../api/devices.ts';
import { useSchools } from '../../api/schools.ts';
import { notifySuccess } from '../../lib/errors.ts';
import { plural } from '../../lib/format.ts';
import { asStatus, isOutOfUse, NO_SCHOOL, STATUS_OPTIONS } from '../../lib/inventory.ts';
import { FormError } from '../FormError.tsx';

interface BulkFormProps {
  deviceIds: string[];
  onDone: () => void;
  onCancel: () => void;
}

function notifyBulk(result: { updated: number; checkedIn: number }) {
  const parts = [`${plural(result.updated, 'device')} updated`];
  if (result.checkedIn > 0) parts.push(`${plural(result.checkedIn, 'device')} checked in`);
  notifySuccess(`${parts.join(', ')}.`, 'Devices changed');
}

function BulkStatusForm({ deviceIds, onDone, onCancel }: BulkFormProps) {
  const bulk = useBulkUpdateDevices();
  const [status, setStatus] = useState<string | null>(null);
  const [checkIn, setCheckIn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const chosen = asStatus(status);
  const endsUse = isOutOfUse(chosen);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) {
      setError('Choose a status');
      return;
    }
    bulk.mutate(
      { deviceIds, changes: { status: chosen }, checkInAssigned: endsUse && checkIn },
      {
        onSuccess: (result) => {
          notifyBulk(result);
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={bulk.error} />
        {bulk.error && endsUse && !checkIn ? (
          <Text size="sm">Tick "Check in assigned devices" to check them in as part of this change.</Text>
        ) : null}
        <Select
          label="New status"
          data={STATUS_OPTIONS}
          value={status}
          onChange={(value) => {
            setStatus(value);
            setError(null);
          }}
          error={error}
          allowDeselect={false}
          required
          data-autofocus
        />
        {endsUse && (
          <Checkbox
            label="Check in assigned devices"
            description="Devices that are checked out to someone are checked in with this change. Without this, the change is refused if any of them is checked out."
            checked={checkIn}
            onChange={(event) => setCheckIn(event.currentTarget.checked)}
          />
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={bulk.isPending}>
            Change {plural(deviceIds.length, 'device')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function BulkSchoolForm({ deviceIds, onDone, onCancel }: BulkFormProps) {
  const bulk = useBulkUpdateDevices();
  const schools = useSchools();
  const [school, setSchool] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const options = [
    { value: NO_SCHOOL, label: 'No school' },
    ...(schools.data?.schools ?? []).map((item) => ({ value: item.id, label: item.name })),
  ];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!school) {
      setError('Choose a school');
      return;
    }
    bulk.mutate(
      { deviceIds, changes: { schoolId: school === NO_SCHOOL ? null : school }, checkInAssigned: false },
      {
        onSuccess: (result) => {
          notifyBulk(result);
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={bulk.error} />
        <Select
          label="School"
          data={options}
          value={school}
          onChange={(value) => {
            setSchool(value);
            setError(null);
          }}
          error={error}
          searchable
          nothingFoundMessage="No school matches"
          allowDeselect={false}
          required
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={bulk.isPending}>
            Move {plural(deviceIds.length, 'device')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

interface BulkActionsProps {
  deviceIds: string[];
  /** Called after a change was saved, so the caller can clear the selection. */
  onChanged: () => void;
  onClearSelection: () => void;
}

/** The bar shown while devices are selected: change their status or school together. */
export function BulkActions({ deviceIds, onChanged, onClearSelection }: BulkActionsProps) {
  const [action, setAction] = useState<'status' | 'school' | null>(null);
  const close = () => setAction(null);
  const done = () => {
    setAction(null);
    onChanged();
  };
  return (
    <Paper withBorder p="xs" px="md" bg="blue.0" role="region" aria-label="Bulk actions">
      <Group justify="space-between" gap="sm">
        <Text size="sm" fw={600} aria-live="polite">
          {plural(deviceIds.length, 'device')} selected
        </Text>
        <Group gap="xs">
          <Button size="xs" onClick={() => setAction('status')}>
            Change status
          </Button>
          <Button size="xs" onClick={() => setAction('school')}>
            Change school
          </Button>
          <Button size="xs" variant="subtle" onClick={onClearSelection}>
            Clear selection
          </Button>
        </Group>
      </Group>
      <Modal opened={action === 'status'} onClose={close} title="Change status">
        {action === 'status' && <BulkStatusForm deviceIds={deviceIds} onDone={done} onCancel={close} />}
      </Modal>
      <Modal opened={action === 'school'} onClose={close} title="Change school">
        {action === 'school' && <BulkSchoolForm deviceIds={deviceIds} onDone={done} onCancel={close} />}
      </Modal>
    </Paper>
  );
}
