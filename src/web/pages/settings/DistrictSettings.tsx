import { Stack, Text, Title } from '@mantine/core';
import { DistrictTimeZone } from '../../components/DistrictTimeZone.tsx';
import { DocumentTitle } from '../../components/DocumentTitle.tsx';

/** `/settings/district`: settings of the district as a whole. */
export function DistrictSettings() {
  return (
    <Stack gap="md">
      <DocumentTitle title="District" />
      <Stack gap={4}>
        <Title order={2} size="h3">
          District
        </Title>
        <Text c="dimmed" size="sm">
          Settings that apply to everyone in the district.
        </Text>
      </Stack>
      <DistrictTimeZone />
    </Stack>
  );
}
