import { Group, Table, Text, UnstyledButton } from '@mantine/core';
import type { CSSProperties } from 'react';

interface SortableThProps<Column extends string> {
  label: string;
  column: Column;
  sort: Column;
  order: 'asc' | 'desc';
  onSort: (column: Column) => void;
  style?: CSSProperties;
  className?: string;
}

/** A column header that sorts the table by its column; clicking it again reverses the order. */
export function SortableTh<Column extends string>({
  label,
  column,
  sort,
  order,
  onSort,
  style,
  className,
}: SortableThProps<Column>) {
  const active = sort === column;
  const ariaSort = active ? (order === 'asc' ? 'ascending' : 'descending') : 'none';
  return (
    <Table.Th aria-sort={ariaSort} style={style} className={className}>
      <UnstyledButton onClick={() => onSort(column)} style={{ fontWeight: 'inherit', fontSize: 'inherit' }}>
        <Group gap={4} wrap="nowrap">
          <span>{label}</span>
          <Text component="span" size="xs" c={active ? 'blue.7' : 'gray.5'} aria-hidden>
            {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
          </Text>
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}
