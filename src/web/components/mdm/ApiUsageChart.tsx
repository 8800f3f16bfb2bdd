import { Box, Group, Stack, Text } from '@mantine/core';
import { useId } from 'react';
import type { SyncUsage } from '../../../common/mdm.ts';
import { formatCount, formatDay, plural } from '../../lib/format.ts';

/** Chart units: each day gets a slot this wide, its bar a little narrower; the SVG stretches to the width. */
const SLOT = 10;
const BAR = 8;
const HEIGHT = 100;
const HEIGHT_PX = 120;

/** The day with the most API calls (the latest of equals), or null when there were none. */
function busiestDay(usage: SyncUsage): SyncUsage['days'][number] | null {
  let busiest: SyncUsage['days'][number] | null = null;
  for (const entry of usage.days) {
    if (entry.apiCalls > 0 && entry.apiCalls >= (busiest?.apiCalls ?? 0)) busiest = entry;
  }
  return busiest;
}

/** What the chart shows, in words: the total and the busiest day. */
export function usageSummary(usage: SyncUsage): string {
  const period = `the last ${plural(usage.days.length, 'day')}`;
  const busiest = busiestDay(usage);
  if (!busiest) return `No API calls in ${period}.`;
  return `${plural(usage.total, 'API call')} in ${period}; the busiest day was ${formatDay(busiest.day)} with ${plural(busiest.apiCalls, 'call')}.`;
}

/**
 * API calls per UTC day as bars, with the same figures in words for screen readers (the summary) and per bar
 * on hover (each bar's title).
 */
export function ApiUsageChart({ usage, title }: { usage: SyncUsage; title: string }) {
  const titleId = useId();
  const summaryId = useId();
  const highest = Math.max(1, ...usage.days.map((entry) => entry.apiCalls));
  const width = usage.days.length * SLOT;
  return (
    <Box component="figure" m={0} aria-labelledby={titleId}>
      <Stack gap={4}>
        <Text id={titleId} fw={600} size="sm">
          {title}
        </Text>
        <Group gap="xs" align="stretch" wrap="nowrap">
          <Stack justify="space-between" gap={0} h={HEIGHT_PX} aria-hidden>
            <Text size="xs" c="dimmed" ta="right">
              {formatCount(highest)}
            </Text>
            <Text size="xs" c="dimmed" ta="right">
              0
            </Text>
          </Stack>
          <Box style={{ flex: 1, minWidth: 0 }}>
            <svg
              role="img"
              aria-describedby={summaryId}
              viewBox={`0 0 ${width} ${HEIGHT}`}
              preserveAspectRatio="none"
              width="100%"
              height={HEIGHT_PX}
              style={{ display: 'block', borderBottom: '1px solid var(--mantine-color-gray-4)' }}
            >
              <title>{title}</title>
              {usage.days.map((entry, index) => {
                const height = entry.apiCalls === 0 ? 0 : Math.max(1, (entry.apiCalls / highest) * HEIGHT);
                const x = index * SLOT + (SLOT - BAR) / 2;
                return (
                  <g key={entry.day} data-day={entry.day}>
                    <title>{`${formatDay(entry.day)}: ${plural(entry.apiCalls, 'API call')}`}</title>
                    {/* The whole slot answers to the pointer, so days with few or no calls have a tooltip too. */}
                    <rect x={index * SLOT} y={0} width={SLOT} height={HEIGHT} fill="transparent" />
                    <rect
                      x={x}
                      y={HEIGHT - height}
                      width={BAR}
                      height={height}
                      fill="var(--mantine-color-blue-6)"
                    />
                  </g>
                );
              })}
            </svg>
            <Group justify="space-between" mt={2} aria-hidden>
              <Text size="xs" c="dimmed">
                {formatDay(usage.from)}
              </Text>
              <Text size="xs" c="dimmed">
                {formatDay(usage.to)} (UTC days)
              </Text>
            </Group>
          </Box>
        </Group>
        <Text id={summaryId} component="figcaption" size="sm">
          {usageSummary(usage)}
        </Text>
      </Stack>
    </Box>
  );
}
