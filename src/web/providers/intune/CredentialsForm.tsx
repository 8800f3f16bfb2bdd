import { Button, FileInput, Group, PasswordInput, SegmentedControl, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useSubmitCredentials } from '../../api/mdm.ts';
import { FormError } from '../../components/FormError.tsx';
import { credentialsFieldErrors } from '../../lib/mdm.ts';
import type { CredentialsFormProps } from '../types.ts';

/** The server takes PEM files up to 20,000 characters; a certificate or an RSA key is a few thousand. */
const MAX_PEM_BYTES = 20_000;
const FIELDS = ['clientId', 'clientSecret', 'certificatePem', 'privateKeyPem'] as const;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Values {
  clientId: string;
  proof: 'secret' | 'certificate';
  clientSecret: string;
  certificateFile: File | null;
  privateKeyFile: File | null;
}

function pemFile(file: File | null, what: string): string | null {
  if (!file) return `Choose the ${what} file (PEM)`;
  return file.size > MAX_PEM_BYTES ? `This file is too large to be a ${what}` : null;
}

/**
 * Authorizes with an app registration of the district's: its client ID, and its client secret or a
 * certificate with its private key (read here as text). The server gets a token and tests device access
 * before the provider becomes active.
 */
export function IntuneCredentialsForm({ tile, onDone }: CredentialsFormProps) {
  const submit = useSubmitCredentials();
  const form = useForm<Values>({
    initialValues: {
      clientId: '',
      proof: 'secret',
      clientSecret: '',
      certificateFile: null,
      privateKeyFile: null,
    },
    validate: {
      clientId: (value) =>
        GUID.test(value.trim())
          ? null
          : 'Paste the Application (client) ID from the app registration’s Overview',
      clientSecret: (value, values) =>
        values.proof === 'secret' && value.trim() === '' ? 'Paste the client secret’s Value' : null,
      certificateFile: (file, values) =>
        values.proof === 'certificate' ? pemFile(file, 'certificate') : null,
      privateKeyFile: (file, values) =>
        values.proof === 'certificate' ? pemFile(file, 'private key') : null,
    },
  });

  const handleSubmit = form.onSubmit(async (values) => {
    let credentials: Record<string, string>;
    try {
      credentials =
        values.proof === 'secret'
          ? { clientId: values.clientId.trim(), clientSecret: values.clientSecret.trim() }
          : {
              clientId: values.clientId.trim(),
              certificatePem: await (values.certificateFile as File).text(),
              privateKeyPem: await (values.privateKeyFile as File).text(),
            };
    } catch {
      form.setFieldError('certificateFile', 'A file could not be read; choose it again');
      return;
    }
    submit.mutate(
      { key: tile.key, credentials },
      {
        onSuccess: () => {
          form.reset();
          onDone?.();
        },
        onError: (error) => {
          const { errors } = credentialsFieldErrors(error, FIELDS);
          form.setErrors({
            clientId: errors.clientId,
            clientSecret: errors.clientSecret,
            certificateFile: errors.certificatePem,
            privateKeyFile: errors.privateKeyPem,
          });
        },
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate aria-label={`App registration for ${tile.name}`}>
      <Stack gap="sm">
        <FormError error={submit.error} fields={credentialsFieldErrors(submit.error, FIELDS).placed} />
        <TextInput
          label="Application (client) ID"
          description="On the app registration’s Overview in the Microsoft Entra admin center."
          required
          withAsterisk={false}
          {...form.getInputProps('clientId')}
        />
        <SegmentedControl
          aria-label="How the app proves itself"
          data={[
            { value: 'secret', label: 'With a client secret' },
            { value: 'certificate', label: 'With a certificate' },
          ]}
          {...form.getInputProps('proof')}
        />
        {form.values.proof === 'secret' ? (
          <PasswordInput
            label="Client secret"
            description="The secret’s Value (shown once when it is created), not its Secret ID."
            required
            withAsterisk={false}
            {...form.getInputProps('clientSecret')}
          />
        ) : (
          <>
            <FileInput
              label="Certificate"
              description="The certificate uploaded to the app registration, as PEM (-----BEGIN CERTIFICATE-----)."
              placeholder="Choose a .pem or .crt file"
              accept=".pem,.crt,.cer"
              clearable
              required
              withAsterisk={false}
              {...form.getInputProps('certificateFile')}
            />
            <FileInput
              label="Private key"
              description="The certificate’s RSA private key, as unencrypted PEM (-----BEGIN PRIVATE KEY-----)."
              placeholder="Choose a .pem or .key file"
              accept=".pem,.key"
              clearable
              required
              withAsterisk={false}
              {...form.getInputProps('privateKeyFile')}
            />
          </>
        )}
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
