import { Stack, TagsInput, TextInput } from '@mantine/core';
import { isNotEmpty } from '@mantine/form';
import { useMemo } from 'react';
import { GoogleSettings } from '../../../server/mdm/providers/google/settings.ts';
import { useSeenOrgUnits } from '../../api/mdm.ts';
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

const FIELDS = ['customerId', 'orgUnitPaths', ...COMMON_FIELDS] as const;

export const GOOGLE_AUTH_METHOD_LABELS: ProviderUi['authMethods'] = {
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

interface Values extends CommonValues {
  customerId: string;
  orgUnitPaths: string[];
}

/** The stored settings with the server's defaults filled in (the same schema the server uses). */
export function googleSettingsOf(stored: Record<string, unknown> | null): GoogleSettings {
  const parsed = GoogleSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : GoogleSettings.parse({});
}

/** Google's customer and org units, then the settings every provider shares. */
export function GoogleSettingsForm(props: SettingsFormProps) {
  const { tile, mode, onDone } = props;
  const stored = useMemo(() => googleSettingsOf(tile.settings), [tile.settings]);
  const seenOrgUnits = useSeenOrgUnits('google').data?.orgUnits ?? [];
  const { form, handleSubmit, mutation, serverErrors } = useProviderSettingsForm<Values>(props, {
    initialValues: {
      ...commonInitialValues(tile),
      customerId: stored.customerId,
      orgUnitPaths: stored.orgUnitPaths,
    },
    validate: {
      ...commonValidators,
      customerId: isNotEmpty('Enter my_customer or your Google customer ID'),
      orgUnitPaths: (paths) =>
        paths.find((path) => !path.trim().startsWith('/'))
          ? 'Org unit paths start with /, e.g. /Students'
          : null,
    },
    fields: FIELDS,
    toSettings: (values) => ({
      ...commonSettingsOf(values),
      customerId: values.customerId.trim(),
      orgUnitPaths: values.orgUnitPaths.map((path) => path.trim()),
    }),
  });

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
          description={
            seenOrgUnits.length > 0
              ? 'Pick from the org units Google has reported, or type a path and press Enter. Leave empty to sync every ChromeOS device in the domain.'
              : 'Press Enter after each path, e.g. /Students. Leave empty to sync every ChromeOS device in the domain.'
          }
          placeholder={form.values.orgUnitPaths.length === 0 ? '/Students' : undefined}
          data={seenOrgUnits}
          limit={50}
          clearable
          {...form.getInputProps('orgUnitPaths')}
        />
        <CommonSettingsFields
          tile={tile}
          form={form}
          mode={mode}
          authMethods={GOOGLE_AUTH_METHOD_LABELS}
          brand="Google"
        />
        <SettingsFormActions mode={mode} onDone={onDone} pending={mutation.isPending} />
      </Stack>
    </form>
  );
}
