import { Alert, Button, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { AuditEvent } from '../../../common/audit.ts';
import { useAuditEvents } from '../../api/audit.ts';
import { DocumentTitle } from '../../components/DocumentTitle.tsx';
import { describeError, notifyError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';

const ACTION_LABELS: Record<string, string> = {
  'auth.signed_in': 'Signed in',
  'auth.sign_in_failed': 'Sign-in failed',
  'auth.sign_in_blocked': 'Sign-in blocked',
  'district.created': 'District created',
  'user.created': 'User created',
  'user.updated': 'User updated',
  'user.password_changed': 'Password changed',
  'token.created': 'API token created',
  'token.revoked': 'API token revoked',
  'mdm.activated': 'MDM provider activated',
  'mdm.settings_changed': 'MDM settings changed',
  'mdm.authorization_started': 'MDM authorization started',
  'mdm.authorization_refused': 'MDM authorization refused',
  'mdm.authorized': 'MDM provider authorized',
  'mdm.deactivated': 'MDM provider deactivated',
  'mdm.disconnected': 'MDM provider disconnected',
  'mdm.data_removed': 'MDM synced data removed',
};

function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(formatValue).join(', ');
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    // `{ from, to }` is how changes are recorded.
    if (entries.length === 2 && 'from' in value && 'to' in value) {
      const { from, to } = value as { from: unknown; to: unknown };
      return `${formatValue(from)} → ${formatValue(to)}`;
    }
    return `{ ${entries.map(([key, inner]) => `${key}: ${formatValue(inner)}`).join(', ')} }`;
  }
  return String(value);
}

function formatDetails(details: AuditEvent['details']): string {
  const entries = Object.entries(details);
  if (entries.length === 0) return '—';
  return entries.map(([key, value]) => `${key}: ${formatValue(value)}`).join('; ');
}

function formatSubject(event: AuditEvent): ReactNode {
  if (!event.subjectType && !event.subjectId) return '—';
  return (
    <Text size="sm">
      {event.subjectType}
      {event.subjectId && (
        <>
          {' '}
          <Code title={event.subjectId}>{event.subjectId.slice(0, 8)}</Code>
        </>
      )}
    </Text>
  );
}

export function AuditLogSettings() {
  const audit = useAuditEvents();

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
          <Table.ScrollContainer minWidth={900}>
            <Table striped verticalSpacing="xs">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Time</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Subject</Table.Th>
                  <Table.Th>Details</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {events.map((event) => (
                  <Table.Tr key={event.id}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(event.createdAt)}</Table.Td>
                    <Table.Td>{event.actor.label}</Table.Td>
                    <Table.Td>
                      <Text size="sm" title={event.action}>
                        {ACTION_LABELS[event.action] ?? event.action}
                      </Text>
                    </Table.Td>
                    <Table.Td>{formatSubject(event)}</Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ wordBreak: 'break-word' }}>
                        {formatDetails(event.details)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
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
            Sign-ins and changes to users, tokens and settings, newest first.
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
