import { Badge, Group } from '@mantine/core';
import { formatDay } from '../../lib/format.ts';

/** The warranty's last day, marked "Ended" in red once it has passed. */
export function WarrantyEnd({ day, today = new Date() }: { day: string | null; today?: Date }) {
  if (!day) return <>—</>;
  const ended = day < today.toISOString().slice(0, 10);
  return (
    <Group gap="xs" component="span">
      {formatDay(day)}
      {ended && (
        <Badge
          color="red"
          variant="light"
          title="The warranty has ended"
          styles={{ label: { overflow: 'visible' } }}
        >
          Warranty ended
        </Badge>
      )}
    </Group>
  );
}
