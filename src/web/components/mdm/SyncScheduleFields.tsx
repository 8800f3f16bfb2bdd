import { MultiSelect, Select } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { STATUS_OPTIONS } from '../../lib/inventory.ts';
import { intervalOptions } from '../../lib/mdm.ts';

/** The settings every provider's form shows: how often to sync, and which inventory devices to ask about. */
export function SyncScheduleFields({
  interval,
  statuses,
  brand,
}: {
  /** The form's `intervalMinutes` field (minutes as text). */
  interval: GetInputPropsReturnType;
  /** The form's `syncedStatuses` field. */
  statuses: GetInputPropsReturnType;
  /** The provider's name in "Satchel asks Google only about…". */
  brand: string;
}) {
  return (
    <>
      <Select
        label="Sync interval"
        data={intervalOptions(Number(interval.value))}
        allowDeselect={false}
        {...interval}
      />
      <MultiSelect
        label="Inventory statuses to sync"
        description={`Satchel asks ${brand} only about devices with these statuses.`}
        data={STATUS_OPTIONS}
        required
        withAsterisk={false}
        {...statuses}
      />
    </>
  );
}
