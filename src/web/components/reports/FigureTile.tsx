import { Anchor, Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ReportFigure } from '../../../common/reports.ts';
import { formatCount } from '../../lib/format.ts';
import { devicesPath } from './links.ts';

interface FigureTileProps {
  label: string;
  figure: ReportFigure;
  description?: ReactNode;
  color?: string;
}

/** A labelled count that opens the device list behind it. */
export function FigureTile({ label, figure, description, color }: FigureTileProps) {
  return (
    <Paper withBorder p="md" radius="sm">
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <Anchor
          component={Link}
          to={devicesPath(figure.devicesQuery)}
          fz="1.75rem"
          fw={700}
          c={figure.count > 0 ? color : 'dimmed'}
          aria-label={`${label}: ${formatCount(figure.count)}`}
        >
          {formatCount(figure.count)}
        </Anchor>
        {description && (
          <Text size="xs" c="dimmed">
            {description}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
