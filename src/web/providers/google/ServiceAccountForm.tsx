import { Button, FileInput, Group, Stack, TextInput } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import type { ProviderTile } from '../../../common/mdm.ts';
import { useSubmitCredentials } from '../../api/mdm.ts';
import { FormError } from '../../components/FormError.tsx';
import { credentialsFieldErrors } from '../../lib/mdm.ts';
import type { CredentialsFormProps } from '../types.ts';

/** The server takes key files up to 20,000 characters; real ones are about 2,400. */
const MAX_KEY_BYTES = 20_000;
const FIELDS = ['serviceAccountKey', 'impersonatedAdmin'] as const;

interface Values {
  keyFile: File | null;
  impersonatedAdmin: string;
}

function storedAdmin(tile: ProviderTile): string {
  const value = tile.settings?.impersonatedAdmin;
  return typeof value === 'string' ? value : '';
}

/**
 * Authorizes with a service-account key: the JSON file is read here as text and sent with the admin to act
 * as; the server checks the key and tests the connection before the provider becomes active.
 */
export function ServiceAccountForm({ tile, onDone }: CredentialsFormProps) {
  const upload = useSubmitCredentials();
  const form = useForm<Values>({
    initialValues: { keyFile: null, impersonatedAdmin: storedAdmin(tile) },
    validate: {
      keyFile: (file) => {
        if (!file) return 'Choose the JSON key file downloaded from Google Cloud';
        if (file.size > MAX_KEY_BYTES) return 'This file is too large to be a service-account key';
        return null;
      },
      impersonatedAdmin: isEmail('Enter the email address of a Google admin'),
    },
  });

  const handleSubmit = form.onSubmit(async (values) => {
    if (!values.keyFile) return;
    let text: string;
    try {
      text = await values.keyFile.text();
    } catch {
      form.setFieldError('keyFile', 'The file could not be read; choose it again');
      return;
    }
    upload.mutate(
      {
        key: tile.key,
        credentials: { serviceAccountKey: text, impersonatedAdmin: values.impersonatedAdmin.trim() },
      },
      {
        onSuccess: () => {
          form.reset();
          onDone?.();
        },
        onError: (error) => {
          const { errors } = credentialsFieldErrors(error, FIELDS);
          form.setErrors({ keyFile: errors.serviceAccountKey, impersonatedAdmin: errors.impersonatedAdmin });
        },
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate aria-label={`Service-account key for ${tile.name}`}>
      <Stack gap="sm">
        <FormError error={upload.error} fields={credentialsFieldErrors(upload.error, FIELDS).placed} />
        <FileInput
          label="JSON key file"
          description="Created for the service account in Google Cloud (IAM › Service accounts › Keys)."
          placeholder="Choose a .json file"
          accept=".json,application/json"
          clearable
          required
          withAsterisk={false}
          {...form.getInputProps('keyFile')}
        />
        <TextInput
          label="Admin email to act as"
          description="A Google admin with the ChromeOS device privilege; the service account acts as them."
          type="email"
          required
          {...form.getInputProps('impersonatedAdmin')}
        />
        <Group justify="flex-end">
          {onDone && (
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
          )}
          <Button type="submit" loading={upload.isPending}>
            Upload and test
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
