import { Badge, type BadgeProps } from '@mantine/core';
import type { DeviceStatus } from '../../../common/inventory.ts';
import { STATUS_COLORS, STATUS_LABELS } from '../../lib/inventory.ts';

export function StatusBadge({ status, size = 'sm' }: { status: DeviceStatus; size?: BadgeProps['size'] }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" size={size} style={{ flexShrink: 0 }}>
      {STATUS_LABELS[status]}
    </Badge>
  );
}
