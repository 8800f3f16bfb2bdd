import { Anchor, Button, Group, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { useState } from 'react';
import { Link } from 'react-router';
import type { DeviceDetail, UpdateDeviceRequest } from '../../../common/inventory.ts';
import { ApiError } from '../../api/client.ts';
import { useCreateDevice, useUpdateDevice } from '../../api/devices.ts';
import { useSchools } from '../../api/schools.ts';
import { fieldErrorsFor, notifySuccess } from '../../lib/errors.ts';
import {
  asDeviceType,
  asStatus,
  isOutOfUse,
  STATUS_LABELS,
  STATUS_OPTIONS,
  TYPE_OPTIONS,
} from '../../lib/inventory.ts';
import { FormError } from '../FormError.tsx';

const FIELDS = [
  'serialNumber',
  'assetTag',
  'model',
  'manufacturer',
  'type',
  'status',
  'schoolId',
  'purchaseDate',
  'warrantyEnd',
  'notes',
] as const;

type Values = Record<(typeof FIELDS)[number], string>;

function valuesOf(device: DeviceDetail | undefined): Values {
  return {
    serialNumber: device?.serialNumber ?? '',
    assetTag: device?.assetTag ?? '',
    model: device?.model ?? '',
    manufacturer: device?.manufacturer ?? '',
    type: device?.type ?? 'chromebook',
    status: device?.status ?? 'in_service',
    schoolId: device?.school?.id ?? '',
    purchaseDate: device?.purchaseDate ?? '',
    warrantyEnd: device?.warrantyEnd ?? '',
    notes: device?.notes ?? '',
  };
}

/** The request body for the fields that differ from `before` (all of them for a new device). */
function changesOf(values: Values, before: Values | null): UpdateDeviceRequest {
  const changed = (field: keyof Values) => !before || values[field].trim() !== before[field].trim();
  const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
  const body: UpdateDeviceRequest = {};
  if (changed('serialNumber')) body.serialNumber = values.serialNumber.trim();
  if (changed('assetTag')) body.assetTag = orNull(values.assetTag);
  if (changed('model')) body.model = orNull(values.model);
  if (changed('manufacturer')) body.manufacturer = orNull(values.manufacturer);
  if (changed('type')) body.type = asDeviceType(values.type);
  if (changed('status')) body.status = asStatus(values.status);
  if (changed('schoolId')) body.schoolId = orNull(values.schoolId);
  if (changed('purchaseDate')) body.purchaseDate = orNull(values.purchaseDate);
  if (changed('warrantyEnd')) body.warrantyEnd = orNull(values.warrantyEnd);
  if (changed('notes')) body.notes = orNull(values.notes);
  return body;
}

/** `details` of a 409 that names another device (a duplicate serial number or asset tag). */
function conflictingDevice(error: unknown): { field: string; deviceId: string; serialNumber: string } | null {
  if (!(error instanceof ApiError) || error.code !== 'conflict') return null;
  const details = error.details as
    | { field?: unknown; deviceId?: unknown; serialNumber?: unknown }
    | undefined;
  if (typeof details?.deviceId !== 'string' || typeof details.field !== 'string') return null;
  return {
    field: details.field,
    deviceId: details.deviceId,
    serialNumber: typeof details.serialNumber === 'string' ? details.serialNumber : 'that device',
  };
}

/** True for the 409 that asks to check an assigned device in before it becomes lost, stolen, retired or disposed. */
function needsCheckIn(error: unknown): boolean {
  if (!(error instanceof ApiError) || error.code !== 'conflict') return false;
  const details = error.details as { field?: unknown } | undefined;
  return details?.field === 'checkIn';
}

interface CheckInQuestion {
  changes: UpdateDeviceRequest;
  status: string;
}

interface DeviceFormProps {
  /** The device to edit; omitted to add a new one. */
  device?: DeviceDetail;
  onDone: (device: DeviceDetail) => void;
  onCancel: () => void;
}

/** Add or edit a device. Editing sends only the changed fields. */
export function DeviceForm({ device, onDone, onCancel }: DeviceFormProps) {
  const createDevice = useCreateDevice();
  const updateDevice = useUpdateDevice();
  const schools = useSchools();
  const [question, setQuestion] = useState<CheckInQuestion | null>(null);
  const [checkInNote, setCheckInNote] = useState('');
  const initial = valuesOf(device);
  const form = useForm<Values>({
    initialValues: initial,
    validate: { serialNumber: isNotEmpty('Enter the serial number') },
  });
  const mutation = device ? updateDevice : createDevice;
  const conflict = conflictingDevice(mutation.error);

  const handleError = (error: unknown) => {
    const fieldErrors: Record<string, string> = fieldErrorsFor(error, FIELDS);
    const other = conflictingDevice(error);
    if (other && error instanceof Error) fieldErrors[other.field] = error.message;
    form.setErrors(fieldErrors);
  };

  const save = (changes: UpdateDeviceRequest) => {
    if (!device) {
      const { checkIn: _ignored, ...body } = changes;
      createDevice.mutate(
        { ...body, serialNumber: body.serialNumber ?? '' },
        {
          onSuccess: (created) => {
            notifySuccess(`${created.serialNumber} is in the inventory.`, 'Device added');
            onDone(created);
          },
          onError: handleError,
        },
      );
      return;
    }
    updateDevice.mutate(
      { id: device.id, changes },
      {
        onSuccess: (updated) => {
          setQuestion(null);
          notifySuccess(`${updated.serialNumber} was updated.`, 'Device saved');
          onDone(updated);
        },
        onError: (error) => {
          if (needsCheckIn(error) && !changes.checkIn) {
            setQuestion({ changes, status: String(changes.status ?? '') });
            return;
          }
          handleError(error);
        },
      },
    );
  };

  const handleSubmit = form.onSubmit((values) => {
    const changes = changesOf(values, device ? initial : null);
    if (device && Object.keys(changes).length === 0) {
      onCancel();
      return;
    }
    save(changes);
  });

  if (question && device) {
    const status = asStatus(question.status);
    const statusText = status ? STATUS_LABELS[status].toLowerCase() : 'out of use';
    const holder = device.currentAssignment?.person.name ?? device.assignedTo?.name ?? 'someone';
    return (
      <Stack>
        <Text>
          This device is checked out to <strong>{holder}</strong>. Check it in and mark it {statusText}?
        </Text>
        <FormError
          error={updateDevice.error && !needsCheckIn(updateDevice.error) ? updateDevice.error : null}
        />
        <Textarea
          label="Check-in note"
          description="Optional, e.g. where it was last seen."
          value={checkInNote}
          onChange={(event) => setCheckInNote(event.currentTarget.value)}
          autosize
          minRows={2}
          maxLength={2000}
          data-autofocus
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setQuestion(null)}>
            Back
          </Button>
          <Button
            color={isOutOfUse(status) ? 'red' : undefined}
            loading={updateDevice.isPending}
            onClick={() =>
              save({ ...question.changes, checkIn: { note: checkInNote.trim() === '' ? null : checkInNote } })
            }
          >
            Check in and mark {statusText}
          </Button>
        </Group>
      </Stack>
    );
  }

  const schoolOptions = (schools.data?.schools ?? []).map((school) => ({
    value: school.id,
    label: school.code ? `${school.name} (${school.code})` : school.name,
  }));

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={mutation.error} fields={FIELDS} />
        {conflict && (
          <Text size="sm">
            <Anchor component={Link} to={`/devices/${conflict.deviceId}`}>
              Open {conflict.serialNumber}
            </Anchor>
          </Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label="Serial number" required data-autofocus {...form.getInputProps('serialNumber')} />
          <TextInput label="Asset tag" {...form.getInputProps('assetTag')} />
          <TextInput label="Model" placeholder="e.g. Chromebook 314" {...form.getInputProps('model')} />
          <TextInput label="Manufacturer" {...form.getInputProps('manufacturer')} />
          <Select label="Type" data={TYPE_OPTIONS} allowDeselect={false} {...form.getInputProps('type')} />
          <Select
            label="Status"
            data={STATUS_OPTIONS}
            allowDeselect={false}
            {...form.getInputProps('status')}
          />
          <Select
            label="School"
            placeholder="No school"
            data={schoolOptions}
            searchable
            clearable
            nothingFoundMessage="No school matches"
            {...form.getInputProps('schoolId')}
            value={form.values.schoolId || null}
            onChange={(value) => form.setFieldValue('schoolId', value ?? '')}
          />
          <div />
          <TextInput label="Purchase date" type="date" {...form.getInputProps('purchaseDate')} />
          <TextInput label="Warranty end" type="date" {...form.getInputProps('warrantyEnd')} />
        </SimpleGrid>
        <Textarea label="Notes" autosize minRows={2} maxRows={8} {...form.getInputProps('notes')} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {device ? 'Save changes' : 'Add device'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
