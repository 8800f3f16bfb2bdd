import { Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { useSubmitCredentials } from '../../api/mdm.ts';
import { FormError } from '../../components/FormError.tsx';
import { notifySuccess } from '../../lib/errors.ts';
import { credentialsFieldErrors } from '../../lib/mdm.ts';
import type { CredentialsFormProps } from '../types.ts';

const FIELDS = ['clientId', 'clientSecret'] as const;

interface Values {
  clientId: string;
  clientSecret: string;
}

/**
 * Authorizes with a Jamf Pro API client: the server gets a token and tries one request per inventory before
 * the provider becomes active, and says what to fix when Jamf Pro refuses.
 */
export function ApiClientForm({ tile, onDone }: CredentialsFormProps) {
  const submit = useSubmitCredentials();
  const form = useForm<Values>({
    initialValues: { clientId: '', clientSecret: '' },
    validate: {
      clientId: isNotEmpty('Enter the API client’s client ID'),
      clientSecret: isNotEmpty('Enter the API client’s client secret'),
    },
  });

  // Awaited rather than given callbacks: once the client works the tile turns active and this form leaves the
  // screen, and a mutation's own callbacks do not run for a form that is gone.
  const handleSubmit = form.onSubmit(async (values) => {
    try {
      const updated = await submit.mutateAsync({
        key: tile.key,
        credentials: { clientId: values.clientId.trim(), clientSecret: values.clientSecret },
      });
      notifySuccess(`The API client works: ${updated.name} is active.`, 'Connection tested');
      form.reset();
      onDone?.();
    } catch (error) {
      form.setErrors(credentialsFieldErrors(error, FIELDS).errors);
    }
  });

  return (
    <form onSubmit={handleSubmit} noValidate aria-label={`API client for ${tile.name}`}>
      <Stack gap="sm">
        <FormError error={submit.error} fields={credentialsFieldErrors(submit.error, FIELDS).placed} />
        <TextInput
          label="Client ID"
          description="Jamf Pro › Settings › System › API roles and clients › API Clients › the client."
          autoComplete="off"
          required
          withAsterisk={false}
          {...form.getInputProps('clientId')}
        />
        <PasswordInput
          label="Client secret"
          description="Shown once, when it is generated; generate a new one if you no longer have it."
          autoComplete="off"
          required
          withAsterisk={false}
          {...form.getInputProps('clientSecret')}
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
