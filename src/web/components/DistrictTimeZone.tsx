import { Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useDistrictProfile, useUpdateDistrictProfile } from '../api/district.ts';
import { notifyError, notifySuccess } from '../lib/errors.ts';

const ZONES: string[] = Intl.supportedValuesOf('timeZone');

/** The district's time zone, which CSV exports write their times in. */
export function DistrictTimeZone() {
  const settings = useDistrictProfile();
  const update = useUpdateDistrictProfile();
  const [picked, setPicked] = useState<string | null>(null);
  const current = settings.data?.timeZone ?? null;
  const value = picked ?? current;
  return (
    <Paper withBorder p="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          Time zone
        </Title>
        <Text size="sm" c="dimmed">
          CSV exports write times in this zone, with a UTC column beside them for scripts.
          {current === null && ' None is set yet, so exports use UTC.'}
        </Text>
        <Group align="flex-end">
          <Select
            label="District time zone"
            data={ZONES}
            value={value}
            onChange={setPicked}
            searchable
            nothingFoundMessage="No time zone matches"
            w={320}
            disabled={settings.isPending}
          />
          <Button
            disabled={!picked || picked === current}
            loading={update.isPending}
            onClick={() =>
              picked &&
              update.mutate(
                { timeZone: picked },
                {
                  onSuccess: () => {
                    setPicked(null);
                    notifySuccess(`Exports now use ${picked}`);
                  },
                  onError: (error) => notifyError(error, 'Could not change the time zone'),
                },
              )
            }
          >
            Save
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
