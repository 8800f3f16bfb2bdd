import { createTheme, DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { contrastRatio, firstReadable } from '../../src/web/theme/contrast.ts';
import { readableColors } from '../../src/web/theme/readableColors.ts';

const theme = mergeMantineTheme(DEFAULT_THEME, createTheme({}));
const { light, dark } = readableColors(theme);
const AA = 4.5;
const COLORS = Object.keys(theme.colors).filter((name) => name !== 'dark');

describe('readable colours', () => {
  it('measures contrast as WCAG does', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#868e96', '#ffffff')).toBeCloseTo(3.32, 2);
  });

  it('keeps a shade that already reads and darkens one that does not', () => {
    expect(firstReadable(['#228be6', '#1971c2'], ['#ffffff'])).toBe('#1971c2');
    expect(contrastRatio(firstReadable(['#fab005'], ['#ffffff']), '#ffffff')).toBeLessThan(AA);
  });

  it.each(COLORS)(
    'gives %s text, light-variant text and filled backgrounds AA contrast in light mode',
    (name) => {
      const shades = theme.colors[name]!;
      expect(contrastRatio(light[`--mantine-color-${name}-text`]!, '#ffffff')).toBeGreaterThanOrEqual(AA);
      expect(
        contrastRatio(light[`--mantine-color-${name}-text`]!, theme.colors.gray[0]),
      ).toBeGreaterThanOrEqual(AA);
      expect(contrastRatio(light[`--mantine-color-${name}-light-color`]!, shades[1])).toBeGreaterThanOrEqual(
        AA,
      );
      expect(contrastRatio(light[`--mantine-color-${name}-filled`]!, '#ffffff')).toBeGreaterThanOrEqual(AA);
    },
  );

  it.each(COLORS)('gives %s text and filled backgrounds AA contrast in dark mode', (name) => {
    expect(contrastRatio(dark[`--mantine-color-${name}-text`]!, theme.colors.dark[7])).toBeGreaterThanOrEqual(
      AA,
    );
    expect(contrastRatio(dark[`--mantine-color-${name}-filled`]!, '#ffffff')).toBeGreaterThanOrEqual(AA);
  });

  it('dims secondary text no further than AA allows, in both modes', () => {
    expect(contrastRatio(light['--mantine-color-dimmed']!, '#ffffff')).toBeGreaterThanOrEqual(AA);
    expect(contrastRatio(light['--mantine-color-dimmed']!, '#ffffff')).toBeLessThan(7);
    expect(contrastRatio(dark['--mantine-color-dimmed']!, theme.colors.dark[7])).toBeGreaterThanOrEqual(AA);
  });
});
