import { type CSSVariablesResolver, darken, type MantineColorsTuple, type MantineTheme } from '@mantine/core';
import { darkening, firstReadable } from './contrast.ts';

const WHITE = '#ffffff';

/** Surfaces text sits on in the light scheme: page, striped rows, and every colour's alert and badge tint. */
function lightBackgrounds(theme: MantineTheme): string[] {
  const tints = Object.entries(theme.colors)
    .filter(([name]) => name !== 'dark')
    .map(([, shades]) => shades[1]);
  return [WHITE, theme.colors.gray[0], ...tints];
}

/** The same in the dark scheme: page, cards, and every colour's tint (Mantine darkens shade 9 by half). */
function darkBackgrounds(theme: MantineTheme): string[] {
  const tints = Object.entries(theme.colors)
    .filter(([name]) => name !== 'dark')
    .map(([, shades]) => darken(shades[9], 0.5));
  return [theme.colors.dark[7], theme.colors.dark[6], theme.colors.dark[5], ...tints];
}

/**
 * Mantine's default palette puts several colours below WCAG AA as text (blue 6 on white is 3.6:1, a green
 * badge 3.8:1, dimmed grey 3.3:1). Each colour's role — filled background under white text, light-variant
 * text, plain text, outline — gets the first shade of that colour that reaches 4.5:1 on the backgrounds it is
 * used on, so every component keeps its colour and still reads.
 */
function lightScheme(theme: MantineTheme, name: string, shades: MantineColorsTuple): Record<string, string> {
  const filled = firstReadable([shades[6], shades[7], shades[8], ...darkening(shades[9])], [WHITE]);
  const text = firstReadable([shades[7], shades[8], ...darkening(shades[9])], lightBackgrounds(theme));
  return {
    [`--mantine-color-${name}-filled`]: filled,
    [`--mantine-color-${name}-filled-hover`]: firstReadable(darkening(filled).slice(1), [WHITE]),
    [`--mantine-color-${name}-light-color`]: firstReadable(
      [shades[8], ...darkening(shades[9])],
      [shades[1], shades[2]],
    ),
    [`--mantine-color-${name}-text`]: text,
    [`--mantine-color-${name}-outline`]: text,
  };
}

function darkScheme(theme: MantineTheme, name: string, shades: MantineColorsTuple): Record<string, string> {
  const filled = firstReadable([shades[6], shades[7], shades[8], ...darkening(shades[9])], [WHITE]);
  const text = firstReadable([shades[4], shades[3], shades[2], shades[1], shades[0]], darkBackgrounds(theme));
  return {
    [`--mantine-color-${name}-filled`]: filled,
    [`--mantine-color-${name}-filled-hover`]: firstReadable(darkening(filled).slice(1), [WHITE]),
    [`--mantine-color-${name}-text`]: text,
    [`--mantine-color-${name}-outline`]: text,
  };
}

export const readableColors: CSSVariablesResolver = (theme) => {
  const light: Record<string, string> = {};
  const dark: Record<string, string> = {};
  for (const [name, shades] of Object.entries(theme.colors)) {
    if (name === 'dark' || !shades) continue;
    Object.assign(light, lightScheme(theme, name, shades));
    Object.assign(dark, darkScheme(theme, name, shades));
  }
  const { gray, dark: darkShades } = theme.colors;
  const primary = theme.primaryColor;
  return {
    variables: {},
    light: {
      ...light,
      '--mantine-color-dimmed': firstReadable(darkening(gray[6]), lightBackgrounds(theme)),
      '--mantine-color-anchor': `var(--mantine-color-${primary}-text)`,
      '--mantine-color-error': 'var(--mantine-color-red-text)',
    },
    dark: {
      ...dark,
      '--mantine-color-dimmed': firstReadable(
        [darkShades[2], darkShades[1], darkShades[0]],
        darkBackgrounds(theme),
      ),
      '--mantine-color-anchor': `var(--mantine-color-${primary}-text)`,
      '--mantine-color-error': 'var(--mantine-color-red-text)',
    },
  };
};
