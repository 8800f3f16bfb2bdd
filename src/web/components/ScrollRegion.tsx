import { Box } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * A box that scrolls sideways when its content is wider than the screen. It can take keyboard focus (and is
 * named), so someone without a mouse can scroll it with the arrow keys.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Box role="region" aria-label={label} tabIndex={0} style={{ overflowX: 'auto' }}>
      {children}
    </Box>
  );
}
