import { Alert, Anchor, Button, Code, Loader, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { hasLength, isEmail, isNotEmpty, matchesField, useForm } from '@mantine/form';
import type { ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isTimeZone } from '../../common/districts.ts';
import { useCompleteSetup, useSetupStatus } from '../api/session.ts';
import { CenteredCard } from '../components/CenteredCard.tsx';
import { FormError } from '../components/FormError.tsx';
import { describeError, fieldErrorsFor } from '../lib/errors.ts';
import { formatDateTime } from '../lib/format.ts';

const FIELDS = ['districtName', 'adminName', 'adminEmail', 'adminPassword'] as const;
const MIN_PASSWORD = 12;

function browserTimeZone(): { timeZone?: string } {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return zone && isTimeZone(zone) ? { timeZone: zone } : {};
}

function InvalidLink() {
  return (
    <Alert color="yellow" title="This setup link is not valid" role="alert">
      <Stack gap="xs">
        <Text size="sm">
          The link is wrong, has expired, or setup has already been completed. Setup links are single-use and
          expire after a short time.
        </Text>
        <Text size="sm">
          To get a new link, restart the Satchel server: a fresh setup link is printed in the server log. Or
          run <Code>npm run satchel -- setup</Code> on the server.
        </Text>
        <Text size="sm">
          If setup is already done,{' '}
          <Anchor component={Link} to="/sign-in">
            sign in
          </Anchor>{' '}
          instead.
        </Text>
      </Stack>
    </Alert>
  );
}

function SetupForm({ token, expiresAt }: { token: string; expiresAt: string | null }) {
  const navigate = useNavigate();
  const setup = useCompleteSetup();
  const form = useForm({
    initialValues: {
      districtName: '',
      adminName: '',
      adminEmail: '',
      adminPassword: '',
      confirmPassword: '',
    },
    validate: {
      districtName: isNotEmpty('Enter the district name'),
      adminName: isNotEmpty('Enter your name'),
      adminEmail: isEmail('Enter a valid email address'),
      adminPassword: hasLength({ min: MIN_PASSWORD }, `Passwords need at least ${MIN_PASSWORD} characters`),
      confirmPassword: matchesField('adminPassword', 'The passwords do not match'),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    setup.mutate(
      {
        token,
        districtName: values.districtName.trim(),
        adminName: values.adminName.trim(),
        adminEmail: values.adminEmail.trim(),
        adminPassword: values.adminPassword,
        // Exports write times in the district's zone; this browser's is the best first guess.
        ...browserTimeZone(),
      },
      {
        onSuccess: () => navigate('/', { replace: true }),
        onError: (error) => form.setErrors(fieldErrorsFor(error, FIELDS)),
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack>
        {expiresAt && (
          <Text size="sm" c="dimmed">
            This setup link expires {formatDateTime(expiresAt)}.
          </Text>
        )}
        <FormError error={setup.error} fields={FIELDS} />
        <TextInput label="District name" required autoFocus {...form.getInputProps('districtName')} />
        <TextInput label="Your name" autoComplete="name" required {...form.getInputProps('adminName')} />
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          required
          {...form.getInputProps('adminEmail')}
        />
        <PasswordInput
          label="Password"
          description={`At least ${MIN_PASSWORD} characters. A long passphrase is best.`}
          autoComplete="new-password"
          required
          {...form.getInputProps('adminPassword')}
        />
        <PasswordInput
          label="Confirm password"
          autoComplete="new-password"
          required
          {...form.getInputProps('confirmPassword')}
        />
        <Button type="submit" loading={setup.isPending} fullWidth>
          Create district
        </Button>
      </Stack>
    </form>
  );
}

/** First run: `/setup?token=…` from the link printed in the server log. */
export function SetupPage() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token');
  const status = useSetupStatus(token);

  let content: ReactNode;
  if (!token) {
    content = <InvalidLink />;
  } else if (status.isPending) {
    content = (
      <Stack align="center">
        <Loader aria-label="Checking the setup link" />
      </Stack>
    );
  } else if (status.isError) {
    content = (
      <Stack>
        <Alert color="red" title="Could not check the setup link" role="alert">
          {describeError(status.error)}
        </Alert>
        <Button variant="light" onClick={() => status.refetch()} loading={status.isFetching}>
          Try again
        </Button>
      </Stack>
    );
  } else if (!status.data.valid) {
    content = <InvalidLink />;
  } else {
    content = <SetupForm token={token} expiresAt={status.data.expiresAt} />;
  }

  return (
    <CenteredCard
      title="Set up Satchel"
      subtitle="Create your district and the first administrator account."
      width={520}
    >
      {content}
    </CenteredCard>
  );
}
