import { SegmentedControl } from '@mantine/core';
import type { ListDensity } from './DeviceTable.tsx';

const OPTIONS: { value: ListDensity; label: string }[] = [
  { value: 'comfortable', label: 'Comfortable' },
  { value: 'compact', label: 'Compact' },
];

/** Row height of the device list: compact fits more rows on a laptop screen. */
export function DensityControl({
  value,
  onChange,
}: {
  value: ListDensity;
  onChange: (density: ListDensity) => void;
}) {
  return (
    <SegmentedControl
      aria-label="Row density"
      size="xs"
      data={OPTIONS}
      value={value}
      onChange={(next) => onChange(next === 'compact' ? 'compact' : 'comfortable')}
    />
  );
}
