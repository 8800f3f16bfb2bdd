import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectedGraduation,
  gradeNumber,
  KINDERGARTEN_LABELS,
  PRE_KINDERGARTEN_LABELS,
} from '../../../src/common/school-year.ts';
import type { Database } from '../../../src/server/db/connect.ts';
import { expectedGraduationSql, gradeNumberSql } from '../../../src/server/inventory/device-mdm.ts';
import { openTestDatabase } from '../../setup/database.ts';

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase();
});

afterAll(async () => {
  await database?.close();
});

/** Labels and their near misses, characters JavaScript and SQL might read differently, and digits of other scripts. */
const TRICKY = [
  ...['K', 'k', 'KG', 'kg', 'Kindergarten', 'PK', 'pk', 'PreK', 'Pre-K', 'pre-k', 'TK', 'tk', 'pre k'],
  ...['0', '00', '1', '01', '09', '9', '10', '12', '13', '99', '-1', '+1', '1.0', '1e1', '012'],
  ...[
    ' ',
    '\t',
    '\n',
    '\r',
    '\v',
    '\f',
    '\u00a0',
    '\u1680',
    '\u2000',
    '\u200a',
    '\u2028',
    '\u202f',
    '\u3000',
  ],
  ...['\ufeff', '\u200b', '\u180e', '\u0085'],
  ...['ı', 'ſ', 'ß', 'ﬁ', 'İ', '\u212a', 'ｋ', '１', '٩', '߉', '²', 'Ⅻ', '-', '_', 'Adult', 'Staff', 'N/A'],
];

const LABELS = [...KINDERGARTEN_LABELS, ...PRE_KINDERGARTEN_LABELS, '1', '09', '10', '12'];
/** Characters that look like, or case-map to, a label's character in one language or the other. */
const LOOKALIKES: Record<string, string[]> = {
  I: ['ı', 'İ', 'Ｉ'],
  K: ['\u212a', 'ｋ'],
  E: ['Ε', 'е'],
  A: ['а'],
  '-': ['\u2010', '\u2212'],
  '1': ['１', '١', '¹'],
  '0': ['０', '٠'],
  '9': ['９', '٩'],
  '2': ['２', '²'],
};

/** A label with each character kept, lower-cased, swapped for a lookalike or padded with whitespace. */
const mangledLabel = fc
  .constantFrom(...LABELS)
  .chain((label) =>
    fc
      .tuple(
        ...[...label].map((char) =>
          fc.constantFrom(
            char,
            char.toLowerCase(),
            ...(LOOKALIKES[char] ?? []),
            `\u00a0${char}`,
            `${char}\u3000`,
          ),
        ),
      )
      .map((parts) => parts.join('')),
  );

/** Grade strings: mangled labels, pieces of tricky text, and any Unicode text PostgreSQL can store. */
const gradeText = fc.oneof(
  { arbitrary: mangledLabel, weight: 4 },
  {
    arbitrary: fc.array(fc.constantFrom(...TRICKY), { maxLength: 4 }).map((parts) => parts.join('')),
    weight: 2,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 1 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }), weight: 1 },
);
const storable = gradeText.filter((text) => text.isWellFormed() && !text.includes('\u0000'));

async function sqlGrades(grades: readonly (string | null)[], now: Date) {
  const result = await sql<{ position: number; grade_number: number | null; graduation: string | null }>`
    select g.position::int as position,
      ${gradeNumberSql(sql.ref<string | null>('g.grade'))} as grade_number,
      ${expectedGraduationSql(sql.ref<string | null>('g.grade'), now)} as graduation
    from jsonb_array_elements_text(${JSON.stringify(grades)}::jsonb) with ordinality as g(grade, position)
    order by g.position`.execute(database.db);
  return result.rows;
}

describe('grade and expected graduation in SQL', () => {
  it('reads the documented labels as gradeNumber does', async () => {
    const grades = [
      'K',
      'kg',
      ' Kindergarten ',
      'PK',
      'pre-k',
      'TK',
      '09',
      '9',
      '12',
      '13',
      '0',
      'Adult',
      '',
    ];
    const rows = await sqlGrades(grades, new Date('2026-11-27T00:00:00Z'));
    expect(rows.map((row) => row.grade_number)).toEqual([
      0,
      0,
      0,
      -1,
      -1,
      -1,
      9,
      9,
      12,
      null,
      null,
      null,
      null,
    ]);
    expect(rows.map((row) => row.graduation)).toEqual(
      grades.map((grade) => expectedGraduation(grade, new Date('2026-11-27T00:00:00Z'))),
    );
  });

  it('agrees with gradeNumber and expectedGraduation for any grade text and any day', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(storable, { nil: null }), { minLength: 1, maxLength: 40 }),
        fc.date({
          min: new Date('1990-01-01T00:00:00Z'),
          max: new Date('2150-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        async (grades, now) => {
          const rows = await sqlGrades(grades, now);
          expect(rows.map((row) => row.grade_number)).toEqual(grades.map((grade) => gradeNumber(grade)));
          expect(rows.map((row) => row.graduation)).toEqual(
            grades.map((grade) => expectedGraduation(grade, now)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
