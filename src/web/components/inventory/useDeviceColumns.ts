import { useLocalStorage } from '@mantine/hooks';
import { type ColumnChoice, chooseColumns, readColumnChoice, shownColumns } from '../../lib/columnChoice.ts';
import type { ListDensity } from './DeviceTable.tsx';
import { DEFAULT_DEVICE_COLUMNS, type DeviceColumn, FIRST_OFFERED_COLUMNS } from './deviceColumns.tsx';

const COLUMNS_KEY = 'satchel.devices.columns';
const DENSITY_KEY = 'satchel.devices.density';

/** The device list's columns as this browser remembers them, out of those `available` now. */
export function useDeviceColumns(available: readonly DeviceColumn[]) {
  const [choice, setChoice] = useLocalStorage<ColumnChoice | null>({
    key: COLUMNS_KEY,
    defaultValue: null,
    getInitialValueInEffect: false,
    serialize: (value) => JSON.stringify(value),
    deserialize: (stored) => readColumnChoice(stored ?? null, FIRST_OFFERED_COLUMNS),
  });
  const ids = available.map((column) => column.id as string);
  const shown = shownColumns(choice, ids, DEFAULT_DEVICE_COLUMNS);
  return {
    /** Visible columns, in the table's order. */
    visible: available.filter((column) => shown.includes(column.id)),
    shownIds: shown,
    choose: (picked: readonly string[]) => setChoice(chooseColumns(choice, picked, ids)),
    reset: () => setChoice(null),
    /** A saved view's columns, exactly: its hidden columns stay hidden even if they are defaults. */
    show: (columns: readonly string[]) => setChoice({ shown: [...columns], offered: ids }),
  };
}

export function useListDensity() {
  return useLocalStorage<ListDensity>({
    key: DENSITY_KEY,
    defaultValue: 'comfortable',
    getInitialValueInEffect: false,
    deserialize: (stored) => (stored === '"compact"' || stored === 'compact' ? 'compact' : 'comfortable'),
  });
}
