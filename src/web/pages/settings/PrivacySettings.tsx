import { Paper, Stack } from '@mantine/core';
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
    </Stack>
  );
}
