import { Button, Checkbox, Popover, ScrollArea, Stack, Text } from '@mantine/core';

interface ColumnChooserProps<Id extends string> {
  columns: readonly { id: Id; label: string }[];
  visible: readonly Id[];
  onChange: (visible: Id[]) => void;
  onReset: () => void;
}

/** Show or hide a table's optional columns. */
export function ColumnChooser<Id extends string>({
  columns,
  visible,
  onChange,
  onReset,
}: ColumnChooserProps<Id>) {
  const toggle = (id: Id, shown: boolean) => {
    const next = new Set(visible);
    if (shown) next.add(id);
    else next.delete(id);
    // Keep the table's own column order, whatever order they were ticked in.
    onChange(columns.map((column) => column.id).filter((columnId) => next.has(columnId)));
  };
  return (
    <Popover position="bottom-end" width={280} shadow="md" withinPortal>
      <Popover.Target>
        <Button variant="default">Columns</Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap="xs" role="group" aria-label="Columns to show">
          <Text size="sm" fw={600}>
            Show columns
          </Text>
          {/* With a provider's columns the list outgrows a laptop screen; it scrolls, the reset stays in reach. */}
          <ScrollArea.Autosize mah="min(60vh, 480px)" type="auto" offsetScrollbars>
            <Stack gap="xs">
              {columns.map((column) => (
                <Checkbox
                  key={column.id}
                  label={column.label}
                  checked={visible.includes(column.id)}
                  onChange={(event) => toggle(column.id, event.currentTarget.checked)}
                />
              ))}
            </Stack>
          </ScrollArea.Autosize>
          <Button variant="subtle" size="xs" onClick={onReset}>
            Reset to default
          </Button>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
