import { Alert, Button, Code, CopyButton, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { isEmail, isNotEmpty, type UseFormReturnType, useForm } from '@mantine/form';
import { useState } from 'react';
import { ROLE_LABELS, ROLES, type Role } from '../../common/permissions.ts';
import type { InvitationResult } from '../../common/users.ts';
import { useInviteUser } from '../api/account-mail.ts';
import { fieldErrorsFor, notifySuccess } from '../lib/errors.ts';
import { FormError } from './FormError.tsx';

const FIELDS = ['email', 'name', 'role'] as const;
const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

/** The invitation's link, for the administrator to pass on when it was not mailed. */
export function InvitationLink({ result }: { result: InvitationResult }) {
  if (!result.link) return null;
  return (
    <Alert color="yellow" title="Mail is off: send this link yourself" role="status">
      <Stack gap="xs">
        <Text size="sm">
          {result.mailError ??
            'This server has no mail server configured (SMTP_URL), so the invitation was not emailed.'}{' '}
          Send {result.user.name} this link; it works once, for 7 days.
        </Text>
        <Code block aria-label="Invitation link">
          {result.link}
        </Code>
        <CopyButton value={result.link}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" onClick={copy}>
              {copied ? 'Copied' : 'Copy link'}
            </Button>
          )}
        </CopyButton>
      </Stack>
    </Alert>
  );
}

/** Email, name and role: what every new account starts with. */
export function NewUserFields<Values extends { email: string; name: string; role: string }>({
  form,
}: {
  form: UseFormReturnType<Values>;
}) {
  return (
    <>
      <TextInput label="Email" type="email" required data-autofocus {...form.getInputProps('email')} />
      <TextInput label="Name" required {...form.getInputProps('name')} />
      <Select
        label="Role"
        data={ROLE_OPTIONS}
        allowDeselect={false}
        required
        {...form.getInputProps('role')}
      />
    </>
  );
}

export function InviteUserForm({ onDone }: { onDone: () => void }) {
  const invite = useInviteUser();
  const [result, setResult] = useState<InvitationResult | null>(null);
  const form = useForm({
    initialValues: { email: '', name: '', role: 'viewer' as string },
    validate: {
      email: isEmail('Enter a valid email address'),
      name: isNotEmpty('Enter their name'),
      role: isNotEmpty('Choose a role'),
    },
  });

  if (result) {
    return (
      <Stack>
        {result.delivery === 'email' ? (
          <Text size="sm">
            {result.user.name} has been mailed an invitation at {result.user.email}. It works for 7 days.
          </Text>
        ) : (
          <InvitationLink result={result} />
        )}
        <Group justify="flex-end">
          <Button onClick={onDone}>Done</Button>
        </Group>
      </Stack>
    );
  }

  const handleSubmit = form.onSubmit((values) => {
    const role = ROLES.find((candidate) => candidate === values.role) as Role;
    invite.mutate(
      { email: values.email.trim(), name: values.name.trim(), role },
      {
        onSuccess: (answer) => {
          if (answer.delivery === 'email')
            notifySuccess(`Invitation sent to ${answer.user.email}.`, 'User invited');
          setResult(answer);
        },
        onError: (error) => form.setErrors(fieldErrorsFor(error, FIELDS)),
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={invite.error} fields={FIELDS} />
        <TextInput label="Email" type="email" required data-autofocus {...form.getInputProps('email')} />
        <TextInput label="Name" required {...form.getInputProps('name')} />
        <Select
          label="Role"
          data={ROLE_OPTIONS}
          allowDeselect={false}
          required
          {...form.getInputProps('role')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={invite.isPending}>
            Send invitation
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
