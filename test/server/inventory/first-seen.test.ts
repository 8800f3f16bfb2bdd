import { describe, expect, it } from 'vitest';
import { FirstSeenLines } from '../../../src/server/inventory/csv/first-seen.ts';

describe('first-seen lines', () => {
  it('give the line a value was first seen on, through every growth of the table', () => {
    const seen = new FirstSeenLines();
    for (let line = 2; line < 200_002; line++)
      expect(seen.earlierLine(`serial:${line}`, line)).toBeUndefined();
    for (let line = 2; line < 200_002; line += 997)
      expect(seen.earlierLine(`serial:${line}`, 500_000)).toBe(line);
    expect(seen.earlierLine('tag:2', 3)).toBeUndefined();
  });
});
