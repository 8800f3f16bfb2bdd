import { Button, Group, MultiSelect, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMemo } from 'react';
import { DEVICE_STATUSES, type DeviceStatus } from '../../../common/inventory.ts';
import { JamfProSettings, normalizeBaseUrl } from '../../../server/mdm/providers/jamf-pro/settings.ts';
import { useActivateProvider, useUpdateProviderSettings } from '../../api/mdm.ts';
import { FormError } from '../../components/FormError.tsx';
import type { SettingsFormProps } from '../../components/mdm/providerUi.ts';
import { notifySuccess } from '../../lib/errors.ts';
import { STATUS_OPTIONS } from '../../lib/inventory.ts';
import { intervalOptions, settingsFieldErrors } from '../../lib/mdm.ts';

const FIELDS = ['baseUrl', 'intervalMinutes', 'syncedStatuses'] as const;

interface Values {
  baseUrl: string;
  intervalMinutes: string;
  syncedStatuses: string[];
}

/** The stored settings with the server's defaults filled in, or null before a URL was ever saved. */
export function jamfProSettingsOf(stored: Record<string, unknown> | null): JamfProSettings | null {
  const parsed = JamfProSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : null;
}

const DEFAULTS = JamfProSettings.parse({ baseUrl: 'https://district.jamfcloud.com' });

function asStatuses(values: string[]): DeviceStatus[] {
  return DEVICE_STATUSES.filter((status) => values.includes(status));
}

/** The browser's own check, before the server's (which also looks up where the host points). */
function urlProblem(value: string, privateUrlsAllowed: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'Enter the whole URL, such as https://district.jamfcloud.com';
  }
  if (url.protocol !== 'https:' && !(privateUrlsAllowed && url.protocol === 'http:'))
    return 'The URL must use https';
  return null;
}

/** Activate (POST) or change (PATCH) Jamf Pro's settings: where the server is, how often, which devices. */
export function JamfProSettingsForm({ tile, mode, onDone }: SettingsFormProps) {
  const activate = useActivateProvider();
  const update = useUpdateProviderSettings();
  const mutation = mode === 'activate' ? activate : update;
  const stored = useMemo(() => jamfProSettingsOf(tile.settings), [tile.settings]);

  const form = useForm<Values>({
    initialValues: {
      baseUrl: stored?.baseUrl ?? '',
      intervalMinutes: String(stored?.intervalMinutes ?? DEFAULTS.intervalMinutes),
      syncedStatuses: stored?.syncedStatuses ?? DEFAULTS.syncedStatuses,
    },
    validate: {
      baseUrl: (value) => urlProblem(value, tile.privateUrlsAllowed),
      syncedStatuses: (statuses) => (statuses.length === 0 ? 'Choose at least one status' : null),
    },
  });
  const serverErrors = settingsFieldErrors(mutation.error, FIELDS);

  const handleSubmit = form.onSubmit((values) => {
    const settings = {
      baseUrl: normalizeBaseUrl(values.baseUrl),
      intervalMinutes: Number(values.intervalMinutes),
      syncedStatuses: asStatuses(values.syncedStatuses),
      authMethod: 'client_credentials',
    };
    const urlChanged = stored !== null && stored.baseUrl !== settings.baseUrl;
    const options = {
      onSuccess: (updated: typeof tile) => {
        notifySuccess(
          mode === 'activate'
            ? updated.state === 'active'
              ? `${updated.name} is active again with the stored API client.`
              : `Next, enter the API client Satchel reads ${updated.name} with.`
            : urlChanged && tile.hasStoredAuthorization
              ? `Enter the API client again for the new URL: Satchel sends a client secret only to the server it was entered for.`
              : `The settings of ${updated.name} were saved.`,
          mode === 'activate' ? `${updated.name} activated` : 'Settings saved',
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

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={mutation.error} fields={serverErrors.placed} />
        <TextInput
          label="Jamf Pro URL"
          description="The address you open Jamf Pro at, such as https://district.jamfcloud.com, with its path for an on-premises server (https://jamf.district.org:8443)."
          placeholder="https://district.jamfcloud.com"
          required
          data-autofocus
          {...form.getInputProps('baseUrl')}
        />
        {tile.privateUrlsAllowed && (
          <Text size="sm" c="dimmed">
            This installation also allows http and addresses on private networks.
          </Text>
        )}
        <Select
          label="Sync interval"
          data={intervalOptions(Number(form.values.intervalMinutes))}
          allowDeselect={false}
          {...form.getInputProps('intervalMinutes')}
        />
        <MultiSelect
          label="Inventory statuses to sync"
          description="Satchel asks Jamf Pro only about devices with these statuses."
          data={STATUS_OPTIONS}
          required
          withAsterisk={false}
          {...form.getInputProps('syncedStatuses')}
        />
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
