import { Checkbox, Group, MultiSelect, Select, Stack, Text, TextInput } from '@mantine/core';
import { CONFLICT_KINDS, CONFLICT_LABELS } from '../../../common/conflicts.ts';
import {
  MDM_CONFLICT_FILTERS,
  type MdmConflictFilter,
  type MdmMatchFilter,
} from '../../../common/inventory.ts';
import type { ProviderKey } from '../../../common/mdm.ts';
import { type MdmSourceCondition, SOURCE_CONDITION_LABELS } from '../../../common/mdm-source.ts';
import {
  asDay,
  asGrade,
  type DeviceMdmFilter,
  GRADE_OPTIONS,
  matchOptions,
  mdmStatusLabel,
  providerOf,
} from '../../lib/deviceMdm.ts';
import { PROVIDER_UI, providerLabel } from '../../providers/index.ts';

interface DeviceMdmFiltersProps {
  filter: DeviceMdmFilter;
  /** Providers with data in the district. */
  providers: readonly ProviderKey[];
  /** How current each provider's data is. */
  conditions: Partial<Record<ProviderKey, MdmSourceCondition>>;
  onChange: (changes: DeviceMdmFilter) => void;
}

type DayFilter = 'aueBefore' | 'aueAfter' | 'notSeenSince';
type FlagFilter = 'userMismatch' | 'mdmDuplicates' | 'aueBeforeGraduation';

/** Filters on the provider's data and the holder's grade; every value lives in the address like the others. */
const CONFLICT_OPTIONS: { value: MdmConflictFilter | 'none'; label: string }[] = [
  { value: 'none', label: 'Any' },
  { value: 'any', label: 'Model, asset tag or user' },
  ...CONFLICT_KINDS.map((kind) => ({ value: kind, label: CONFLICT_LABELS[kind] })),
];

export function DeviceMdmFilters({ filter, providers, conditions, onChange }: DeviceMdmFiltersProps) {
  const provider = providerOf(filter, providers);
  const label = provider ? providerLabel(provider) : 'MDM';
  const suggestions = (provider ? [provider] : providers).flatMap(
    (key) => PROVIDER_UI[key].statusSuggestions,
  );
  const statusOptions = [...new Set([...suggestions, ...(filter.mdmStatus ?? [])])].map((status) => ({
    value: status,
    label: mdmStatusLabel(status),
  }));

  const day = (name: DayFilter, text: string) => (
    <TextInput
      label={text}
      type="date"
      value={filter[name] ?? ''}
      onChange={(event) => onChange({ [name]: asDay(event.currentTarget.value) })}
      w={205}
    />
  );
  const flag = (name: FlagFilter, text: string, description: string) => (
    <Checkbox
      label={text}
      title={description}
      checked={filter[name] === 'true'}
      onChange={(event) => onChange({ [name]: event.currentTarget.checked ? 'true' : undefined })}
    />
  );

  const kept = (provider ? [provider] : providers).flatMap((key) => {
    const condition = conditions[key];
    return condition && condition !== 'current'
      ? [`${providerLabel(key)} (${SOURCE_CONDITION_LABELS[condition]})`]
      : [];
  });

  return (
    <Stack gap="xs" role="group" aria-label={`${label} filters`}>
      {kept.length > 0 && (
        <Text size="sm" c="orange" data-testid="kept-data-note">
          These filters read data kept from the last sync of {kept.join(' and ')}: it is not being updated.
        </Text>
      )}
      <Group gap="sm" align="flex-start">
        {providers.length > 1 && (
          <Select
            label="MDM data from"
            data={[
              { value: 'recent', label: 'Most recent check-in' },
              ...providers.map((key) => ({ value: key, label: providerLabel(key) })),
            ]}
            value={filter.mdmProvider ?? 'recent'}
            onChange={(value) => onChange({ mdmProvider: providers.find((key) => key === value) })}
            allowDeselect={false}
            w={200}
          />
        )}
        {day('aueBefore', `AUE before (${label})`)}
        {day('aueAfter', `AUE on or after (${label})`)}
        {day('notSeenSince', `Not checked in since (${label})`)}
        <MultiSelect
          label={`Status in ${label}`}
          placeholder={filter.mdmStatus?.length ? undefined : 'Any'}
          data={statusOptions}
          value={filter.mdmStatus ?? []}
          onChange={(values) => onChange({ mdmStatus: values.length > 0 ? values : undefined })}
          clearable
          w={220}
        />
        <Select
          label={`In ${label}`}
          data={matchOptions(provider ? label : null)}
          value={filter.mdmMatch ?? 'any'}
          onChange={(value) =>
            onChange({ mdmMatch: value && value !== 'any' ? (value as MdmMatchFilter) : undefined })
          }
          allowDeselect={false}
          w={200}
        />
        <Select
          label="Disagrees with inventory"
          data={CONFLICT_OPTIONS}
          value={filter.mdmConflict ?? 'none'}
          onChange={(value) =>
            onChange({
              mdmConflict: MDM_CONFLICT_FILTERS.find((option) => option === value),
            })
          }
          allowDeselect={false}
          w={220}
        />
        <Select
          label="Grade"
          placeholder="Any grade"
          data={GRADE_OPTIONS}
          value={filter.grade === undefined ? null : String(filter.grade)}
          onChange={(value) => onChange({ grade: asGrade(value) })}
          clearable
          w={150}
        />
      </Group>
      <Group gap="lg">
        {flag(
          'userMismatch',
          'User mismatch',
          `${label}'s annotated or most recent user is not the person it is checked out to`,
        )}
        {flag('mdmDuplicates', 'Duplicate enrolments', `${label} has more than one record with this serial`)}
        {flag(
          'aueBeforeGraduation',
          'AUE before graduation',
          'Checked out to a student who graduates after the device stops receiving updates',
        )}
      </Group>
    </Stack>
  );
}
