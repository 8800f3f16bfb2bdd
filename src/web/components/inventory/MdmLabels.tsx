import { Badge, Text, VisuallyHidden } from '@mantine/core';
import type { MdmSourceCondition } from '../../../common/mdm-source.ts';
import { SOURCE_CONDITION_LABELS } from '../../../common/mdm-source.ts';
import { autoUpdateState } from '../../../common/school-year.ts';
import { formatDateTime, formatDay } from '../../lib/format.ts';

const SHORT_CONDITION: Record<Exclude<MdmSourceCondition, 'current'>, string> = {
  failing: 'sync failing',
  disconnected: 'disconnected',
  inactive: 'inactive',
};

/** "Data kept from Google (provider inactive), as of …": what a kept-data mark says in full. */
function keptDataText(source: string, condition: MdmSourceCondition, fetchedAt: string): string | null {
  if (condition === 'current') return null;
  return `Data kept from ${source} (${SOURCE_CONDITION_LABELS[condition]}), as of ${formatDateTime(fetchedAt)}`;
}

/**
 * Marks data kept from a provider that no longer syncs (inactive, disconnected, failing), with its "as of" time;
 * nothing while the provider syncs.
 */
export function KeptDataMark({
  source,
  condition,
  fetchedAt,
  withTime = false,
}: {
  source: string;
  condition: MdmSourceCondition;
  fetchedAt: string;
  /** Shows the time in the text, not only on hover. */
  withTime?: boolean;
}) {
  const full = keptDataText(source, condition, fetchedAt);
  if (condition === 'current' || !full) return null;
  return (
    <Text span size="xs" c="orange" title={full} data-kept={condition}>
      {' '}
      (
      {withTime
        ? `${source} ${SHORT_CONDITION[condition]}, as of ${formatDateTime(fetchedAt)}`
        : SHORT_CONDITION[condition]}
      )<VisuallyHidden>{full}</VisuallyHidden>
    </Text>
  );
}

/** An auto-update expiration: "Expired" in red once passed, the day marked when it comes this school year. */
export function AueText({ value, now = new Date() }: { value: string | null; now?: Date }) {
  if (!value) return <>—</>;
  const state = autoUpdateState(value, now);
  if (state === 'expired')
    return (
      <Badge
        color="red"
        variant="light"
        title={`Auto-update expired on ${formatDay(value)}`}
        styles={{ label: { overflow: 'visible' } }}
      >
        Expired
      </Badge>
    );
  return (
    <>
      {formatDay(value)}
      {state === 'this_school_year' && (
        <Text span size="xs" c="orange" fw={600}>
          {' '}
          (expires this school year)
        </Text>
      )}
    </>
  );
}
