import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { apiUrl } from '../../api/client.ts';
import { DistrictDaysSetting } from '../../components/DistrictDaysSetting.tsx';
import { DocumentTitle } from '../../components/DocumentTitle.tsx';

/** `/settings/privacy`: what the district keeps about its students and staff, and for how long. */
export function PrivacySettings() {
  return (
    <Stack gap="xl">
      <DocumentTitle title="Data & privacy" />
      <Paper withBorder p="lg" radius="md">
        <DistrictDaysSetting
          setting="mdmHistoryRetentionDays"
          title="MDM usage history"
          description="How long Satchel keeps who used each device and from which network address, as your MDM last reported it. After that many days without a fresh report it is removed, every night."
          label="Keep for (days)"
          saved={(days) => `Usage history is now kept ${days} days.`}
        />
      </Paper>
      <Paper withBorder p="lg" radius="md">
        <Stack gap="xs">
          <Title order={2} size="h3">
            Export the district's data
          </Title>
          <Text c="dimmed" size="sm">
            Everything Satchel holds about the district (users, schools, people, devices, assignments, MDM
            data, sync history and the audit log) as a zip of CSV files, one per table. Passwords, tokens and
            MDM credentials are never included. The export is recorded in the audit log.
          </Text>
          <Group>
            <Button component="a" href={apiUrl('/district/export.zip')} download>
              Download export
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
