import { Alert } from '@mantine/core';

const MESSAGES: Record<string, string> = {
  not_enabled: 'Your district has not turned on this way of signing in.',
  wrong_domain: 'That Google account is not one of your district’s domains. Choose your district account.',
  wrong_tenant: 'That Microsoft account belongs to another organization. Choose your district account.',
  no_account:
    'There is no Satchel account for that email in your district. Ask your administrator to invite you.',
  disabled: 'Your Satchel account has been disabled. Ask your district administrator.',
  email_unverified: 'Google has not verified that account’s email address.',
  token_audience: 'The sign-in answer was meant for another application, so it was refused.',
  token_expired: 'The sign-in answer had expired. Try again.',
  token_signature: 'The sign-in answer’s signature did not check out, so it was refused.',
  token_nonce: 'The sign-in answer did not belong to this sign-in (it may have been replayed). Try again.',
  token_invalid: 'The sign-in answer could not be verified. Try again.',
  cancelled: 'The sign-in was cancelled or took too long. Try again.',
};

/** Why single sign-on sent the person back to the sign-in page. */
export function SingleSignOnError({ reason }: { reason: string | null }) {
  if (!reason) return null;
  return (
    <Alert color="red" title="You were not signed in" role="alert">
      {MESSAGES[reason] ?? MESSAGES.token_invalid}
    </Alert>
  );
}
