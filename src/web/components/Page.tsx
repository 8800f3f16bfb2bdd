import { Group, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { DocumentTitle } from './DocumentTitle.tsx';

interface PageProps {
  title: string;
  /** Buttons shown next to the title. */
  actions?: ReactNode;
  children?: ReactNode;
}

/** A page heading plus the document title. */
export function Page({ title, actions, children }: PageProps) {
  return (
    <Stack gap="lg">
      <DocumentTitle title={title} />
      <Group justify="space-between" align="center">
        <Title order={1} size="h2">
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Stack>
  );
}
