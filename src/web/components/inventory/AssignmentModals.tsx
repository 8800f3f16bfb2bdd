import { Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { DeviceDetail, Person } from '../../../common/inventory.ts';
import { useCheckInDevice, useCheckOutDevice } from '../../api/devices.ts';
import { notifySuccess } from '../../lib/errors.ts';
import { FormError } from '../FormError.tsx';
import { PersonSelect } from './PersonSelect.tsx';

interface ModalBodyProps {
  device: DeviceDetail;
  onDone: () => void;
}

export function CheckOutForm({ device, onDone }: ModalBodyProps) {
  const checkOut = useCheckOutDevice();
  const [person, setPerson] = useState<Person | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!person) {
      setError('Choose who gets the device');
      return;
    }
    checkOut.mutate(
      { id: device.id, personId: person.id },
      {
        onSuccess: (updated) => {
          notifySuccess(`${updated.serialNumber} is checked out to ${person.name}.`, 'Checked out');
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormError error={checkOut.error} />
        <PersonSelect
          label="Person"
          placeholder="Search by name, email or ID"
          description="Only active students and staff are listed."
          value={person}
          onChange={(next) => {
            setPerson(next);
            setError(null);
          }}
          error={error}
          required
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={checkOut.isPending}>
            Check out
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function CheckInForm({ device, onDone }: ModalBodyProps) {
  const checkIn = useCheckInDevice();
  const [note, setNote] = useState('');
  const holder = device.currentAssignment?.person.name ?? device.assignedTo?.name;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    checkIn.mutate(
      { id: device.id, note: note.trim() === '' ? null : note.trim() },
      {
        onSuccess: (updated) => {
          notifySuccess(
            holder
              ? `${updated.serialNumber} is back from ${holder}.`
              : `${updated.serialNumber} is checked in.`,
            'Checked in',
          );
          onDone();
        },
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        {holder && (
          <Text size="sm">
            Check in {device.serialNumber} from <strong>{holder}</strong>.
          </Text>
        )}
        <FormError error={checkIn.error} />
        <Textarea
          label="Condition note"
          description="Optional: the device's condition, missing charger, damage…"
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          autosize
          minRows={3}
          maxLength={2000}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={checkIn.isPending}>
            Check in
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
