import { Box, Group, Stack, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import type { AueYear } from '../../../common/reports.ts';
import { formatCount, plural } from '../../lib/format.ts';
import { devicesPath } from './links.ts';

const BAR_AREA_PX = 160;

interface AueYearChartProps {
  years: AueYear[];
  /** The server's current year: earlier years have expired, this one is expiring. */
  currentYear: number;
}

function barColor(year: number, currentYear: number): string {
  if (year < currentYear) return 'var(--mantine-color-red-6)';
  if (year === currentYear) return 'var(--mantine-color-orange-5)';
  return 'var(--mantine-color-blue-6)';
}

/** A bar per expiration year, drawn with plain boxes; each bar is a link to that year's devices. */
export function AueYearChart({ years, currentYear }: AueYearChartProps) {
  const highest = Math.max(1, ...years.map((year) => year.count));
  return (
    <Stack gap="xs">
      <Box
        component="ul"
        aria-label="Devices by auto-update expiration year"
        m={0}
        p={0}
        style={{ listStyle: 'none', display: 'flex', alignItems: 'flex-end', gap: 8, overflowX: 'auto' }}
      >
        {years.map((entry) => {
          const height =
            entry.count === 0 ? 2 : Math.max(4, Math.round((entry.count / highest) * BAR_AREA_PX));
          return (
            <Box component="li" key={entry.year} style={{ flex: '1 0 44px', maxWidth: 96 }}>
              <UnstyledButton
                component={Link}
                to={devicesPath(entry.devicesQuery)}
                title={`${plural(entry.count, 'device')} stop receiving updates in ${entry.year}`}
                style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', width: '100%' }}
              >
                <Text size="xs" fw={600} c={entry.count === 0 ? 'dimmed' : undefined}>
                  {formatCount(entry.count)}
                </Text>
                {/* The link's name is its visible words, so what a screen reader says matches what is shown. */}
                <VisuallyHidden>
                  {entry.count === 1 ? 'device stops' : 'devices stop'} receiving updates in
                </VisuallyHidden>
                <Box
                  w="100%"
                  h={height}
                  style={{
                    background:
                      entry.count === 0 ? 'var(--mantine-color-gray-4)' : barColor(entry.year, currentYear),
                    borderRadius: '4px 4px 0 0',
                  }}
                />
                <Text size="xs" c="dimmed" mt={4}>
                  {entry.year}
                </Text>
              </UnstyledButton>
            </Box>
          );
        })}
      </Box>
      <Group gap="md">
        <Legend color={barColor(currentYear - 1, currentYear)} label="Expired" />
        <Legend color={barColor(currentYear, currentYear)} label="Expires this year" />
        <Legend color={barColor(currentYear + 1, currentYear)} label="Later" />
      </Group>
    </Stack>
  );
}

function Legend({ color, label }: { color: string; label: string }) {
  return (
    <Group gap={6}>
      <Box w={10} h={10} style={{ background: color, borderRadius: 2 }} aria-hidden />
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Group>
  );
}
