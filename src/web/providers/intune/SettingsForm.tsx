import { Stack, Text, TextInput } from '@mantine/core';
import { isNotEmpty } from '@mantine/form';
import { useMemo } from 'react';
import { IntuneSettings } from '../../../server/mdm/providers/intune/settings.ts';
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

const FIELDS = ['tenantId', ...COMMON_FIELDS] as const;

export const INTUNE_AUTH_METHOD_LABELS: ProviderUi['authMethods'] = {
  admin_consent: {
    label: 'Admin consent to Satchel’s Microsoft app',
    description:
      'An administrator of your tenant signs in once and grants Satchel’s app read-only access to Intune devices.',
    afterDisconnect:
      'Satchel cannot take back an admin consent: remove Satchel’s app under Enterprise applications in the Microsoft Entra admin center.',
  },
  client_credentials: {
    label: 'An app registration of your own (client secret or certificate)',
    description:
      'Register an app in Microsoft Entra ID with the DeviceManagementManagedDevices.Read.All application permission, then paste its client ID and a client secret or certificate.',
  },
};

interface Values extends CommonValues {
  tenantId: string;
}

/** The stored tenant, or none for a provider never activated. */
export function storedTenantOf(stored: Record<string, unknown> | null): string {
  const parsed = IntuneSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data.tenantId : '';
}

/** The district's Microsoft Entra tenant, then the settings every provider shares. */
export function IntuneSettingsForm(props: SettingsFormProps) {
  const { tile, mode, onDone } = props;
  const storedTenant = useMemo(() => storedTenantOf(tile.settings), [tile.settings]);
  const { form, handleSubmit, mutation, serverErrors } = useProviderSettingsForm<Values>(props, {
    initialValues: { ...commonInitialValues(tile), tenantId: storedTenant },
    validate: {
      ...commonValidators,
      tenantId: isNotEmpty('Enter your tenant ID or one of its verified domains'),
    },
    fields: FIELDS,
    toSettings: (values) => ({ ...commonSettingsOf(values), tenantId: values.tenantId.trim() }),
  });
  const tenantChanges =
    mode === 'edit' && storedTenant !== '' && form.values.tenantId.trim().toLowerCase() !== storedTenant;

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={mutation.error} fields={serverErrors.placed} />
        <TextInput
          label="Microsoft Entra tenant"
          description="The Directory (tenant) ID on the Microsoft Entra admin center's Overview, or a verified domain of the tenant such as district.org."
          placeholder="district.org"
          required
          data-autofocus
          {...form.getInputProps('tenantId')}
        />
        {tenantChanges && (
          <Text size="sm" c="dimmed">
            Another tenant needs its own authorization: syncing stops until {tile.name} is authorized for it.
          </Text>
        )}
        <CommonSettingsFields
          tile={tile}
          form={form}
          mode={mode}
          authMethods={INTUNE_AUTH_METHOD_LABELS}
          brand="Intune"
        />
        <SettingsFormActions mode={mode} onDone={onDone} pending={mutation.isPending} />
      </Stack>
    </form>
  );
}
