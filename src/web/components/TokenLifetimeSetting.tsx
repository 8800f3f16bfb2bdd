import { Button, Group, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useDistrictSettings, useUpdateDistrictSettings } from '../api/district.ts';
import { notifyError, notifySuccess } from '../lib/errors.ts';

/** The district's longest API token lifetime, on the API tokens settings page. */
export function TokenLifetimeSetting() {
  const settings = useDistrictSettings();
  const update = useUpdateDistrictSettings();
  const [days, setDays] = useState<number | string>('');
  const saved = settings.data?.tokenMaxLifetimeDays;
  useEffect(() => {
    if (saved !== undefined) setDays(saved);
  }, [saved]);

  const save = () =>
    update.mutate(
      { tokenMaxLifetimeDays: Number(days) },
      {
        onSuccess: (next) =>
          notifySuccess(`API tokens now live at most ${next.tokenMaxLifetimeDays} days.`, 'Saved'),
        onError: (error) => notifyError(error, 'Could not save the token lifetime'),
      },
    );

  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        Token lifetime
      </Title>
      <Text c="dimmed" size="sm">
        The longest any API token in the district may live. Shortening it also shortens tokens that already
        exist.
      </Text>
      <Group align="flex-end">
        <NumberInput
          label="Longest lifetime (days)"
          min={1}
          max={3650}
          allowDecimal={false}
          value={days}
          onChange={setDays}
          disabled={settings.isPending}
          w={220}
        />
        <Button onClick={save} loading={update.isPending} disabled={saved === undefined || days === saved}>
          Save
        </Button>
      </Group>
    </Stack>
  );
}
