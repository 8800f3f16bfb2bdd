import { Button, Group, Select, Stack, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { useMemo } from 'react';
import { DEVICE_STATUSES } from '../../../common/inventory.ts';
import { JamfSchoolSettings } from '../../../server/mdm/providers/jamf-school/settings.ts';
import { useActivateProvider, useUpdateProviderSettings } from '../../api/mdm.ts';
import { notifySuccess } from '../../lib/errors.ts';
import { settingsFieldErrors } from '../../lib/mdm.ts';
import { FormError } from '../FormError.tsx';
import type { SettingsFormProps } from './providerUi.ts';
import { SyncScheduleFields } from './SyncScheduleFields.tsx';

const FIELDS = ['baseUrl', 'timeZone', 'intervalMinutes', 'syncedStatuses'] as const;

interface Values {
  baseUrl: string;
  timeZone: string;
  intervalMinutes: string;
  syncedStatuses: string[];
}

/** The stored settings with the server's defaults filled in, or the defaults alone before any are stored. */
export function jamfSchoolSettingsOf(stored: Record<string, unknown> | null): Partial<JamfSchoolSettings> {
  const parsed = JamfSchoolSettings.safeParse(stored ?? {});
  if (parsed.success) return parsed.data;
  const defaults = JamfSchoolSettings.omit({ baseUrl: true }).parse({});
  return { ...defaults, ...(typeof stored?.baseUrl === 'string' ? { baseUrl: stored.baseUrl } : {}) };
}

/** Every IANA time zone this browser knows, UTC first. */
function timeZoneOptions(current: string): string[] {
  const zones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone'), current]);
  return [...zones];
}

/** Activate (POST) or change (PATCH) Jamf School's settings: its address, its time zone and what to sync. */
export function JamfSchoolSettingsForm({ tile, mode, onDone }: SettingsFormProps) {
  const activate = useActivateProvider();
  const update = useUpdateProviderSettings();
  const mutation = mode === 'activate' ? activate : update;
  const stored = useMemo(() => jamfSchoolSettingsOf(tile.settings), [tile.settings]);
  const form = useForm<Values>({
    initialValues: {
      baseUrl: stored.baseUrl ?? '',
      timeZone: stored.timeZone ?? 'UTC',
      intervalMinutes: String(stored.intervalMinutes ?? 360),
      syncedStatuses: stored.syncedStatuses ?? [],
    },
    validate: {
      baseUrl: isNotEmpty('Enter the address you sign in to Jamf School at'),
      syncedStatuses: (statuses) => (statuses.length === 0 ? 'Choose at least one status' : null),
    },
  });
  const serverErrors = settingsFieldErrors(mutation.error, FIELDS);

  const handleSubmit = form.onSubmit((values) => {
    const settings = {
      baseUrl: values.baseUrl.trim(),
      timeZone: values.timeZone,
      intervalMinutes: Number(values.intervalMinutes),
      syncedStatuses: DEVICE_STATUSES.filter((status) => values.syncedStatuses.includes(status)),
    };
    const options = {
      onSuccess: (updated: typeof tile) => {
        notifySuccess(
          mode === 'edit'
            ? `The settings of ${updated.name} were saved.`
            : updated.state === 'active'
              ? `${updated.name} is active again with the stored API key.`
              : `Next, enter the Network ID and an API key of ${updated.name}.`,
          mode === 'edit' ? 'Settings saved' : `${updated.name} activated`,
        );
        onDone();
      },
      onError: (error: unknown) => form.setErrors(settingsFieldErrors(error, FIELDS).errors),
    };
    if (mode === 'activate')
      activate.mutate({ key: tile.key, settings: { ...(tile.settings ?? {}), ...settings } }, options);
    else update.mutate({ key: tile.key, settings }, options);
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={mutation.error} fields={serverErrors.placed} />
        <TextInput
          label="Jamf School address"
          description="The address you sign in to Jamf School at, such as https://district.jamfcloud.com."
          placeholder="https://district.jamfcloud.com"
          type="url"
          required
          data-autofocus
          {...form.getInputProps('baseUrl')}
        />
        <Select
          label="Jamf School time zone"
          description="Jamf School reports check-in times in its own time zone without saying which. Choose the zone your Jamf School shows times in, so Satchel reads each check-in as the right moment."
          data={timeZoneOptions(form.values.timeZone)}
          searchable
          allowDeselect={false}
          {...form.getInputProps('timeZone')}
        />
        <SyncScheduleFields
          interval={form.getInputProps('intervalMinutes')}
          statuses={form.getInputProps('syncedStatuses')}
          brand="Jamf School"
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
