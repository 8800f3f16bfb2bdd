import { Button, Group, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import type { Person } from '../../../common/inventory.ts';
import { ApiError } from '../../api/client.ts';
import { type UpdatePerson, useCreatePerson, useUpdatePerson } from '../../api/people.ts';
import { useSchools } from '../../api/schools.ts';
import { fieldErrorsFor, notifySuccess } from '../../lib/errors.ts';
import { asKind, KIND_OPTIONS } from '../../lib/inventory.ts';
import { FormError } from '../FormError.tsx';

const FIELDS = ['kind', 'name', 'email', 'externalId', 'grade', 'schoolId', 'active'] as const;

interface Values {
  kind: string;
  name: string;
  email: string;
  externalId: string;
  grade: string;
  schoolId: string;
  active: boolean;
}

function valuesOf(person: Person | undefined): Values {
  return {
    kind: person?.kind ?? 'student',
    name: person?.name ?? '',
    email: person?.email ?? '',
    externalId: person?.externalId ?? '',
    grade: person?.grade ?? '',
    schoolId: person?.school?.id ?? '',
    active: person?.active ?? true,
  };
}

function changesOf(values: Values, before: Values | null): UpdatePerson {
  const changed = (field: Exclude<keyof Values, 'active'>) =>
    !before || values[field].trim() !== before[field].trim();
  const orNull = (value: string) => (value.trim() === '' ? null : value.trim());
  const body: UpdatePerson = {};
  if (changed('kind')) body.kind = asKind(values.kind);
  if (changed('name')) body.name = values.name.trim();
  if (changed('email')) body.email = orNull(values.email);
  if (changed('externalId')) body.externalId = orNull(values.externalId);
  if (changed('grade')) body.grade = orNull(values.grade);
  if (changed('schoolId')) body.schoolId = orNull(values.schoolId);
  if (!before || values.active !== before.active) body.active = values.active;
  return body;
}

interface PersonFormProps {
  person?: Person;
  onDone: (person: Person) => void;
  onCancel: () => void;
}

/** Add or edit a student or staff member. */
export function PersonForm({ person, onDone, onCancel }: PersonFormProps) {
  const createPerson = useCreatePerson();
  const updatePerson = useUpdatePerson();
  const schools = useSchools();
  const initial = valuesOf(person);
  const form = useForm<Values>({
    initialValues: initial,
    validate: {
      name: isNotEmpty('Enter their name'),
      email: (value) =>
        value.trim() === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())
          ? null
          : 'Enter a valid email address',
    },
  });
  const mutation = person ? updatePerson : createPerson;

  const handleError = (error: unknown) => {
    const errors: Record<string, string> = fieldErrorsFor(error, FIELDS);
    if (error instanceof ApiError && error.code === 'conflict') {
      const field = (error.details as { field?: unknown } | undefined)?.field;
      if (field === 'email' || field === 'externalId') errors[field] = error.message;
    }
    form.setErrors(errors);
  };

  const handleSubmit = form.onSubmit((values) => {
    const changes = changesOf(values, person ? initial : null);
    if (person) {
      if (Object.keys(changes).length === 0) {
        onCancel();
        return;
      }
      updatePerson.mutate(
        { id: person.id, changes },
        {
          onSuccess: (updated) => {
            notifySuccess(`${updated.name} was updated.`, 'Person saved');
            onDone(updated);
          },
          onError: handleError,
        },
      );
      return;
    }
    createPerson.mutate(
      { ...changes, kind: changes.kind ?? 'student', name: changes.name ?? '' },
      {
        onSuccess: (created) => {
          notifySuccess(`${created.name} was added.`, 'Person added');
          onDone(created);
        },
        onError: handleError,
      },
    );
  });

  const schoolOptions = (schools.data?.schools ?? []).map((school) => ({
    value: school.id,
    label: school.name,
  }));

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={mutation.error} fields={FIELDS} />
        <TextInput label="Name" required data-autofocus {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select label="Kind" data={KIND_OPTIONS} allowDeselect={false} {...form.getInputProps('kind')} />
          <TextInput label="Grade" placeholder="e.g. 7" {...form.getInputProps('grade')} />
          <TextInput label="Email" type="email" {...form.getInputProps('email')} />
          <TextInput
            label="External id"
            placeholder="From your student information system"
            {...form.getInputProps('externalId')}
          />
        </SimpleGrid>
        <Select
          label="School"
          placeholder="No school"
          data={schoolOptions}
          searchable
          clearable
          nothingFoundMessage="No school matches"
          value={form.values.schoolId || null}
          onChange={(value) => form.setFieldValue('schoolId', value ?? '')}
          error={form.errors.schoolId}
        />
        <Switch
          label="Active"
          description="Inactive people keep their history but cannot be given devices."
          {...form.getInputProps('active', { type: 'checkbox' })}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {person ? 'Save changes' : 'Add person'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
