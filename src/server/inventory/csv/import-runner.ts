import type { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import type { Kysely, Transaction } from 'kysely';
import type { ImportProblem, ImportResult } from '../../../common/inventory.ts';
import type { DB } from '../../db/schema.ts';
import { FirstSeenLines } from './first-seen.ts';
import { ProblemLog } from './problem-log.ts';
import { type CsvRow, readCsv } from './read-csv.ts';

export type Executor = Kysely<DB> | Transaction<DB>;

export interface ParsedRow {
  line: number;
}

/** What one kind of import (devices, people) supplies; the runner does streaming, batching and transactions. */
export interface ImportPlan<Row extends ParsedRow> {
  known: readonly string[];
  required: readonly string[];
  /** Field-level checks: no database access. */
  parse(row: CsvRow): { row: Row; problems: [] } | { row: undefined; problems: ImportProblem[] };
  /** Values that must be unique within one file, with the column to blame. */
  uniqueKeys(row: Row): { key: string; column: string; label: string }[];
  /** Checks against stored data, classification and (when `write`) the batch's writes. */
  processBatch(executor: Executor, rows: Row[], write: boolean): Promise<BatchOutcome>;
}

export interface BatchOutcome {
  create: number;
  update: number;
  unchanged: number;
  problems: ImportProblem[];
}

const BATCH_SIZE = 500;
/** Longest stretch of parsing and checking before other work on the event loop gets its turn. */
const YIELD_AFTER_MS = 5;

class RollBack extends Error {}

/**
 * Streams the CSV through the plan in batches. A dry run only reads. A real import runs in one transaction:
 * all or nothing, unless `skipInvalid`, when valid rows are kept and the rejected ones reported.
 */
export interface ImportOptions {
  dryRun: boolean;
  skipInvalid: boolean;
  /** Told the rows read so far after each batch, for a progress bar. */
  onProgress?: (rows: number) => void;
}

export async function runImport<Row extends ParsedRow>(
  db: Kysely<DB>,
  input: Readable,
  plan: ImportPlan<Row>,
  options: ImportOptions,
): Promise<ImportResult> {
  const counts = { rows: 0, create: 0, update: 0, unchanged: 0, invalid: 0 };
  let unknownColumns: string[] = [];
  const problems = new ProblemLog();

  const execute = async (executor: Executor, writing: boolean) => {
    let write = writing;
    const firstSeen = new FirstSeenLines();
    let batch: Row[] = [];
    const reject = (rowProblems: ImportProblem[]) => {
      counts.invalid += new Set(rowProblems.map((problem) => problem.line)).size;
      problems.add(rowProblems);
      if (!options.skipInvalid) write = false;
    };
    const flush = async () => {
      if (batch.length === 0) return;
      const outcome = await plan.processBatch(executor, batch, write);
      counts.create += outcome.create;
      counts.update += outcome.update;
      counts.unchanged += outcome.unchanged;
      if (outcome.problems.length > 0) reject(outcome.problems);
      batch = [];
      options.onProgress?.(counts.rows);
    };
    const rows = readCsv(input, plan, (header) => {
      unknownColumns = header.unknownColumns;
    });
    let ranSince = performance.now();
    for await (const csvRow of rows) {
      counts.rows++;
      // Rows buffered by the parser come without a pause: let other requests in every few milliseconds.
      if (performance.now() - ranSince > YIELD_AFTER_MS) {
        await setImmediate();
        ranSince = performance.now();
      }
      const parsed = plan.parse(csvRow);
      const rowProblems: ImportProblem[] = [...nulCells(csvRow), ...parsed.problems];
      if (csvRow.extraCells > 0) {
        rowProblems.push({
          line: csvRow.line,
          column: null,
          reason: `The row has ${csvRow.extraCells} more cells than the header`,
        });
      }
      if (parsed.row) {
        for (const unique of plan.uniqueKeys(parsed.row)) {
          const earlier = firstSeen.earlierLine(unique.key, csvRow.line);
          if (earlier !== undefined) {
            rowProblems.push({
              line: csvRow.line,
              column: unique.column,
              reason: `Duplicate ${unique.label} (also on line ${earlier})`,
            });
          }
        }
      }
      if (rowProblems.length > 0 || !parsed.row) {
        reject(rowProblems);
        if (counts.rows % BATCH_SIZE === 0) options.onProgress?.(counts.rows);
        continue;
      }
      batch.push(parsed.row);
      if (batch.length >= BATCH_SIZE) await flush();
    }
    await flush();
  };

  const result = (committed: boolean): ImportResult => ({
    dryRun: options.dryRun,
    committed,
    ...counts,
    unknownColumns,
    ...problems.summary(),
  });
  if (options.dryRun) {
    await execute(db, false);
    return result(false);
  }
  try {
    await db.transaction().execute(async (trx) => {
      await execute(trx, true);
      if (counts.invalid > 0 && !options.skipInvalid) throw new RollBack();
    });
    return result(true);
  } catch (error) {
    if (!(error instanceof RollBack)) throw error;
  }
  return result(false);
}

/** PostgreSQL cannot store a NUL in text: the row is rejected in a dry run and a real import alike. */
function nulCells(row: CsvRow): ImportProblem[] {
  return Object.entries(row.cells)
    .filter(([, cell]) => cell.includes('\u0000'))
    .map(([column]) => ({ line: row.line, column, reason: 'The cell contains a NUL character' }));
}

/** Accepts `In service`, `in-service` and `IN_SERVICE` alike. */
export function enumValue<T extends string>(cell: string, allowed: readonly T[]): T | undefined {
  const normalized = cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return allowed.find((value) => value === normalized);
}

/** ISO dates, and the month/day/year form US spreadsheets export. */
export function dateValue(cell: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(cell);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(cell);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : [];
  if (!year || !month || !day) return undefined;
  const text = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  const parsed = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== text ? undefined : text;
}
