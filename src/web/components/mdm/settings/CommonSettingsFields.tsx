import { Alert, Button, Group, MultiSelect, Radio, Select, Stack, Text } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import type { ProviderTile, RequestScope } from '../../../../common/mdm.ts';
import { STATUS_OPTIONS } from '../../../lib/inventory.ts';
import { intervalOptions, storedAuthMethod } from '../../../lib/mdm.ts';
import type { ProviderUi } from '../../../providers/types.ts';
import type { CommonValues } from './commonSettings.ts';
import { RequestScopeField } from './RequestScopeField.tsx';

/**
 * The settings every provider shares, below the provider's own: how often it syncs, which inventory statuses
 * it asks about, which requests it may send, and how it is authorized.
 */
export function CommonSettingsFields<Values extends CommonValues>({
  tile,
  form,
  mode,
  authMethods,
  brand,
}: {
  tile: ProviderTile;
  form: UseFormReturnType<Values>;
  mode: 'activate' | 'edit';
  authMethods: ProviderUi['authMethods'];
  brand: string;
}) {
  const currentMethod = storedAuthMethod(tile);
  const methodChanges =
    mode === 'edit' && tile.state !== 'inactive' && currentMethod !== null
      ? form.values.authMethod !== currentMethod
      : false;
  const resumes =
    mode === 'activate' && tile.hasStoredAuthorization && currentMethod === form.values.authMethod;
  const scopeProps = form.getInputProps('requestScope');
  return (
    <>
      <Select
        label="Sync interval"
        data={intervalOptions(Number(form.values.intervalMinutes))}
        allowDeselect={false}
        {...form.getInputProps('intervalMinutes')}
      />
      <MultiSelect
        label="Inventory statuses to sync"
        description={`Satchel asks ${brand} only about devices with these statuses.`}
        data={STATUS_OPTIONS}
        required
        withAsterisk={false}
        {...form.getInputProps('syncedStatuses')}
      />
      <RequestScopeField
        tile={tile}
        inputProps={{
          value: form.values.requestScope as RequestScope,
          onChange: scopeProps.onChange,
          error: scopeProps.error,
        }}
      />
      {tile.authMethods.length > 1 && (
        <Radio.Group
          label="Authorization method"
          required
          withAsterisk={false}
          {...form.getInputProps('authMethod')}
        >
          <Stack gap="sm" mt="xs">
            {tile.authMethods.map(({ key, unavailableReason }) => (
              <Radio
                key={key}
                value={key}
                disabled={unavailableReason !== null && form.values.authMethod !== key}
                label={authMethods[key]?.label ?? key}
                description={unavailableReason ?? authMethods[key]?.description}
              />
            ))}
          </Stack>
        </Radio.Group>
      )}
      {methodChanges && (
        <Alert color="yellow" title="Syncing pauses until you authorize again" role="status">
          Changing the authorization method stops syncing until {tile.name} is authorized with the new method.
        </Alert>
      )}
      {resumes && (
        <Text size="sm" c="dimmed">
          Satchel still holds the authorization
          {tile.authorizedAccount ? ` from ${tile.authorizedAccount}` : ''}, so {tile.name} becomes active
          again straight away.
        </Text>
      )}
    </>
  );
}

/** Cancel, and Activate or Save settings. */
export function SettingsFormActions({
  mode,
  onDone,
  pending,
}: {
  mode: 'activate' | 'edit';
  onDone: () => void;
  pending: boolean;
}) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onDone}>
        Cancel
      </Button>
      <Button type="submit" loading={pending}>
        {mode === 'activate' ? 'Activate' : 'Save settings'}
      </Button>
    </Group>
  );
}
