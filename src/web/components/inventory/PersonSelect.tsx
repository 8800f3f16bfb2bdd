import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import type { Person } from '../../../common/inventory.ts';
import { usePeople } from '../../api/people.ts';
import { KIND_LABELS, personSecondary } from '../../lib/inventory.ts';

interface PersonSelectProps
  extends Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange' | 'filter'> {
  value: Person | null;
  onChange: (person: Person | null) => void;
}

function labelOf(person: Person): string {
  const secondary = personSecondary(person);
  return secondary ? `${person.name} (${secondary})` : `${person.name} (${KIND_LABELS[person.kind]})`;
}

/** Picks an active person, searching the server as the user types (name, email or external id). */
export function PersonSelect({ value, onChange, ...props }: PersonSelectProps) {
  const [search, setSearch] = useState('');
  // While a person is chosen, the box shows their label: that is not a new search.
  const term = value && search === labelOf(value) ? '' : search.trim();
  const [debounced] = useDebouncedValue(term, 250);
  const people = usePeople({ q: debounced || undefined, active: 'true', pageSize: 20 });

  const found = people.data?.people ?? [];
  const options = value && !found.some((person) => person.id === value.id) ? [value, ...found] : found;

  return (
    <Select
      {...props}
      searchable
      data={options.map((person) => ({ value: person.id, label: labelOf(person) }))}
      value={value?.id ?? null}
      onChange={(id) => onChange(options.find((person) => person.id === id) ?? null)}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already filtered by name, email and external id.
      filter={({ options: all }) => all}
      nothingFoundMessage={people.isFetching ? 'Searching…' : 'No active person matches'}
      maxDropdownHeight={280}
    />
  );
}
