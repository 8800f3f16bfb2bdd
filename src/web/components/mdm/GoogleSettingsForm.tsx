import { Alert, Button, Group, Radio, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { useMemo } from 'react';
import { DEVICE_STATUSES, type DeviceStatus } from '../../../common/inventory.ts';
import {
  GOOGLE_AUTH_METHODS,
  type GoogleAuthMethod,
  GoogleSettings,
} from '../../../server/mdm/providers/google/settings.ts';
import { useActivateProvider, useUpdateProviderSettings } from '../../api/mdm.ts';
import { notifySuccess } from '../../lib/errors.ts';
import { settingsFieldErrors, storedAuthMethod } from '../../lib/mdm.ts';
import { FormError } from '../FormError.tsx';
import type { SettingsFormProps } from './providerUi.ts';
import { SyncScheduleFields } from './SyncScheduleFields.tsx';

const FIELDS = ['customerId', 'orgUnitPaths', 'intervalMinutes', 'syncedStatuses', 'authMethod'] as const;

export const GOOGLE_AUTH_METHOD_LABELS: Record<GoogleAuthMethod, { label: string; description: string }> = {
  oauth: {
    label: 'Sign in with a Google admin account (OAuth)',
    description:
      'An administrator with the ChromeOS device privilege signs in once and allows Satchel read-only access.',
  },
  service_account: {
    label: 'Service account with domain-wide delegation',
    description:
      'Upload a service-account key from Google Cloud and name the admin it acts as. For domains that do not allow OAuth apps.',
  },
};

interface Values {
  customerId: string;
  orgUnitPaths: string[];
  intervalMinutes: string;
  syncedStatuses: string[];
  authMethod: string;
}

/** The stored settings with the server's defaults filled in (the same schema the server uses). */
export function googleSettingsOf(stored: Record<string, unknown> | null): GoogleSettings {
  const parsed = GoogleSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : GoogleSettings.parse({});
}

function asStatuses(values: string[]): DeviceStatus[] {
  return DEVICE_STATUSES.filter((status) => values.includes(status));
}

function asAuthMethod(value: string): GoogleAuthMethod {
  return GOOGLE_AUTH_METHODS.find((method) => method === value) ?? 'oauth';
}

/** Activate (POST, pre-filled from stored settings when re-activating) or change (PATCH) Google's settings. */
export function GoogleSettingsForm({ tile, mode, onDone }: SettingsFormProps) {
  const activate = useActivateProvider();
  const update = useUpdateProviderSettings();
  const mutation = mode === 'activate' ? activate : update;
  const stored = useMemo(() => googleSettingsOf(tile.settings), [tile.settings]);
  const currentMethod = storedAuthMethod(tile);

  const form = useForm<Values>({
    initialValues: {
      customerId: stored.customerId,
      orgUnitPaths: stored.orgUnitPaths,
      intervalMinutes: String(stored.intervalMinutes),
      syncedStatuses: stored.syncedStatuses,
      authMethod: tile.authMethods.some((method) => method.key === stored.authMethod)
        ? stored.authMethod
        : (tile.authMethods[0]?.key ?? 'oauth'),
    },
    validate: {
      customerId: isNotEmpty('Enter my_customer or your Google customer ID'),
      orgUnitPaths: (paths) =>
        paths.find((path) => !path.trim().startsWith('/'))
          ? 'Org unit paths start with /, e.g. /Students'
          : null,
      syncedStatuses: (statuses) => (statuses.length === 0 ? 'Choose at least one status' : null),
    },
  });
  const serverErrors = settingsFieldErrors(mutation.error, FIELDS);

  const handleSubmit = form.onSubmit((values) => {
    const settings = {
      customerId: values.customerId.trim(),
      orgUnitPaths: values.orgUnitPaths.map((path) => path.trim()),
      intervalMinutes: Number(values.intervalMinutes),
      syncedStatuses: asStatuses(values.syncedStatuses),
      authMethod: asAuthMethod(values.authMethod),
    };
    const options = {
      onSuccess: (updated: typeof tile) => {
        if (mode === 'edit') {
          notifySuccess(
            updated.state === 'needs_authorization' && tile.state !== 'needs_authorization'
              ? `Authorize ${updated.name} again with the new method to resume syncing.`
              : `The settings of ${updated.name} were saved.`,
            'Settings saved',
          );
        } else {
          notifySuccess(
            updated.state === 'active'
              ? `${updated.name} is active again with the stored authorization.`
              : `Next, authorize Satchel to read your devices from ${updated.name}.`,
            `${updated.name} activated`,
          );
        }
        onDone();
      },
      onError: (error: unknown) => form.setErrors(settingsFieldErrors(error, FIELDS).errors),
    };
    if (mode === 'activate') {
      // Settings this form does not show (e.g. the service account's admin) are kept.
      activate.mutate({ key: tile.key, settings: { ...(tile.settings ?? {}), ...settings } }, options);
    } else {
      update.mutate({ key: tile.key, settings }, options);
    }
  });

  const methodChanges =
    mode === 'edit' && tile.state !== 'inactive' && currentMethod !== null
      ? form.values.authMethod !== currentMethod
      : false;
  const resumes =
    mode === 'activate' && tile.hasStoredAuthorization && currentMethod === form.values.authMethod;

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={mutation.error} fields={serverErrors.placed} />
        <TextInput
          label="Google customer"
          description="my_customer is the Google Workspace of the account that authorizes; or enter your customer ID (C0…) from the Admin console's Account settings."
          required
          data-autofocus
          {...form.getInputProps('customerId')}
        />
        <TagsInput
          label="Org units to sync"
          description="Press Enter after each path, e.g. /Students. Leave empty to sync every ChromeOS device in the domain."
          placeholder={form.values.orgUnitPaths.length === 0 ? '/Students' : undefined}
          clearable
          {...form.getInputProps('orgUnitPaths')}
        />
        <SyncScheduleFields
          interval={form.getInputProps('intervalMinutes')}
          statuses={form.getInputProps('syncedStatuses')}
          brand="Google"
        />
        <Radio.Group
          label="Authorization method"
          required
          withAsterisk={false}
          {...form.getInputProps('authMethod')}
        >
          <Stack gap="sm" mt="xs">
            {tile.authMethods.map(({ key }) => (
              <Radio
                key={key}
                value={key}
                label={GOOGLE_AUTH_METHOD_LABELS[asAuthMethod(key)].label}
                description={GOOGLE_AUTH_METHOD_LABELS[asAuthMethod(key)].description}
              />
            ))}
          </Stack>
        </Radio.Group>
        {methodChanges && (
          <Alert color="yellow" title="Syncing pauses until you authorize again" role="status">
            Changing the authorization method stops syncing until {tile.name} is authorized with the new
            method.
          </Alert>
        )}
        {resumes && (
          <Text size="sm" c="dimmed">
            Satchel still holds the authorization
            {tile.authorizedAccount ? ` from ${tile.authorizedAccount}` : ''}, so {tile.name} becomes active
            again straight away.
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={mutation.isPending}>
            {mode === 'activate' ? 'Activate' : 'Save settings'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
