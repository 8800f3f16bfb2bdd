import { Alert, Loader, Stack, Switch, Text, Title } from '@mantine/core';
import { useChangeMailNotifications, useMailNotifications } from '../api/account-mail.ts';
import { describeError, notifyError } from '../lib/errors.ts';

/** The mail an administrator may ask for about the district's MDM providers. */
export function MailNotificationsPanel() {
  const settings = useMailNotifications();
  const change = useChangeMailNotifications();
  if (settings.isPending) return <Loader aria-label="Loading notifications" />;
  if (settings.isError) {
    return (
      <Alert color="red" title="Could not load notifications" role="alert">
        {describeError(settings.error)}
      </Alert>
    );
  }
  const current = settings.data;
  const set = (changes: Partial<typeof current>) =>
    change.mutate(
      { reauthorization: current.reauthorization, syncFailures: current.syncFailures, ...changes },
      { onError: (error) => notifyError(error, 'Could not save notifications') },
    );
  return (
    <Stack>
      <Title order={2} size="h3">
        Email notifications
      </Title>
      {!current.mailEnabled && (
        <Alert color="yellow" title="Mail is off" role="status">
          This server has no mail server configured (SMTP_URL), so no notification can be sent yet.
        </Alert>
      )}
      <Text size="sm" c="dimmed">
        Mail me when:
      </Text>
      <Switch
        label="A provider needs to be authorized again"
        checked={current.reauthorization}
        onChange={(event) => set({ reauthorization: event.currentTarget.checked })}
      />
      <Switch
        label="A provider's sync fails three times in a row"
        checked={current.syncFailures}
        onChange={(event) => set({ syncFailures: event.currentTarget.checked })}
      />
    </Stack>
  );
}
