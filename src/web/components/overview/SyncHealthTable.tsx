import { Anchor, Badge, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { SyncHealth } from '../../../common/overview.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';

const STATE_LABELS: Record<SyncHealth['state'], string> = {
  active: 'Active',
  error: 'Last sync failed',
  needs_authorization: 'Not authorized',
  needs_reauthorization: 'Needs to be authorized again',
  inactive: 'Inactive',
};

function healthBadge(health: SyncHealth) {
  if (health.failing) return { label: 'Failing', color: 'red' };
  if (health.state === 'inactive') return { label: 'Inactive', color: 'gray' };
  if (health.state === 'needs_authorization') return { label: 'Not authorized', color: 'gray' };
  if (health.syncing) return { label: 'Syncing', color: 'blue' };
  return { label: 'Healthy', color: 'green' };
}

/** Each provider's last and next sync; a link to MDM Settings only for those who may change them. */
export function SyncHealthTable({ health, canManage }: { health: SyncHealth[]; canManage: boolean }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label="Sync health">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Provider</Table.Th>
            <Table.Th>Health</Table.Th>
            <Table.Th>Last sync</Table.Th>
            <Table.Th>Next sync</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {health.map((entry) => {
            const badge = healthBadge(entry);
            const reason = entry.lastRun?.state === 'failed' ? entry.lastRun.error : entry.statusReason;
            return (
              <Table.Tr key={entry.provider.key}>
                <Table.Td>
                  {canManage ? (
                    <Anchor component={Link} to="/settings/mdm" size="sm">
                      {entry.provider.name}
                    </Anchor>
                  ) : (
                    entry.provider.name
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge color={badge.color} variant="light">
                    {badge.label}
                  </Badge>
                  {STATE_LABELS[entry.state] !== badge.label && (
                    <Text size="xs" c="dimmed">
                      {STATE_LABELS[entry.state]}
                      {reason && entry.failing ? `: ${reason}` : ''}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {entry.lastRun ? (
                    <Text size="sm" title={formatDateTime(entry.lastRun.at)}>
                      {entry.lastRun.state === 'succeeded' ? 'Succeeded' : 'Failed'}{' '}
                      {formatRelative(entry.lastRun.at)}
                    </Text>
                  ) : (
                    <Text size="sm" c="dimmed">
                      Never
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={entry.nextSyncAt ? undefined : 'dimmed'}>
                    {entry.nextSyncAt ? formatDateTime(entry.nextSyncAt) : 'Not scheduled'}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
