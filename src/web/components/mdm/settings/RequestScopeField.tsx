import { Radio, Stack, Text } from '@mantine/core';
import type { ProviderTile, RequestScope, RequestScopeEstimates } from '../../../../common/mdm.ts';
import { useScopeEstimates } from '../../../api/mdm.ts';
import { formatCount, plural } from '../../../lib/format.ts';

const SCOPES: Record<RequestScope, { label: string; description: string }> = {
  tracked_only: {
    label: 'Only devices in Satchel',
    description:
      'Satchel asks only about devices already in your inventory, by serial number, and never lists the whole fleet: no data about other devices ever passes through Satchel.',
  },
  fewest_calls: {
    label: 'Fewest API calls',
    description:
      'Satchel may list the whole fleet when that takes fewer calls. Devices outside your inventory are counted and dropped, never stored, but their data (student emails included) passes through Satchel.',
  },
};

/** "About 100 API calls per full sync, 3 per scheduled sync" for one scope. */
function costText(estimates: RequestScopeEstimates, scope: RequestScope): string {
  const { fullSync, scheduledSync } = estimates.scopes[scope];
  const full = `about ${plural(fullSync, 'API call')} per full sync`;
  return scheduledSync === fullSync
    ? `For ${formatCount(estimates.trackedCount)} tracked devices: ${full}, every sync.`
    : `For ${formatCount(estimates.trackedCount)} tracked devices: ${full}, about ${formatCount(scheduledSync)} per scheduled sync in between.`;
}

/**
 * Which requests a run may send, with the planner's estimate of what each choice costs this district, so an
 * administrator sees the trade-off before choosing.
 */
export function RequestScopeField({
  tile,
  inputProps,
}: {
  tile: ProviderTile;
  inputProps: { value: RequestScope; onChange: (value: string) => void; error?: unknown };
}) {
  const estimates = useScopeEstimates(tile.key);
  const data = estimates.data;
  return (
    <Radio.Group
      label="Which devices Satchel asks about"
      required
      withAsterisk={false}
      value={inputProps.value}
      onChange={inputProps.onChange}
      error={inputProps.error as string | undefined}
    >
      <Stack gap="sm" mt="xs">
        {(Object.keys(SCOPES) as RequestScope[]).map((scope) => (
          <Radio
            key={scope}
            value={scope}
            label={SCOPES[scope].label}
            description={
              <Stack gap={2} component="span">
                <span>{SCOPES[scope].description}</span>
                {data && <span>{costText(data, scope)}</span>}
                {data && scope === 'tracked_only' && <span>{data.lookupNote}</span>}
                {data && scope === 'fewest_calls' && data.fleetSize === null && (
                  <span>
                    {tile.name} has not been counted yet: the estimate assumes lookups until the first sync
                    counts its devices.
                  </span>
                )}
              </Stack>
            }
          />
        ))}
      </Stack>
      {estimates.isError && (
        <Text size="xs" c="dimmed" mt="xs">
          The estimates could not be loaded.
        </Text>
      )}
    </Radio.Group>
  );
}
