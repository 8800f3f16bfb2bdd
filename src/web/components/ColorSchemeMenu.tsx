import { Button, type MantineColorScheme, Menu, useMantineColorScheme } from '@mantine/core';

const CHOICES: { value: MantineColorScheme; label: string }[] = [
  { value: 'auto', label: 'Match this device' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

/** Light or dark: follows the device's setting until someone picks one here; the browser remembers the pick. */
export function ColorSchemeMenu() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const current = CHOICES.find((choice) => choice.value === colorScheme) ?? CHOICES[0]!;
  return (
    <Menu position="bottom-end" width={200} withinPortal>
      <Menu.Target>
        <Button variant="subtle" color="gray" aria-label={`Theme: ${current.label}`}>
          Theme
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Theme</Menu.Label>
        {CHOICES.map((choice) => (
          <Menu.Item
            key={choice.value}
            leftSection={<span aria-hidden>{choice.value === colorScheme ? '✓' : ''}</span>}
            fw={choice.value === colorScheme ? 700 : undefined}
            onClick={() => setColorScheme(choice.value)}
          >
            {choice.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
