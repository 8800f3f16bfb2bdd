import { Select, Stack, TextInput } from '@mantine/core';
import { isNotEmpty } from '@mantine/form';
import { useMemo } from 'react';
import { JamfSchoolSettings } from '../../../server/mdm/providers/jamf-school/settings.ts';
import { FormError } from '../../components/FormError.tsx';
import {
  CommonSettingsFields,
  SettingsFormActions,
} from '../../components/mdm/settings/CommonSettingsFields.tsx';
import {
  COMMON_FIELDS,
  type CommonValues,
  commonInitialValues,
  commonSettingsOf,
  commonValidators,
} from '../../components/mdm/settings/commonSettings.ts';
import { useProviderSettingsForm } from '../../components/mdm/settings/useProviderSettingsForm.ts';
import type { ProviderUi, SettingsFormProps } from '../types.ts';

const FIELDS = ['baseUrl', 'timeZone', ...COMMON_FIELDS] as const;

export const JAMF_SCHOOL_AUTH_METHOD_LABELS: ProviderUi['authMethods'] = {
  api_key: {
    label: 'Network ID and API key',
    description: 'An API key with read access to devices, from Organization › Settings › API in Jamf School.',
  },
};

interface Values extends CommonValues {
  baseUrl: string;
  timeZone: string;
}

/** Jamf School's own stored settings: its address (none before it is set) and its time zone. */
export function jamfSchoolSettingsOf(stored: Record<string, unknown> | null): {
  baseUrl: string | null;
  timeZone: string;
} {
  const parsed = JamfSchoolSettings.safeParse(stored ?? {});
  if (parsed.success) return { baseUrl: parsed.data.baseUrl, timeZone: parsed.data.timeZone };
  return {
    baseUrl: typeof stored?.baseUrl === 'string' ? stored.baseUrl : null,
    timeZone: typeof stored?.timeZone === 'string' ? stored.timeZone : 'UTC',
  };
}

/** Every IANA time zone this browser knows, UTC first, and the stored one even if the browser does not know it. */
function timeZoneOptions(current: string): string[] {
  return [...new Set(['UTC', ...Intl.supportedValuesOf('timeZone'), current])];
}

/** Jamf School's address and time zone, then the settings every provider shares. */
export function JamfSchoolSettingsForm(props: SettingsFormProps) {
  const { tile, mode, onDone } = props;
  const stored = useMemo(() => jamfSchoolSettingsOf(tile.settings), [tile.settings]);
  const { form, handleSubmit, mutation, serverErrors } = useProviderSettingsForm<Values>(props, {
    initialValues: { ...commonInitialValues(tile), baseUrl: stored.baseUrl ?? '', timeZone: stored.timeZone },
    validate: {
      ...commonValidators,
      baseUrl: isNotEmpty('Enter the address you sign in to Jamf School at'),
    },
    fields: FIELDS,
    toSettings: (values) => ({
      ...commonSettingsOf(values),
      baseUrl: values.baseUrl.trim(),
      timeZone: values.timeZone,
    }),
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={mutation.error} fields={serverErrors.placed} />
        <TextInput
          label="Jamf School address"
          description="The address you sign in to Jamf School at. Satchel connects only to public https addresses and follows no redirects."
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
        <CommonSettingsFields
          tile={tile}
          form={form}
          mode={mode}
          authMethods={JAMF_SCHOOL_AUTH_METHOD_LABELS}
          brand="Jamf School"
        />
        <SettingsFormActions mode={mode} onDone={onDone} pending={mutation.isPending} />
      </Stack>
    </form>
  );
}
