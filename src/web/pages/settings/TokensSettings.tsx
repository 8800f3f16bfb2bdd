import { Paper, Stack } from '@mantine/core';
import { ApiTokensPanel } from '../../components/ApiTokensPanel.tsx';
import { DistrictDaysSetting } from '../../components/DistrictDaysSetting.tsx';
import { DistrictTokensPanel } from '../../components/DistrictTokensPanel.tsx';
import { DocumentTitle } from '../../components/DocumentTitle.tsx';

export function TokensSettings() {
  return (
    <Stack gap="xl">
      <DocumentTitle title="API tokens" />
      <ApiTokensPanel />
      <Paper withBorder p="lg" radius="md">
        <DistrictTokensPanel />
      </Paper>
      <Paper withBorder p="lg" radius="md">
        <DistrictDaysSetting
          setting="tokenMaxLifetimeDays"
          title="Token lifetime"
          description="The longest any API token in the district may live. Shortening it also shortens tokens that already exist."
          label="Longest lifetime (days)"
          saved={(days) => `API tokens now live at most ${days} days.`}
        />
      </Paper>
    </Stack>
  );
}
