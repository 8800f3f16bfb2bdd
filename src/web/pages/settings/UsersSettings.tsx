import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { hasLength, isEmail, isNotEmpty, matchesField, useForm } from '@mantine/form';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import type { User } from '../../../common/auth.ts';
import { ROLE_LABELS, ROLES, type Role } from '../../../common/permissions.ts';
import type { InvitationResult } from '../../../common/users.ts';
import { useResendInvitation } from '../../api/account-mail.ts';
import { useCreateUser, useUpdateUser, useUsers } from '../../api/users.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { DocumentTitle } from '../../components/DocumentTitle.tsx';
import { FormError } from '../../components/FormError.tsx';
import { InvitationLink, InviteUserForm, NewUserFields } from '../../components/InviteUserForm.tsx';
import { useCurrentSession } from '../../components/SessionContext.tsx';
import { describeError, fieldErrorsFor, notifyError, notifySuccess } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';

const MIN_PASSWORD = 12;
const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

function asRole(value: string | null): Role | null {
  return ROLES.find((role) => role === value) ?? null;
}

const ADD_FIELDS = ['email', 'name', 'role', 'password'] as const;

function AddUserForm({ onDone }: { onDone: () => void }) {
  const createUser = useCreateUser();
  const form = useForm({
    initialValues: { email: '', name: '', role: 'viewer' as string, password: '' },
    validate: {
      email: isEmail('Enter a valid email address'),
      name: isNotEmpty('Enter their name'),
      role: isNotEmpty('Choose a role'),
      password: hasLength({ min: MIN_PASSWORD }, `Passwords need at least ${MIN_PASSWORD} characters`),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    const role = asRole(values.role);
    if (!role) return;
    createUser.mutate(
      { email: values.email.trim(), name: values.name.trim(), role, password: values.password },
      {
        onSuccess: (user) => {
          notifySuccess(`${user.name} can now sign in with ${user.email}.`, 'User added');
          onDone();
        },
        onError: (error) => form.setErrors(fieldErrorsFor(error, ADD_FIELDS)),
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={createUser.error} fields={ADD_FIELDS} />
        <NewUserFields form={form} />
        <PasswordInput
          label="Initial password"
          description={`At least ${MIN_PASSWORD} characters. Share it securely; they can change it from their Account page.`}
          autoComplete="new-password"
          required
          {...form.getInputProps('password')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={createUser.isPending}>
            Add user
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function ResetPasswordForm({ user, onDone }: { user: User; onDone: () => void }) {
  const updateUser = useUpdateUser();
  const form = useForm({
    initialValues: { password: '', confirmPassword: '' },
    validate: {
      password: hasLength({ min: MIN_PASSWORD }, `Passwords need at least ${MIN_PASSWORD} characters`),
      confirmPassword: matchesField('password', 'The passwords do not match'),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    updateUser.mutate(
      { id: user.id, changes: { password: values.password } },
      {
        onSuccess: () => {
          notifySuccess(
            `Share the new password with ${user.name} securely. Their API tokens were revoked.`,
            'Password reset',
          );
          onDone();
        },
        onError: (error) => form.setErrors(fieldErrorsFor(error, ['password'])),
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <Text size="sm">
          Set a new password for {user.name} ({user.email}). Their sessions end and their API tokens are
          revoked.
        </Text>
        <FormError error={updateUser.error} fields={['password']} />
        <PasswordInput
          label="New password"
          description={`At least ${MIN_PASSWORD} characters.`}
          autoComplete="new-password"
          required
          data-autofocus
          {...form.getInputProps('password')}
        />
        <PasswordInput
          label="Confirm new password"
          autoComplete="new-password"
          required
          {...form.getInputProps('confirmPassword')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={updateUser.isPending}>
            Reset password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type PendingChange = { kind: 'disable'; user: User } | { kind: 'demote-self'; user: User; role: Role };

export function UsersSettings() {
  const session = useCurrentSession();
  const users = useUsers();
  const updateUser = useUpdateUser();
  const [adding, setAdding] = useState(false);
  const [inviting, setInviting] = useState(false);
  const resend = useResendInvitation();
  const [resent, setResent] = useState<InvitationResult | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  // Kept after closing so the modal's text does not change while it animates out.
  const [pending, setPending] = useState<PendingChange | null>(null);
  const [confirmOpen, setConfirmOpen] = useState(false);

  const ask = (change: PendingChange) => {
    setPending(change);
    setConfirmOpen(true);
  };

  const changeRole = (user: User, role: Role) => {
    updateUser.mutate(
      { id: user.id, changes: { role } },
      {
        onSuccess: (updated) =>
          notifySuccess(
            `${updated.name} is now a ${ROLE_LABELS[updated.role].toLowerCase()}.`,
            'Role changed',
          ),
        onError: (error) => notifyError(error, 'Could not change the role'),
        onSettled: () => setConfirmOpen(false),
      },
    );
  };

  const setDisabled = (user: User, disabled: boolean) => {
    updateUser.mutate(
      { id: user.id, changes: { disabled } },
      {
        onSuccess: (updated) =>
          notifySuccess(
            updated.disabled
              ? `${updated.name} can no longer sign in.`
              : `${updated.name} can sign in again.`,
            updated.disabled ? 'User disabled' : 'User enabled',
          ),
        onError: (error) =>
          notifyError(error, disabled ? 'Could not disable the user' : 'Could not enable the user'),
        onSettled: () => setConfirmOpen(false),
      },
    );
  };

  const onRoleSelected = (user: User, value: string | null) => {
    const role = asRole(value);
    if (!role || role === user.role) return;
    if (user.id === session.user.id && role !== 'district_admin') {
      ask({ kind: 'demote-self', user, role });
      return;
    }
    changeRole(user, role);
  };

  const confirmPending = () => {
    if (!pending) return;
    if (pending.kind === 'disable') setDisabled(pending.user, true);
    else changeRole(pending.user, pending.role);
  };

  const busyUserId = updateUser.isPending ? updateUser.variables?.id : undefined;

  let body: ReactNode;
  if (users.isPending) {
    body = <Loader aria-label="Loading users" />;
  } else if (users.isError) {
    body = (
      <Alert color="red" title="Could not load users" role="alert">
        {describeError(users.error)}
      </Alert>
    );
  } else {
    body = (
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover verticalSpacing="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Email</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Last sign-in</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.data.users.map((user) => {
              const isMe = user.id === session.user.id;
              return (
                <Table.Tr key={user.id}>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Text size="sm">{user.name}</Text>
                      {isMe && (
                        <Badge variant="outline" size="sm">
                          You
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{user.email}</Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={`Role for ${user.name}`}
                      data={ROLE_OPTIONS}
                      value={user.role}
                      onChange={(value) => onRoleSelected(user, value)}
                      allowDeselect={false}
                      disabled={busyUserId === user.id}
                      size="xs"
                      w={200}
                    />
                  </Table.Td>
                  <Table.Td>
                    {user.disabled ? (
                      <Badge color="gray" variant="light">
                        Disabled
                      </Badge>
                    ) : user.invited ? (
                      <Badge color="blue" variant="light">
                        Invited
                      </Badge>
                    ) : (
                      <Badge color="green" variant="light">
                        Active
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{formatDateTime(user.lastSignInAt, 'Never')}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap" justify="flex-end">
                      {user.disabled ? (
                        <Button
                          size="xs"
                          variant="light"
                          onClick={() => setDisabled(user, false)}
                          loading={busyUserId === user.id && updateUser.variables?.changes.disabled === false}
                          aria-label={`Enable ${user.name}`}
                        >
                          Enable
                        </Button>
                      ) : (
                        !isMe && (
                          <Button
                            size="xs"
                            variant="light"
                            color="red"
                            onClick={() => ask({ kind: 'disable', user })}
                            aria-label={`Disable ${user.name}`}
                          >
                            Disable
                          </Button>
                        )
                      )}
                      {user.invited && !user.disabled && (
                        <Button
                          size="xs"
                          variant="default"
                          loading={resend.isPending && resend.variables === user.id}
                          onClick={() =>
                            resend.mutate(user.id, {
                              onSuccess: (answer) => {
                                if (answer.delivery === 'email')
                                  notifySuccess(
                                    `A new invitation is on its way to ${user.email}.`,
                                    'Invitation sent',
                                  );
                                else setResent(answer);
                              },
                              onError: (error) => notifyError(error, 'Could not send the invitation'),
                            })
                          }
                          aria-label={`Resend invitation to ${user.name}`}
                        >
                          Resend invitation
                        </Button>
                      )}
                      <Button
                        size="xs"
                        variant="default"
                        component={Link}
                        to={`/settings/tokens?owner=${user.id}`}
                        aria-label={`API tokens of ${user.name}`}
                      >
                        API tokens
                      </Button>
                      {!isMe && (
                        <Button
                          size="xs"
                          variant="default"
                          onClick={() => setResetting(user)}
                          aria-label={`Reset password for ${user.name}`}
                        >
                          Reset password
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <Stack gap="md">
      <DocumentTitle title="Users" />
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={2} size="h3">
            Users
          </Title>
          <Text c="dimmed" size="sm">
            People who can sign in to Satchel for {session.district.name}.
          </Text>
        </Stack>
        <Group gap="xs">
          <Button variant="default" onClick={() => setAdding(true)}>
            Add user
          </Button>
          <Button onClick={() => setInviting(true)}>Invite user</Button>
        </Group>
      </Group>
      {body}

      <Modal opened={adding} onClose={() => setAdding(false)} title="Add user">
        <AddUserForm onDone={() => setAdding(false)} />
      </Modal>

      <Modal opened={inviting} onClose={() => setInviting(false)} title="Invite user">
        {inviting && <InviteUserForm onDone={() => setInviting(false)} />}
      </Modal>

      <Modal opened={resent !== null} onClose={() => setResent(null)} title="Invitation link">
        {resent && <InvitationLink result={resent} />}
      </Modal>

      <Modal opened={resetting !== null} onClose={() => setResetting(null)} title="Reset password">
        {resetting && <ResetPasswordForm user={resetting} onDone={() => setResetting(null)} />}
      </Modal>

      <ConfirmModal
        opened={confirmOpen}
        title={pending?.kind === 'disable' ? 'Disable user' : 'Change your own role'}
        confirmLabel={pending?.kind === 'disable' ? 'Disable user' : 'Change my role'}
        danger
        loading={updateUser.isPending}
        onConfirm={confirmPending}
        onClose={() => setConfirmOpen(false)}
      >
        {pending?.kind === 'disable'
          ? `Disable ${pending.user.name}? They will be signed out, and won't be able to sign in or use their API tokens until an administrator enables them again.`
          : `Make yourself a ${pending ? ROLE_LABELS[pending.role].toLowerCase() : ''}? You will lose access to System Settings right away.`}
      </ConfirmModal>
    </Stack>
  );
}
