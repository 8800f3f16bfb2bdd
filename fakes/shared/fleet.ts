/**
 * What every fake's fleet generator offers: a fixed default "now", the serials a fleet must hold, junk
 * serials, re-enrolled duplicates, and serials stored in another case or with spaces.
 */

/** The generators' default "now", so their output is stable. */
export const DEFAULT_FLEET_NOW = '2026-11-20T12:00:00.000Z';

export interface CommonFleetOptions {
  /** Regular devices, including one per entry of `serials`. */
  size: number;
  seed?: number | string;
  /** Serials that must exist (e.g. overlapping a district's inventory). */
  serials?: string[];
  /** Extra devices with junk serials ("To be filled by O.E.M.", "0", …), added on top of `size`. */
  junk?: number;
  /** For each serial, an extra re-enrolled duplicate: same serial, new device id, older last check-in. */
  duplicatesOf?: string[];
  /**
   * Store some `serials` with a case/whitespace variant ("5cd1234xyz", " 5CD1234XYZ "): true picks about
   * one in ten (at least one), a number picks that many.
   */
  caseVariants?: boolean | number;
  /** Domain of user emails. */
  domain?: string;
  /** "Now" for check-in and enrolment dates; default 2026-11-20T12:00:00Z so output is stable. */
  now?: number | string | Date;
}

/** How many of the requested serials get stored in another spelling. */
export function caseVariantCount(option: boolean | number | undefined, requested: number): number {
  if (option === true) return Math.max(1, Math.floor(requested / 10));
  if (typeof option === 'number') return Math.min(option, requested);
  return 0;
}

/** The `i`-th requested serial in another spelling: lower case, padded with spaces, or both. */
export function caseVariantOf(serial: string, i: number): string {
  const kind = i % 3;
  const variant =
    kind === 0 ? serial.toLowerCase() : kind === 1 ? ` ${serial} ` : `${serial.toLowerCase()}\t`;
  return variant === serial ? ` ${serial}` : variant;
}
