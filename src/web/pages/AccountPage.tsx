import { Button, Checkbox, Group, Paper, PasswordInput, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { hasLength, isNotEmpty, matchesField, useForm } from '@mantine/form';
import { ROLE_LABELS } from '../../common/permissions.ts';
import { useChangePassword } from '../api/session.ts';
import { ApiTokensPanel } from '../components/ApiTokensPanel.tsx';
import { FormError } from '../components/FormError.tsx';
import { MailNotificationsPanel } from '../components/MailNotificationsPanel.tsx';
import { Page } from '../components/Page.tsx';
import { useCurrentSession, useHasPermission } from '../components/SessionContext.tsx';
import { fieldErrorsFor, notifySuccess } from '../lib/errors.ts';
import { formatDateTime } from '../lib/format.ts';

const MIN_PASSWORD = 12;
const PASSWORD_FIELDS = ['currentPassword', 'newPassword'] as const;

function Detail({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={2}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text>{value}</Text>
    </Stack>
  );
}

function ChangePasswordForm() {
  const changePassword = useChangePassword();
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '', revokeApiTokens: false },
    validate: {
      currentPassword: isNotEmpty('Enter your current password'),
      newPassword: hasLength({ min: MIN_PASSWORD }, `Passwords need at least ${MIN_PASSWORD} characters`),
      confirmPassword: matchesField('newPassword', 'The passwords do not match'),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    changePassword.mutate(
      {
        currentPassword: values.currentPassword,
        newPassword: values.newPassword,
        revokeApiTokens: values.revokeApiTokens,
      },
      {
        onSuccess: () => {
          form.reset();
          const revoked = values.revokeApiTokens ? ' and your API tokens revoked' : '';
          notifySuccess(`Your other sessions have been signed out${revoked}.`, 'Password changed');
        },
        onError: (error) => form.setErrors(fieldErrorsFor(error, PASSWORD_FIELDS)),
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack maw={420}>
        <FormError error={changePassword.error} fields={PASSWORD_FIELDS} />
        <PasswordInput
          label="Current password"
          autoComplete="current-password"
          required
          {...form.getInputProps('currentPassword')}
        />
        <PasswordInput
          label="New password"
          description={`At least ${MIN_PASSWORD} characters. A long passphrase is best.`}
          autoComplete="new-password"
          required
          {...form.getInputProps('newPassword')}
        />
        <PasswordInput
          label="Confirm new password"
          autoComplete="new-password"
          required
          {...form.getInputProps('confirmPassword')}
        />
        <Checkbox
          label="Also revoke my API tokens"
          description="Do this if someone else may have known your password: scripts using your tokens stop working."
          {...form.getInputProps('revokeApiTokens', { type: 'checkbox' })}
        />
        <Group>
          <Button type="submit" loading={changePassword.isPending}>
            Change password
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** `/account`: available to every signed-in user. */
export function AccountPage() {
  const { user, district } = useCurrentSession();
  const administers = useHasPermission('system.settings');
  return (
    <Page title="Account">
      <Paper withBorder p="lg" radius="md">
        <Stack>
          <Title order={2} size="h3">
            Your details
          </Title>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
            <Detail label="Name" value={user.name} />
            <Detail label="Email" value={user.email} />
            <Detail label="Role" value={ROLE_LABELS[user.role]} />
            <Detail label="District" value={district.name} />
            <Detail label="Last sign-in" value={formatDateTime(user.lastSignInAt, 'Never')} />
          </SimpleGrid>
        </Stack>
      </Paper>

      <Paper withBorder p="lg" radius="md">
        <Stack>
          <Title order={2} size="h3">
            Change password
          </Title>
          <ChangePasswordForm />
        </Stack>
      </Paper>

      <Paper withBorder p="lg" radius="md">
        <ApiTokensPanel />
      </Paper>

      {administers && (
        <Paper withBorder p="lg" radius="md">
          <MailNotificationsPanel />
        </Paper>
      )}
    </Page>
  );
}
