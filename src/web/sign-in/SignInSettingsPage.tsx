import {
  Alert,
  Button,
  Checkbox,
  Group,
  Loader,
  Radio,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { ROLE_LABELS, ROLES, type Role } from '../../common/permissions.ts';
import type { SignInSettings } from '../../common/sign-in.ts';
import { useChangeSignInSettings, useSignInSettings } from '../api/sign-in.ts';
import { DocumentTitle } from '../components/DocumentTitle.tsx';
import { FormError } from '../components/FormError.tsx';
import { describeError, fieldErrorsFor, notifySuccess } from '../lib/errors.ts';

const FIELDS = [
  'googleEnabled',
  'microsoftEnabled',
  'microsoftTenantId',
  'allowedDomains',
  'passwordSignIn',
] as const;
const ROLE_OPTIONS = ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }));

function SignInForm({ settings }: { settings: SignInSettings }) {
  const change = useChangeSignInSettings();
  const form = useForm({
    initialValues: {
      googleEnabled: settings.google.enabled,
      microsoftEnabled: settings.microsoft.enabled,
      microsoftTenantId: settings.microsoft.tenantId ?? '',
      allowedDomains: settings.allowedDomains,
      jitAccounts: settings.jitAccounts,
      defaultRole: settings.defaultRole as string,
      passwordSignIn: settings.passwordSignIn as string,
    },
  });
  const handleSubmit = form.onSubmit((values) => {
    change.mutate(
      {
        ...values,
        microsoftTenantId: values.microsoftTenantId.trim() || null,
        defaultRole: values.defaultRole as Role,
        passwordSignIn: values.passwordSignIn === 'first_admin' ? 'first_admin' : 'everyone',
      },
      {
        onSuccess: () => notifySuccess('Sign-in settings saved.', 'Saved'),
        onError: (error) => form.setErrors(fieldErrorsFor(error, FIELDS)),
      },
    );
  });
  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={change.error} fields={FIELDS} />
        <TagsInput
          label="Your district's email domains"
          description="Google accounts must belong to one of these (the hd claim), and the sign-in page offers your buttons to emails of these domains."
          placeholder="district.org"
          {...form.getInputProps('allowedDomains')}
        />
        <Checkbox
          label="Sign in with Google"
          description={
            settings.google.configured
              ? 'Google Workspace accounts of the domains above.'
              : 'Not available: this server has no GOOGLE_OIDC_CLIENT_ID.'
          }
          disabled={!settings.google.configured}
          {...form.getInputProps('googleEnabled', { type: 'checkbox' })}
        />
        <Checkbox
          label="Sign in with Microsoft"
          description={
            settings.microsoft.configured
              ? 'Entra ID accounts of your tenant.'
              : 'Not available: this server has no MICROSOFT_OIDC_CLIENT_ID.'
          }
          disabled={!settings.microsoft.configured}
          {...form.getInputProps('microsoftEnabled', { type: 'checkbox' })}
        />
        <TextInput
          label="Entra ID tenant id"
          description="The Directory (tenant) ID from the Entra admin center's Overview page."
          placeholder="72f988bf-86f1-41af-91ab-2d7cd011db47"
          {...form.getInputProps('microsoftTenantId')}
        />
        <Checkbox
          label="Create an account at a person's first sign-in"
          description="Otherwise only people you have added or invited can sign in."
          {...form.getInputProps('jitAccounts', { type: 'checkbox' })}
        />
        <Select
          label="Role for new accounts"
          data={ROLE_OPTIONS}
          allowDeselect={false}
          {...form.getInputProps('defaultRole')}
        />
        <Radio.Group label="Passwords" {...form.getInputProps('passwordSignIn')}>
          <Stack gap="xs" mt="xs">
            <Radio value="everyone" label="Everyone may also sign in with a password" />
            <Radio
              value="first_admin"
              label={`Only the first administrator${settings.firstAdmin ? ` (${settings.firstAdmin.email})` : ''}, as a break-glass account`}
            />
          </Stack>
        </Radio.Group>
        <Group justify="flex-end">
          <Button type="submit" loading={change.isPending}>
            Save sign-in settings
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** System Settings › Sign-in: single sign-on with Google or Microsoft, and who keeps a password. */
export function SignInSettingsPage() {
  const settings = useSignInSettings();
  return (
    <Stack gap="md">
      <DocumentTitle title="Sign-in" />
      <Stack gap={4}>
        <Title order={2} size="h3">
          Sign-in
        </Title>
        <Text c="dimmed" size="sm">
          Let your staff sign in with their Google Workspace or Microsoft 365 account. Every change is in the
          audit log.
        </Text>
      </Stack>
      {settings.isPending && <Loader aria-label="Loading sign-in settings" />}
      {settings.isError && (
        <Alert color="red" title="Could not load sign-in settings" role="alert">
          {describeError(settings.error)}
        </Alert>
      )}
      {settings.data && <SignInForm settings={settings.data} />}
    </Stack>
  );
}
