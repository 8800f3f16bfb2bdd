import { Button, Stack } from '@mantine/core';

const LABELS = { google: 'Sign in with Google', microsoft: 'Sign in with Microsoft' } as const;

/**
 * One button per single sign-on the district offers. Each is a plain link: the server sends the browser on
 * to Google or Microsoft and back.
 */
export function SingleSignOnButtons({
  providers,
  email,
  label,
}: {
  providers: readonly ('google' | 'microsoft')[];
  email: string;
  label?: string;
}) {
  return (
    <Stack gap="xs" role="group" aria-label={label ?? 'Single sign-on'}>
      {providers.map((provider) => (
        <Button
          key={provider}
          component="a"
          href={`/api/v1/sign-in/${provider}/start${email ? `?email=${encodeURIComponent(email)}` : ''}`}
          variant="default"
          fullWidth
        >
          {LABELS[provider]}
        </Button>
      ))}
    </Stack>
  );
}
