/**
 * US school years run July to June; a student in grade 12 graduates at the end of the current school year,
 * a student in grade 9 three years later. Graduation is taken as June 30 of that year.
 */
export const GRADUATION_MONTH_DAY = '06-30';

/** Grade labels that mean kindergarten and pre-kindergarten, compared upper-cased without spaces. */
export const KINDERGARTEN_LABELS = ['K', 'KG', 'KINDERGARTEN'] as const;
export const PRE_KINDERGARTEN_LABELS = ['PK', 'PREK', 'PRE-K', 'TK'] as const;

/** A grade label as a number (PK = -1, K = 0, 1–12), or null for anything else (staff, "Adult", blank). */
export function gradeNumber(grade: string | null | undefined): number | null {
  if (!grade) return null;
  const label = grade.replace(/\s+/g, '').toUpperCase();
  if ((KINDERGARTEN_LABELS as readonly string[]).includes(label)) return 0;
  if ((PRE_KINDERGARTEN_LABELS as readonly string[]).includes(label)) return -1;
  if (!/^\d{1,2}$/.test(label)) return null;
  const number = Number(label);
  return number >= 1 && number <= 12 ? number : null;
}

/** The calendar year in which the current school year ends (July 1 starts a new one). */
export function schoolYearEnd(now: Date): number {
  return now.getUTCMonth() >= 6 ? now.getUTCFullYear() + 1 : now.getUTCFullYear();
}

/** Expected graduation day (YYYY-MM-DD) of a student in this grade today, or null for a grade we cannot read. */
export function expectedGraduation(grade: string | null | undefined, now: Date): string | null {
  const number = gradeNumber(grade);
  if (number === null) return null;
  return `${schoolYearEnd(now) + 12 - number}-${GRADUATION_MONTH_DAY}`;
}

/**
 * Where an auto-update expiration stands today: `expired` once its day has passed, `this_school_year` when it
 * comes (today or later) before the school year ends (July 1), else null (later, or not a date). The same days
 * as the device list's `aueBefore`/`aueAfter` links on the overview and in Reports.
 */
export function autoUpdateState(
  expiration: string | null | undefined,
  now: Date,
): 'expired' | 'this_school_year' | null {
  if (!expiration || !/^\d{4}-\d{2}-\d{2}/.test(expiration)) return null;
  const day = expiration.slice(0, 10);
  if (day < now.toISOString().slice(0, 10)) return 'expired';
  return day < `${schoolYearEnd(now)}-07-01` ? 'this_school_year' : null;
}
