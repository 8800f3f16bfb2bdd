import { Group, Pagination, Select, Text } from '@mantine/core';
import { formatCount } from '../lib/format.ts';

export const PAGE_SIZES = [25, 50, 100, 200] as const;

interface TablePagerProps {
  page: number;
  pageSize: number;
  total: number;
  /** Plural noun for the count, e.g. "devices". */
  noun: string;
  onPageChange: (page: number) => void;
  onPageSizeChange: (pageSize: number) => void;
}

export function TablePager({ page, pageSize, total, noun, onPageChange, onPageSizeChange }: TablePagerProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <Group justify="space-between" gap="sm">
      <Text size="sm" c="dimmed" aria-live="polite">
        {total === 0
          ? `No ${noun}`
          : `${formatCount(first)}–${formatCount(last)} of ${formatCount(total)} ${noun}`}
      </Text>
      <Group gap="md">
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" c="dimmed" component="label" htmlFor="page-size">
            Rows per page
          </Text>
          <Select
            id="page-size"
            size="xs"
            w={80}
            data={PAGE_SIZES.map(String)}
            value={String(pageSize)}
            onChange={(value) => value && onPageSizeChange(Number(value))}
            allowDeselect={false}
          />
        </Group>
        {pages > 1 && (
          <Pagination
            size="sm"
            total={pages}
            value={Math.min(page, pages)}
            onChange={onPageChange}
            getControlProps={(control) => ({ 'aria-label': `${control} page` })}
            getItemProps={(item) => ({ 'aria-label': `Page ${item}` })}
          />
        )}
      </Group>
    </Group>
  );
}
