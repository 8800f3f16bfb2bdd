import { Alert, Anchor, Button, Loader, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import type { InvitationDetails } from '../../common/account-mail.ts';
import { useAcceptInvitation, useInvitationDetails } from '../api/account-mail.ts';
import { CenteredCard } from '../components/CenteredCard.tsx';
import { FormError } from '../components/FormError.tsx';
import { NewPasswordFields, newPasswordRules } from '../components/NewPasswordFields.tsx';
import { describeError, fieldErrorsFor } from '../lib/errors.ts';
import { SingleSignOnButtons } from '../sign-in/SingleSignOnButtons.tsx';

function AcceptForm({ token, invitation }: { token: string; invitation: InvitationDetails }) {
  const navigate = useNavigate();
  const accept = useAcceptInvitation();
  const form = useForm({ initialValues: { password: '', confirmPassword: '' }, validate: newPasswordRules });
  const handleSubmit = form.onSubmit((values) => {
    accept.mutate(
      { token, password: values.password },
      {
        onSuccess: () => navigate('/', { replace: true }),
        onError: (error) => form.setErrors(fieldErrorsFor(error, ['password'])),
      },
    );
  });
  const sso = invitation.signInProviders;
  return (
    <Stack>
      <Text size="sm">
        Welcome, {invitation.name}. You were invited to {invitation.districtName} as {invitation.email}.
      </Text>
      {sso.length > 0 && (
        <SingleSignOnButtons
          providers={sso}
          email={invitation.email}
          label="Continue with your district account"
        />
      )}
      {invitation.passwordAllowed && (
        <form onSubmit={handleSubmit} noValidate>
          <Stack>
            {sso.length > 0 && (
              <Text size="sm" c="dimmed">
                Or choose a password for Satchel:
              </Text>
            )}
            <FormError error={accept.error} fields={['password']} />
            <NewPasswordFields form={form} />
            <Button type="submit" loading={accept.isPending} fullWidth>
              Set password and sign in
            </Button>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

/** `/invitation#<secret>`: the link in an invitation mail (the secret stays in the fragment, out of logs). */
export function InvitationPage() {
  const token = useLocation().hash.slice(1);
  const details = useInvitationDetails(token);
  let content: ReactNode;
  if (token === '' || details.isError) {
    content = (
      <Alert color="yellow" title="This invitation cannot be used" role="alert">
        <Stack gap="xs">
          <Text size="sm">
            {details.error
              ? describeError(details.error)
              : 'The link is incomplete. Open it from the invitation mail again.'}
          </Text>
          <Text size="sm">
            Already set up?{' '}
            <Anchor component={Link} to="/sign-in">
              Sign in
            </Anchor>
          </Text>
        </Stack>
      </Alert>
    );
  } else if (details.isPending) {
    content = (
      <Stack align="center">
        <Loader aria-label="Checking the invitation" />
      </Stack>
    );
  } else {
    content = <AcceptForm token={token} invitation={details.data} />;
  }
  return (
    <CenteredCard title="Accept your invitation" subtitle="Device inventory for your district">
      {content}
    </CenteredCard>
  );
}
