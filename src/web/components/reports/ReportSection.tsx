import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { type ReactNode, useId } from 'react';

interface ReportSectionProps {
  title: string;
  description?: ReactNode;
  /** "Google Admin (ChromeOS) · as of …": where the figures come from and when they were true. */
  source: string;
  children: ReactNode;
}

/** One report: a titled region, so each can be found by its name. */
export function ReportSection({ title, description, source, children }: ReportSectionProps) {
  const titleId = useId();
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={titleId}>
      <Stack gap="md">
        <Stack gap={4}>
          <Group justify="space-between" align="baseline" gap="xs">
            <Title order={2} size="h4" id={titleId}>
              {title}
            </Title>
            <Text size="xs" c="dimmed">
              {source}
            </Text>
          </Group>
          {description && (
            <Text size="sm" c="dimmed">
              {description}
            </Text>
          )}
        </Stack>
        {children}
      </Stack>
    </Card>
  );
}
