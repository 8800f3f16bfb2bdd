import { Anchor, Loader, Stack, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { CONFLICT_LABELS } from '../../../common/conflicts.ts';
import type { DeviceListItem } from '../../../common/inventory.ts';
import { usePersonDevices } from '../../api/devices.ts';
import { formatDateTime } from '../../lib/format.ts';
import { providerLabel } from '../../providers/index.ts';
import { LoadError } from '../LoadError.tsx';
import { AueText, KeptDataMark } from './MdmLabels.tsx';

function Flags({ device }: { device: DeviceListItem }) {
  const { mdm } = device;
  if (!mdm) return null;
  const others = mdm.conflicts.filter((kind) => kind !== 'user');
  return (
    <Stack gap={4} align="flex-start">
      {mdm.conflicts.includes('user') && (
        <Text size="sm" c="red" fw={700} title={`${providerLabel(mdm.provider)} user: ${mdm.primaryUser}`}>
          Used by someone else
        </Text>
      )}
      {others.length > 0 && (
        <Text size="xs" c="red">
          Disagrees on {others.map((kind) => CONFLICT_LABELS[kind].toLowerCase()).join(', ')}
        </Text>
      )}
    </Stack>
  );
}

/** What the district's MDMs say about the devices checked out to a person, flagging one someone else uses. */
export function PersonMdmDevices({ personId }: { personId: string }) {
  const devices = usePersonDevices(personId);
  if (devices.isPending) return <Loader size="sm" aria-label="Loading MDM data" />;
  if (devices.isError)
    return (
      <LoadError
        title="Could not load MDM data"
        error={devices.error}
        onRetry={() => devices.refetch()}
        retrying={devices.isFetching}
      />
    );
  const rows = devices.data.devices;
  if (rows.every((device) => device.mdm === null))
    return <Text c="dimmed">No MDM has data about the devices checked out to this person.</Text>;
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table aria-label="MDM data of checked-out devices">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Device</Table.Th>
            <Table.Th>MDM</Table.Th>
            <Table.Th>MDM user</Table.Th>
            <Table.Th>Last check-in</Table.Th>
            <Table.Th>Auto-update expiration</Table.Th>
            <Table.Th>Flags</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((device) => {
            const { mdm } = device;
            const found = mdm?.matchState === 'matched';
            return (
              <Table.Tr key={device.id}>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Anchor component={Link} to={`/devices/${device.id}`} size="sm" fw={600}>
                    {device.serialNumber}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {mdm ? (
                    <Text span size="sm">
                      {providerLabel(mdm.provider)}
                      {!found && ' (not found)'}
                      <KeptDataMark
                        source={providerLabel(mdm.provider)}
                        condition={mdm.condition}
                        fetchedAt={mdm.fetchedAt}
                        withTime
                      />
                    </Text>
                  ) : (
                    <Text span size="sm" c="dimmed">
                      No MDM data
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{found ? (mdm?.primaryUser ?? '—') : '—'}</Table.Td>
                <Table.Td>{found ? formatDateTime(mdm?.lastCheckInAt) : '—'}</Table.Td>
                <Table.Td>{found ? <AueText value={mdm?.autoUpdateExpiration ?? null} /> : '—'}</Table.Td>
                <Table.Td>
                  <Flags device={device} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
