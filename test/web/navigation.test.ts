import { describe, expect, it } from 'vitest';
import { HOME_PATH, safeReturnPath } from '../../src/web/lib/navigation.ts';

const ORIGIN = 'https://satchel.example.org';

/** Open-redirect payloads (OA-2): absolute, scheme-relative, backslash, encoded and control-character forms. */
const PAYLOADS = [
  'https://evil.example',
  'http://evil.example/devices',
  '//evil.example',
  '///evil.example',
  '////evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/ /evil.example',
  '\t//evil.example',
  ' //evil.example',
  '/%2F/evil.example',
  '/%2f%2fevil.example',
  '%2F%2Fevil.example',
  '/%5Cevil.example',
  '/%5C%5Cevil.example',
  'javascript:alert(1)',
  'JavaScript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
  '/\\/evil.example',
  '/.//evil.example',
  '/..//evil.example',
  'evil.example',
  '.evil.example',
  '@evil.example',
  '/@evil.example',
  'https:evil.example',
  'https:/evil.example',
  'https:\\\\evil.example',
  '/\u3002evil.example',
  '/\u0000//evil.example',
  '/\u000b//evil.example',
  '/\u00a0//evil.example',
  '//evil.example/%2e%2e',
  '//evil.example?next=/devices',
  '//evil.example#/devices',
  '/devices@evil.example',
  '//satchel.example.org.evil.example',
  '//satchel.example.org@evil.example',
  'https://satchel.example.org@evil.example',
  '\u2215\u2215evil.example',
  '/\u2215evil.example',
  '/\\\t\\evil.example',
  'ftp://evil.example',
  '',
];

describe('return-to paths after sign-in', () => {
  it(`never leave the app for any of ${PAYLOADS.length} open-redirect payloads`, () => {
    expect(PAYLOADS.length).toBeGreaterThanOrEqual(50);
    for (const payload of PAYLOADS) {
      const target = safeReturnPath(payload);
      expect(new URL(target, ORIGIN).origin, JSON.stringify(payload)).toBe(ORIGIN);
      expect(target.startsWith('/'), JSON.stringify(payload)).toBe(true);
    }
  });

  it('keeps ordinary in-app paths', () => {
    expect(safeReturnPath('/devices?status=lost&q=5CD')).toBe('/devices?status=lost&q=5CD');
    expect(safeReturnPath('/settings/mdm')).toBe('/settings/mdm');
    expect(safeReturnPath(null)).toBe(HOME_PATH);
  });
});
