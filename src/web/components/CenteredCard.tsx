import { Container, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { DocumentTitle } from './DocumentTitle.tsx';

interface CenteredCardProps {
  title: string;
  subtitle?: ReactNode;
  children: ReactNode;
  width?: number;
}

/** The layout for pages outside the app shell (sign-in, first-run setup). */
export function CenteredCard({ title, subtitle, children, width = 440 }: CenteredCardProps) {
  return (
    <Container size={width} py={64}>
      <DocumentTitle title={title} />
      <Stack gap="lg">
        <Stack gap={4} align="center">
          <Text fw={700} size="xl" c="blue.7">
            Satchel
          </Text>
          <Title order={1} size="h2" ta="center">
            {title}
          </Title>
          {subtitle && (
            <Text c="dimmed" ta="center">
              {subtitle}
            </Text>
          )}
        </Stack>
        <Paper withBorder shadow="sm" p="xl" radius="md">
          {children}
        </Paper>
      </Stack>
    </Container>
  );
}
