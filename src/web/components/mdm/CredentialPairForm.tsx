import { Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { isNotEmpty, useForm } from '@mantine/form';
import { useSubmitCredentials } from '../../api/mdm.ts';
import { credentialsFieldErrors } from '../../lib/mdm.ts';
import type { CredentialsFormProps } from '../../providers/types.ts';
import { FormError } from '../FormError.tsx';

/** One field of a credentials form: its name in the request body and how the form shows it. */
export interface CredentialField {
  name: string;
  label: string;
  description: string;
  /** What the form says when the field is left empty. */
  missing: string;
  /** Typed into a password field. */
  secret?: boolean;
}

/**
 * Authorizes with an identifier and a secret the administrator pastes (an API client's ID and secret, a
 * Network ID and API key); the server tests them before the provider becomes active, and says what to fix
 * when the provider refuses them.
 */
export function CredentialPairForm({
  tile,
  onDone,
  label,
  fields,
}: CredentialsFormProps & { label: string; fields: readonly [CredentialField, CredentialField] }) {
  const submit = useSubmitCredentials();
  const names = fields.map((field) => field.name);
  const form = useForm<Record<string, string>>({
    initialValues: Object.fromEntries(names.map((name) => [name, ''])),
    validate: Object.fromEntries(fields.map((field) => [field.name, isNotEmpty(field.missing)])),
  });

  const handleSubmit = form.onSubmit((values) => {
    const credentials = Object.fromEntries(names.map((name) => [name, (values[name] ?? '').trim()]));
    submit.mutate(
      { key: tile.key, credentials },
      {
        onSuccess: () => {
          form.reset();
          onDone?.();
        },
        onError: (error) => form.setErrors(credentialsFieldErrors(error, names).errors),
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate aria-label={label}>
      <Stack gap="sm">
        <FormError error={submit.error} fields={credentialsFieldErrors(submit.error, names).placed} />
        {fields.map((field) => {
          const Input = field.secret ? PasswordInput : TextInput;
          return (
            <Input
              key={field.name}
              label={field.label}
              description={field.description}
              required
              autoComplete="off"
              {...form.getInputProps(field.name)}
            />
          );
        })}
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
