import { Alert, Button, Group, MultiSelect, Radio, Select, Stack, Text, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { useMemo } from 'react';
import { DEVICE_STATUSES, type DeviceStatus } from '../../../common/inventory.ts';
import { CommonSettings } from '../../../common/mdm.ts';
import {
  INTUNE_AUTH_METHODS,
  type IntuneAuthMethod,
  IntuneSettings,
} from '../../../server/mdm/providers/intune/settings.ts';
import { useActivateProvider, useUpdateProviderSettings } from '../../api/mdm.ts';
import { notifySuccess } from '../../lib/errors.ts';
import { STATUS_OPTIONS } from '../../lib/inventory.ts';
import { intervalOptions, settingsFieldErrors, storedAuthMethod } from '../../lib/mdm.ts';
import { FormError } from '../FormError.tsx';
import type { SettingsFormProps } from './providerUi.ts';

const FIELDS = ['tenantId', 'intervalMinutes', 'syncedStatuses', 'authMethod'] as const;

export const INTUNE_AUTH_METHOD_LABELS: Record<IntuneAuthMethod, { label: string; description: string }> = {
  admin_consent: {
    label: 'Admin consent to Satchel’s Microsoft app',
    description:
      'An administrator of your tenant signs in once and grants Satchel’s app read-only access to Intune devices.',
  },
  client_credentials: {
    label: 'App registration of your own (client secret or certificate)',
    description:
      'Register an app in Microsoft Entra ID with the DeviceManagementManagedDevices.Read.All application permission and paste its client ID and secret or certificate.',
  },
};

interface Values {
  tenantId: string;
  intervalMinutes: string;
  syncedStatuses: string[];
  authMethod: string;
}

/** The stored settings with the server's defaults filled in; no tenant yet for a provider never activated. */
export function intuneSettingsOf(stored: Record<string, unknown> | null): IntuneSettings {
  const parsed = IntuneSettings.safeParse(stored ?? {});
  return parsed.success
    ? parsed.data
    : { ...CommonSettings.parse({}), authMethod: 'client_credentials', tenantId: '' };
}

function asStatuses(values: string[]): DeviceStatus[] {
  return DEVICE_STATUSES.filter((status) => values.includes(status));
}

export function asIntuneAuthMethod(value: string): IntuneAuthMethod {
  return INTUNE_AUTH_METHODS.find((method) => method === value) ?? 'client_credentials';
}

/** Activate (POST, pre-filled from stored settings when re-activating) or change (PATCH) Intune's settings. */
export function IntuneSettingsForm({ tile, mode, onDone }: SettingsFormProps) {
  const activate = useActivateProvider();
  const update = useUpdateProviderSettings();
  const mutation = mode === 'activate' ? activate : update;
  const stored = useMemo(() => intuneSettingsOf(tile.settings), [tile.settings]);
  const currentMethod = storedAuthMethod(tile);
  const offered = tile.authMethods.filter((method) => method.unavailableReason === null);

  const form = useForm<Values>({
    initialValues: {
      tenantId: stored.tenantId,
      intervalMinutes: String(stored.intervalMinutes),
      syncedStatuses: stored.syncedStatuses,
      authMethod: offered.some((method) => method.key === stored.authMethod)
        ? stored.authMethod
        : (offered[0]?.key ?? 'client_credentials'),
    },
    validate: {
      tenantId: isNotEmpty('Enter the tenant ID or a verified domain of your tenant'),
      syncedStatuses: (statuses) => (statuses.length === 0 ? 'Choose at least one status' : null),
    },
  });
  const serverErrors = settingsFieldErrors(mutation.error, FIELDS);

  const handleSubmit = form.onSubmit((values) => {
    const settings = {
      tenantId: values.tenantId.trim(),
      intervalMinutes: Number(values.intervalMinutes),
      syncedStatuses: asStatuses(values.syncedStatuses),
      authMethod: asIntuneAuthMethod(values.authMethod),
    };
    const options = {
      onSuccess: (updated: typeof tile) => {
        notifySuccess(
          mode === 'edit'
            ? updated.state === 'needs_authorization' && tile.state !== 'needs_authorization'
              ? `Authorize ${updated.name} again to resume syncing.`
              : `The settings of ${updated.name} were saved.`
            : updated.state === 'active'
              ? `${updated.name} is active again with the stored authorization.`
              : `Next, authorize Satchel to read your devices from ${updated.name}.`,
          mode === 'edit' ? 'Settings saved' : `${updated.name} activated`,
        );
        onDone();
      },
      onError: (error: unknown) => form.setErrors(settingsFieldErrors(error, FIELDS).errors),
    };
    if (mode === 'activate') {
      activate.mutate({ key: tile.key, settings: { ...(tile.settings ?? {}), ...settings } }, options);
    } else {
      update.mutate({ key: tile.key, settings }, options);
    }
  });

  const methodChanges =
    mode === 'edit' && tile.state !== 'inactive' && currentMethod !== null
      ? form.values.authMethod !== currentMethod
      : false;

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={mutation.error} fields={serverErrors.placed} />
        <TextInput
          label="Microsoft Entra tenant"
          description="The Directory (tenant) ID from the Microsoft Entra admin center's Overview, or a verified domain of the tenant such as district.org."
          placeholder="district.org"
          required
          data-autofocus
          {...form.getInputProps('tenantId')}
        />
        <Select
          label="Sync interval"
          data={intervalOptions(Number(form.values.intervalMinutes))}
          allowDeselect={false}
          {...form.getInputProps('intervalMinutes')}
        />
        <MultiSelect
          label="Inventory statuses to sync"
          description="Satchel asks Intune only about devices with these statuses."
          data={STATUS_OPTIONS}
          required
          withAsterisk={false}
          {...form.getInputProps('syncedStatuses')}
        />
        {offered.length > 1 && (
          <Radio.Group
            label="Authorization method"
            required
            withAsterisk={false}
            {...form.getInputProps('authMethod')}
          >
            <Stack gap="sm" mt="xs">
              {offered.map(({ key }) => (
                <Radio
                  key={key}
                  value={key}
                  label={INTUNE_AUTH_METHOD_LABELS[asIntuneAuthMethod(key)].label}
                  description={INTUNE_AUTH_METHOD_LABELS[asIntuneAuthMethod(key)].description}
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
        {methodChanges && (
          <Alert color="yellow" title="Syncing pauses until you authorize again" role="status">
            Changing the authorization method stops syncing until {tile.name} is authorized with the new
            method.
          </Alert>
        )}
        {mode === 'edit' &&
          stored.tenantId !== '' &&
          form.values.tenantId.trim().toLowerCase() !== stored.tenantId && (
            <Text size="sm" c="dimmed">
              Another tenant needs a new authorization: syncing pauses until {tile.name} is authorized for it.
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
