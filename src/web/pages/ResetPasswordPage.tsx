import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { isEmail, useForm } from '@mantine/form';
import { Link, useLocation, useNavigate } from 'react-router';
import { useCompletePasswordReset, useRequestPasswordReset } from '../api/account-mail.ts';
import { CenteredCard } from '../components/CenteredCard.tsx';
import { FormError } from '../components/FormError.tsx';
import { NewPasswordFields, newPasswordRules } from '../components/NewPasswordFields.tsx';
import { fieldErrorsFor } from '../lib/errors.ts';

function RequestForm() {
  const request = useRequestPasswordReset();
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: isEmail('Enter your email address') },
  });
  const handleSubmit = form.onSubmit((values) => request.mutate({ email: values.email.trim() }));
  if (request.data) {
    return (
      <Alert color={request.data.mailEnabled ? 'blue' : 'yellow'} title="Password reset" role="status">
        {request.data.message}
      </Alert>
    );
  }
  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <Text size="sm">
          Enter the email you sign in with, and we'll mail you a link to choose a new password.
        </Text>
        <FormError error={request.error} fields={['email']} />
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          {...form.getInputProps('email')}
        />
        <Button type="submit" loading={request.isPending} fullWidth>
          Send reset link
        </Button>
      </Stack>
    </form>
  );
}

function NewPasswordForm({ token }: { token: string }) {
  const navigate = useNavigate();
  const complete = useCompletePasswordReset();
  const form = useForm({ initialValues: { password: '', confirmPassword: '' }, validate: newPasswordRules });
  const handleSubmit = form.onSubmit((values) => {
    complete.mutate(
      { token, password: values.password },
      {
        onSuccess: () => navigate('/sign-in?reset=done', { replace: true }),
        onError: (error) => form.setErrors(fieldErrorsFor(error, ['password'])),
      },
    );
  });
  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        <FormError error={complete.error} fields={['password']} />
        <NewPasswordFields form={form} />
        <Button type="submit" loading={complete.isPending} fullWidth>
          Set new password
        </Button>
      </Stack>
    </form>
  );
}

/** `/reset-password`: asks for a reset link; `/reset-password#<secret>` (the link mailed) sets the new password. */
export function ResetPasswordPage() {
  const token = useLocation().hash.slice(1);
  return (
    <CenteredCard title="Reset your password" subtitle="Device inventory for your district">
      <Stack>
        {token ? <NewPasswordForm token={token} /> : <RequestForm />}
        <Anchor component={Link} to="/sign-in" size="sm">
          Back to sign in
        </Anchor>
      </Stack>
    </CenteredCard>
  );
}
