import { Alert, Anchor, Badge, Card, DataList, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { CONFLICT_LABELS } from '../../../common/conflicts.ts';
import type { DeviceDetail } from '../../../common/inventory.ts';
import { DeviceMdmRecord } from '../../../common/mdm.ts';
import type { MdmSourceCondition } from '../../../common/mdm-source.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { safeHref } from '../../lib/mdm.ts';
import { mdmWarnings } from '../../lib/mdmWarnings.ts';
import { PROVIDER_UI } from '../../providers/index.ts';
import type { DeviceFact } from '../../providers/types.ts';

export interface MdmPanelProps {
  device: DeviceDetail;
}

/** The provider records the server attached to the device; anything not shaped like one is left out. */
export function mdmRecordsOf(device: DeviceDetail): DeviceMdmRecord[] {
  return Object.values(device.mdm ?? {})
    .flatMap((raw) => {
      const parsed = DeviceMdmRecord.safeParse(raw);
      return parsed.success ? [parsed.data] : [];
    })
    .sort((a, b) => a.providerName.localeCompare(b.providerName));
}

const TONE_COLORS = { danger: 'red', warning: 'orange' } as const;

const CONDITION_BADGES: Record<Exclude<MdmSourceCondition, 'current'>, string> = {
  inactive: 'Provider inactive',
  disconnected: 'Provider disconnected',
  failing: 'Sync failing',
};

const CONDITION_NOTES: Record<Exclude<MdmSourceCondition, 'current'>, string> = {
  inactive: 'is no longer active',
  disconnected: 'lost its authorization',
  failing: 'failed its last sync',
};

/** Where the provider's record and the inventory disagree, side by side. */
function ConflictsAlert({ record }: { record: DeviceMdmRecord }) {
  if (record.conflicts.length === 0) return null;
  const brand = PROVIDER_UI[record.provider].label;
  return (
    <Alert color="red" title="Disagrees with the inventory" role="note" p="sm">
      <Stack gap={2} component="ul" m={0} pl="md">
        {record.conflicts.map((conflict) => (
          <Text component="li" size="sm" key={conflict.kind}>
            {CONFLICT_LABELS[conflict.kind]}: Satchel has “{conflict.inventory}”, {brand} has “{conflict.mdm}”
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}

function FactList({ facts }: { facts: DeviceFact[] }) {
  return (
    <DataList labelWidth={170} gap="xs">
      {facts.map((fact) => (
        <DataList.Item key={fact.label}>
          <DataList.ItemLabel>{fact.label}</DataList.ItemLabel>
          <DataList.ItemValue>
            <Text
              size="sm"
              style={{ wordBreak: 'break-word' }}
              c={fact.tone ? TONE_COLORS[fact.tone] : undefined}
              fw={fact.tone ? 700 : undefined}
              data-tone={fact.tone}
            >
              {fact.value ?? '—'}
            </Text>
            {fact.value && fact.detail && (
              <Text size="xs" c="dimmed" style={{ wordBreak: 'break-word' }}>
                {fact.detail}
              </Text>
            )}
          </DataList.ItemValue>
        </DataList.Item>
      ))}
    </DataList>
  );
}

function hasData(record: DeviceMdmRecord): boolean {
  return Object.values(record.fields).some((value) =>
    Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined,
  );
}

/** One provider's data about the device, always labelled with where it came from and when it was true. */
function ProviderRecordCard({ record, device }: { record: DeviceMdmRecord; device: DeviceDetail }) {
  const titleId = useId();
  const ui = PROVIDER_UI[record.provider];
  // The provider's short name, as in "Not found in …".
  const brand = ui.label;
  const facts = ui.deviceFacts(record);
  const half = Math.ceil(facts.length / 2);
  const warnings = mdmWarnings(record, device, ui);
  const consoleHref = record.consoleUrl ? safeHref(record.consoleUrl) : undefined;
  const found = record.matchState === 'matched';

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={titleId}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={2}>
            <Group gap="sm" align="center">
              <Title order={2} size="h4" id={titleId}>
                {record.providerName}
              </Title>
              {record.condition !== 'current' && (
                <Badge color={record.condition === 'inactive' ? 'gray' : 'orange'} variant="light">
                  {CONDITION_BADGES[record.condition]}
                </Badge>
              )}
              {!found && (
                <Badge color="orange" variant="light">
                  Not found in {brand}
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              as of {formatRelative(record.fetchedAt)} ({formatDateTime(record.fetchedAt)})
            </Text>
          </Stack>
          {consoleHref && found && (
            <Anchor href={consoleHref} target="_blank" rel="noopener noreferrer" size="sm">
              {ui.consoleLabel}
            </Anchor>
          )}
        </Group>

        {record.condition !== 'current' && (
          <Text size="sm" c="dimmed">
            {record.providerName} {CONDITION_NOTES[record.condition]}, so this data is kept from its last sync
            ({formatDateTime(record.fetchedAt)}) and is not kept up to date.
            {record.condition === 'inactive' &&
              ' An administrator can remove it in System Settings › MDM Settings.'}
          </Text>
        )}

        <ConflictsAlert record={record} />

        {!found && (
          <Alert color="orange" title={`Not found in ${record.providerName}`} role="note">
            The sync {formatRelative(record.fetchedAt)} asked {brand} about this serial number and got no
            device back. It may not be enrolled, be in an org unit Satchel does not sync, or be recorded under
            another serial number.
            {hasData(record) && ' The details below are from an earlier sync.'}
          </Alert>
        )}

        {warnings.length > 0 && (
          <Stack gap="xs" role="list" aria-label={`Warnings from ${record.providerName}`}>
            {warnings.map((warning) => (
              <Alert key={warning.key} color={warning.color} title={warning.title} role="listitem" p="sm">
                {warning.message}
              </Alert>
            ))}
          </Stack>
        )}

        {(found || hasData(record)) && (
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" verticalSpacing="xs">
            <FactList facts={facts.slice(0, half)} />
            <FactList facts={facts.slice(half)} />
          </SimpleGrid>
        )}
      </Stack>
    </Card>
  );
}

/**
 * What the district's MDMs know about a device: one card per provider with data for it, or a note that there
 * is none yet.
 */
export function DeviceMdmPanels({ device }: MdmPanelProps) {
  const records = mdmRecordsOf(device);
  if (records.length === 0) {
    return (
      <Card withBorder padding="lg" component="section" aria-labelledby="mdm-data-title">
        <Stack gap="sm">
          <Title order={2} size="h4" id="mdm-data-title">
            MDM data
          </Title>
          <Text c="dimmed" size="sm">
            No MDM has data about this device yet. Data from your district's MDM appears here once an
            administrator enables a provider in System Settings and it has synced.
          </Text>
        </Stack>
      </Card>
    );
  }
  return (
    <>
      {records.map((record) => (
        <ProviderRecordCard key={record.provider} record={record} device={device} />
      ))}
    </>
  );
}
