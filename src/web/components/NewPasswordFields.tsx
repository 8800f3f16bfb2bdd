import { PasswordInput } from '@mantine/core';
import { hasLength, matchesField, type UseFormReturnType } from '@mantine/form';

export const MIN_PASSWORD = 12;

export const newPasswordRules = {
  password: hasLength({ min: MIN_PASSWORD }, `Passwords need at least ${MIN_PASSWORD} characters`),
  confirmPassword: matchesField('password', 'The passwords do not match'),
};

/** A new password and its confirmation, for forms whose values hold `password` and `confirmPassword`. */
export function NewPasswordFields({
  form,
}: {
  form: UseFormReturnType<{ password: string; confirmPassword: string }>;
}) {
  return (
    <>
      <PasswordInput
        label="New password"
        description={`At least ${MIN_PASSWORD} characters. A long passphrase is best.`}
        autoComplete="new-password"
        required
        autoFocus
        {...form.getInputProps('password')}
      />
      <PasswordInput
        label="Confirm new password"
        autoComplete="new-password"
        required
        {...form.getInputProps('confirmPassword')}
      />
    </>
  );
}
