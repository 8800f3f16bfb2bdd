import { Alert, Anchor, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { isEmail, isNotEmpty, useForm } from '@mantine/form';
import { useState } from 'react';
import { Link, Navigate, useSearchParams } from 'react-router';
import type { DistrictChoice } from '../../common/auth.ts';
import { useSession, useSignIn } from '../api/session.ts';
import { useSignInMethods } from '../api/sign-in.ts';
import { CenteredCard } from '../components/CenteredCard.tsx';
import { DistrictChooser } from '../components/DistrictChooser.tsx';
import { FormError } from '../components/FormError.tsx';
import { fieldErrorsFor } from '../lib/errors.ts';
import { safeReturnPath } from '../lib/navigation.ts';
import { SingleSignOnButtons } from '../sign-in/SingleSignOnButtons.tsx';
import { SingleSignOnError } from '../sign-in/SingleSignOnError.tsx';

const FIELDS = ['email', 'password'] as const;

export function SignInPage() {
  const [searchParams] = useSearchParams();
  const returnTo = safeReturnPath(searchParams.get('next'));
  const session = useSession();
  const signIn = useSignIn();
  const [choice, setChoice] = useState<DistrictChoice['districtChoice'] | null>(null);
  // The buttons follow the email once it is typed (the field is left), by its domain.
  const [typedEmail, setTypedEmail] = useState('');
  const methods = useSignInMethods(typedEmail);

  const form = useForm({
    initialValues: { email: '', password: '' },
    validate: {
      email: isEmail('Enter your email address'),
      password: isNotEmpty('Enter your password'),
    },
  });

  if (session.data) return <Navigate to={returnTo} replace />;

  const handleSubmit = form.onSubmit((values) => {
    signIn.mutate(
      { email: values.email.trim(), password: values.password },
      {
        onSuccess: (answer) => {
          if ('districtChoice' in answer) setChoice(answer.districtChoice);
        },
        onError: (error) => {
          form.setErrors(fieldErrorsFor(error, FIELDS));
          form.setFieldValue('password', '');
        },
      },
    );
  });

  if (choice) {
    return (
      <CenteredCard title="Choose a district" subtitle="Device inventory for your district">
        <DistrictChooser
          choice={choice}
          onCancel={() => {
            setChoice(null);
            form.setFieldValue('password', '');
          }}
        />
      </CenteredCard>
    );
  }

  return (
    <CenteredCard title="Sign in" subtitle="Device inventory for your district">
      <form onSubmit={handleSubmit} noValidate>
        <Stack>
          {searchParams.get('reset') === 'done' && (
            <Alert color="green" title="Password changed" role="status">
              Sign in with your new password.
            </Alert>
          )}
          <SingleSignOnError reason={searchParams.get('sso_error')} />
          <FormError error={signIn.error} fields={FIELDS} />
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            {...form.getInputProps('email')}
            onBlur={(event) => {
              form.getInputProps('email').onBlur?.(event);
              const email = form.values.email.trim();
              if (/^\S+@\S+\.\S+$/.test(email)) setTypedEmail(email);
            }}
          />
          {(methods.data?.providers.length ?? 0) > 0 && (
            <SingleSignOnButtons providers={methods.data?.providers ?? []} email={form.values.email.trim()} />
          )}
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={signIn.isPending} fullWidth>
            Sign in
          </Button>
          <Anchor component={Link} to="/reset-password" size="sm">
            Forgot your password?
          </Anchor>
        </Stack>
      </form>
    </CenteredCard>
  );
}
