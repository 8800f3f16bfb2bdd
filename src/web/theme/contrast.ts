import { darken, luminance } from '@mantine/core';

/** WCAG 2.1 contrast ratio between two colours (1 to 21). */
export function contrastRatio(first: string, second: string): number {
  const [lighter, darker] = [luminance(first), luminance(second)].sort((a, b) => b - a) as [number, number];
  return (lighter + 0.05) / (darker + 0.05);
}

/** AA for normal-size text, with a little room for anti-aliasing. */
export const TEXT_CONTRAST = 4.6;

function worstContrast(color: string, backgrounds: readonly string[]): number {
  return Math.min(...backgrounds.map((background) => contrastRatio(color, background)));
}

/**
 * The first candidate that reads as text on every one of `backgrounds`; when none does, the one that comes
 * closest. Candidates go from the most colourful to the safest.
 */
export function firstReadable(candidates: readonly string[], backgrounds: readonly string[]): string {
  const found = candidates.find((color) => worstContrast(color, backgrounds) >= TEXT_CONTRAST);
  if (found) return found;
  return (
    [...candidates].sort((a, b) => worstContrast(b, backgrounds) - worstContrast(a, backgrounds))[0] ?? ''
  );
}

/** `shade`, then ever darker versions of it: candidates for text on light backgrounds. */
export function darkening(shade: string): string[] {
  return [shade, ...Array.from({ length: 12 }, (_, step) => darken(shade, (step + 1) * 0.05))];
}
