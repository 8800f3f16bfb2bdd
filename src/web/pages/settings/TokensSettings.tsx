import { Paper, Stack } from '@mantine/core';
import { ApiTokensPanel } from '../../components/ApiTokensPanel.tsx';
import { DistrictTokensPanel } from '../../components/DistrictTokensPanel.tsx';
import { DocumentTitle } from '../../components/DocumentTitle.tsx';
import { TokenLifetimeSetting } from '../../components/TokenLifetimeSetting.tsx';

export function TokensSettings() {
  return (
    <Stack gap="xl">
      <DocumentTitle title="API tokens" />
      <ApiTokensPanel />
      <Paper withBorder p="lg" radius="md">
        <DistrictTokensPanel />
      </Paper>
      <Paper withBorder p="lg" radius="md">
        <TokenLifetimeSetting />
      </Paper>
    </Stack>
  );
}
