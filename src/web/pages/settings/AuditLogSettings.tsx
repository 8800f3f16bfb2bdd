import { Alert, Button, Group, List, Loader, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AuditEvent } from '../../../common/audit.ts';
import { useAuditEvents } from '../../api/audit.ts';
import { useMdmProviders } from '../../api/mdm.ts';
import { useUsers } from '../../api/users.ts';
import { DocumentTitle } from '../../components/DocumentTitle.tsx';
import { type AuditNames, auditChanges, auditSentence } from '../../lib/auditWords.ts';
import { describeError, notifyError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';

/** What changed, as "Status: In service → Lost" lines. */
function ChangeList({ event }: { event: AuditEvent }) {
  const changes = auditChanges(event);
  if (changes.length === 0) return null;
  return (
    <List size="xs" mt={2} listStyleType="none" withPadding={false}>
      {changes.map((change) => (
        <List.Item key={change.field}>
          <Text span size="xs" fw={600}>
            {change.field}:
          </Text>{' '}
          <Text span size="xs" c="dimmed" td="line-through">
            {change.from}
          </Text>{' '}
          <Text span size="xs" aria-label="changed to">
            →
          </Text>{' '}
          <Text span size="xs">
            {change.to}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

export function AuditLogSettings() {
  const audit = useAuditEvents();
  const users = useUsers();
  const providers = useMdmProviders();
  const userNames = new Map((users.data?.users ?? []).map((user) => [user.id, user.name]));
  const providerNames = new Map(
    (providers.data?.providers ?? []).map((tile) => [tile.key as string, tile.name]),
  );
  const names: AuditNames = {
    actor: (event) => (event.actor.id ? userNames.get(event.actor.id) : undefined) ?? event.actor.label,
    provider: (key) => providerNames.get(key) ?? key,
  };

  const loadMore = () => {
    audit.fetchNextPage().then((result) => {
      if (result.isError) notifyError(result.error, 'Could not load more events');
    });
  };

  let body: ReactNode;
  if (audit.isPending) {
    body = <Loader aria-label="Loading the audit log" />;
  } else if (audit.isError) {
    body = (
      <Alert color="red" title="Could not load the audit log" role="alert">
        {describeError(audit.error)}
      </Alert>
    );
  } else {
    const events = audit.data.pages.flatMap((page) => page.events);
    body =
      events.length === 0 ? (
        <Text c="dimmed">No events yet.</Text>
      ) : (
        <Stack>
          <Table striped verticalSpacing="xs" aria-label="Audit log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={190}>When</Table.Th>
                <Table.Th>What happened</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((event) => (
                <Table.Tr key={event.id}>
                  <Table.Td style={{ verticalAlign: 'top' }}>
                    <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" title={event.action} style={{ wordBreak: 'break-word' }}>
                      {auditSentence(event, names)}
                    </Text>
                    <ChangeList event={event} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {audit.hasNextPage ? (
            <Group justify="center">
              <Button variant="default" onClick={loadMore} loading={audit.isFetchingNextPage}>
                Load more
              </Button>
            </Group>
          ) : (
            <Text c="dimmed" size="sm" ta="center">
              That's the beginning of the log.
            </Text>
          )}
        </Stack>
      );
  }

  return (
    <Stack gap="md">
      <DocumentTitle title="Audit log" />
      <Group justify="space-between" align="flex-end">
        <Stack gap={4}>
          <Title order={2} size="h3">
            Audit log
          </Title>
          <Text c="dimmed" size="sm">
            Sign-ins and changes to users, tokens, settings and the inventory, newest first, in your local
            time.
          </Text>
        </Stack>
        <Button variant="default" onClick={() => audit.refetch()} loading={audit.isRefetching}>
          Refresh
        </Button>
      </Group>
      {body}
    </Stack>
  );
}
