import { Button, Group, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { DistrictSettings } from '../../common/districts.ts';
import { useDistrictSettings, useUpdateDistrictSettings } from '../api/district.ts';
import { notifyError, notifySuccess } from '../lib/errors.ts';

/** One of the district's settings counted in days (token lifetime, usage-history retention), with its own Save. */
export function DistrictDaysSetting({
  setting,
  title,
  description,
  label,
  saved: savedMessage,
}: {
  setting: keyof DistrictSettings;
  title: string;
  description: string;
  label: string;
  saved: (days: number) => string;
}) {
  const settings = useDistrictSettings();
  const update = useUpdateDistrictSettings();
  const [days, setDays] = useState<number | string>('');
  const saved = settings.data?.[setting];
  useEffect(() => {
    if (saved !== undefined) setDays(saved);
  }, [saved]);

  const save = () =>
    update.mutate(
      { [setting]: Number(days) },
      {
        onSuccess: (next) => notifySuccess(savedMessage(next[setting]), 'Saved'),
        onError: (error) => notifyError(error, `Could not save: ${title.toLowerCase()}`),
      },
    );

  return (
    <Stack gap="xs">
      <Title order={2} size="h3">
        {title}
      </Title>
      <Text c="dimmed" size="sm">
        {description}
      </Text>
      <Group align="flex-end">
        <NumberInput
          label={label}
          min={1}
          max={3650}
          allowDecimal={false}
          value={days}
          onChange={setDays}
          disabled={settings.isPending}
          w={240}
        />
        <Button onClick={save} loading={update.isPending} disabled={saved === undefined || days === saved}>
          Save
        </Button>
      </Group>
    </Stack>
  );
}
