import { Alert, Stack, Text, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import {
  JAMF_PRO_AUTH_METHODS,
  JamfProSettings,
  normalizeBaseUrl,
} from '../../../server/mdm/providers/jamf-pro/settings.ts';
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

const FIELDS = ['baseUrl', ...COMMON_FIELDS] as const;

export const JAMF_PRO_AUTH_METHOD_LABELS: ProviderUi['authMethods'] = {
  [JAMF_PRO_AUTH_METHODS[0]]: {
    label: 'API client (client ID and secret)',
    description:
      'An API client in Jamf Pro whose API role has the Read Computers and Read Mobile Devices privileges.',
  },
};

interface Values extends CommonValues {
  baseUrl: string;
}

/** The stored settings with the server's defaults filled in, or null before a URL was saved. */
export function jamfProSettingsOf(stored: Record<string, unknown> | null): JamfProSettings | null {
  const parsed = JamfProSettings.safeParse(stored ?? {});
  return parsed.success ? parsed.data : null;
}

/** The browser's own check of the URL; the server's also looks up where its host leads. */
function urlProblem(value: string, privateUrlsAllowed: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return 'Enter the whole URL, such as https://district.jamfcloud.com';
  }
  if (url.protocol === 'https:' || (privateUrlsAllowed && url.protocol === 'http:')) return null;
  return 'The URL must use https';
}

/** Where the Jamf Pro server is, then the settings every provider shares. */
export function JamfProSettingsForm(props: SettingsFormProps) {
  const { tile, mode, onDone } = props;
  const stored = useMemo(() => jamfProSettingsOf(tile.settings), [tile.settings]);
  const { form, handleSubmit, mutation, serverErrors } = useProviderSettingsForm<Values>(props, {
    initialValues: { ...commonInitialValues(tile), baseUrl: stored?.baseUrl ?? '' },
    validate: {
      ...commonValidators,
      baseUrl: (value) => urlProblem(value, tile.privateUrlsAllowed),
    },
    fields: FIELDS,
    toSettings: (values) => ({ ...commonSettingsOf(values), baseUrl: normalizeBaseUrl(values.baseUrl) }),
  });
  const urlChanges =
    tile.hasStoredAuthorization &&
    stored !== null &&
    normalizeBaseUrl(form.values.baseUrl) !== stored.baseUrl &&
    form.values.baseUrl.trim() !== '';

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={mutation.error} fields={serverErrors.placed} />
        <TextInput
          label="Jamf Pro URL"
          description="The address you open Jamf Pro at, such as https://district.jamfcloud.com; for an on-premises server with its port and path, such as https://jamf.district.org:8443."
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
        {urlChanges && (
          <Alert color="yellow" title="Enter the API client again after saving" role="status">
            Satchel sends a client secret only to the server it was entered for, so syncing stops until you
            enter the API client for the new URL.
          </Alert>
        )}
        <CommonSettingsFields
          tile={tile}
          form={form}
          mode={mode}
          authMethods={JAMF_PRO_AUTH_METHOD_LABELS}
          brand="Jamf Pro"
        />
        <SettingsFormActions mode={mode} onDone={onDone} pending={mutation.isPending} />
      </Stack>
    </form>
  );
}
