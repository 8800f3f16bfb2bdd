import { Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { useSubmitCredentials } from '../../api/mdm.ts';
import { FormError } from '../../components/FormError.tsx';
import { credentialsFieldErrors } from '../../lib/mdm.ts';
import type { CredentialsFormProps } from '../types.ts';

const FIELDS = ['networkId', 'apiKey'] as const;

/**
 * Authorizes with the Network ID and an API key; the server tests them with one request to Jamf School before
 * the provider becomes active, and says what to fix if Jamf School refuses them.
 */
export function JamfSchoolCredentialsForm({ tile, onDone }: CredentialsFormProps) {
  const submit = useSubmitCredentials();
  const form = useForm({
    initialValues: { networkId: '', apiKey: '' },
    validate: {
      networkId: isNotEmpty('Enter the Network ID shown under Devices › Enroll Device(s)'),
      apiKey: isNotEmpty('Enter the API key from Organization › Settings › API'),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    submit.mutate(
      { key: tile.key, credentials: { networkId: values.networkId.trim(), apiKey: values.apiKey.trim() } },
      {
        onSuccess: () => {
          form.reset();
          onDone?.();
        },
        onError: (error) => form.setErrors(credentialsFieldErrors(error, FIELDS).errors),
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate aria-label={`API key for ${tile.name}`}>
      <Stack gap="sm">
        <FormError error={submit.error} fields={credentialsFieldErrors(submit.error, FIELDS).placed} />
        <TextInput
          label="Network ID"
          description="In Jamf School: Devices › Enroll Device(s)."
          required
          autoComplete="off"
          {...form.getInputProps('networkId')}
        />
        <PasswordInput
          label="API key"
          description="In Jamf School: Organization › Settings › API. It needs read access to devices."
          required
          autoComplete="off"
          {...form.getInputProps('apiKey')}
        />
        <Group justify="flex-end">
          {onDone && (
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={submit.isPending}>
            Test and save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
