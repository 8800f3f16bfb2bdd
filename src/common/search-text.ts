/**
 * How the device search reads MDM data: lower-cased, and MAC addresses as bare hex digits, so "AA:BB:CC",
 * "aa-bb-cc" and "aabbcc" find the same device. The sync writer stores a record's searchable values this way
 * (`mdm_device_records.search_text`, migration 0017) and the search normalizes what was typed the same way.
 */

/** Values are joined by a line break, which is taken out of values and searches, so no match spans two values. */
const SEPARATOR = '\n';

const MAC_LIKE = /^[0-9a-f]{2}([:\-. ]?[0-9a-f]{2}){1,7}$/i;

function macDigits(value: string): string {
  return value.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

/** The record's searchable values as one normalized text (empty values left out). */
export function searchTextOf(values: {
  text: readonly (string | null | undefined)[];
  macs: readonly string[];
}) {
  const parts = [
    ...values.text.map((value) => value?.replaceAll(SEPARATOR, ' ').trim().toLowerCase() ?? ''),
    ...values.macs.map(macDigits),
  ].filter((part) => part !== '');
  return [...new Set(parts)].join(SEPARATOR);
}

/** What the stored text is searched for: the typed text lower-cased, and as bare hex when it reads as a MAC. */
export function searchNeedles(typed: string): string[] {
  const text = typed.replaceAll(SEPARATOR, ' ').trim().toLowerCase();
  if (text === '') return [];
  const needles = [text];
  if (MAC_LIKE.test(text)) needles.push(macDigits(text));
  return [...new Set(needles)];
}
