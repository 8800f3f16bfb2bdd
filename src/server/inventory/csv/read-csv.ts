import { type Readable, Transform } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { Invalid } from '../../errors.ts';

export interface CsvRow {
  /** 1-based line in the file where the record starts, header included. */
  line: number;
  cells: Record<string, string>;
  /** Cells beyond the header's columns (a stray comma, say). */
  extraCells: number;
}

export interface CsvHeader {
  columns: string[];
  unknownColumns: string[];
}

/** Largest record accepted; a longer one means a broken file (an unclosed quote swallowing the rest, say). */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;
/** Most columns a header may name: the known columns are a dozen, a spreadsheet export rarely has 50. */
export const MAX_COLUMNS = 200;
/** Largest upload accepted: far above a 300,000-device district's inventory. */
export const MAX_CSV_BYTES = 256 * 1024 * 1024;

/** Rejects bytes that are not UTF-8, naming the line, instead of silently storing replacement characters. */
function utf8Text(): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  let lines = 1;
  const fail = (callback: (error: Error) => void, badLine: number) =>
    callback(
      new Invalid(
        `The file is not UTF-8 text (invalid bytes on line ${badLine}); save it as "CSV UTF-8" and try again`,
        { line: badLine },
      ),
    );
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, callback) {
      if (offset + chunk.length > MAX_CSV_BYTES) {
        callback(
          new Invalid(
            `The file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split it and import the parts`,
          ),
        );
        return;
      }
      try {
        const text = decoder.decode(chunk, { stream: true });
        offset += chunk.length;
        lines += countLineFeeds(text);
        callback(null, text);
      } catch {
        const lenient = new TextDecoder().decode(chunk);
        fail(callback, lines + countLineFeeds(lenient.slice(0, lenient.indexOf('\uFFFD'))));
      }
    },
    flush(callback) {
      try {
        callback(null, decoder.decode());
      } catch {
        fail(callback, lines);
      }
    },
  });
}

function countLineFeeds(text: string): number {
  let count = 0;
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) count++;
  return count;
}

function normalizeHeader(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Streams a CSV upload as rows keyed by lower-cased header names. Handles a BOM, CRLF and quoted newlines;
 * anything structurally wrong (not UTF-8, no header, a missing required column, broken quoting) is an
 * `Invalid` error naming the line, raised before the caller has written anything for that row.
 */
export async function* readCsv(
  input: Readable,
  spec: { known: readonly string[]; required: readonly string[] },
  onHeader: (header: CsvHeader) => void,
): AsyncGenerator<CsvRow> {
  const parser = parse({
    bom: true,
    relax_column_count: true,
    max_record_size: MAX_RECORD_BYTES,
  });
  input.on('error', (error) => parser.destroy(error));
  const records = input
    .pipe(utf8Text())
    .on('error', (error) => parser.destroy(error))
    .pipe(parser);
  let columns: string[] | undefined;
  // Lines are counted here: the parser's own count goes wrong after a quoted CRLF.
  let nextLine = 1;
  try {
    for await (const record of records as AsyncIterable<string[]>) {
      const line = nextLine;
      nextLine += 1 + lineBreaks(record);
      if (record.every((cell) => cell.trim() === '')) continue;
      if (!columns) {
        columns = record.map(normalizeHeader);
        onHeader(checkHeader(columns, spec, line));
        continue;
      }
      const cells: Record<string, string> = {};
      columns.forEach((name, index) => {
        if (spec.known.includes(name)) cells[name] = (record[index] ?? '').trim();
      });
      const width = columns.length;
      const extraCells = record.filter((cell, index) => index >= width && cell.trim() !== '').length;
      yield { line, cells, extraCells };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw new Invalid(`The file is not valid CSV${line ? ` (line ${line})` : ''}: ${error.message}`);
    }
    throw error;
  }
  if (!columns) throw new Invalid('The file is empty; the first line must be a header naming the columns');
}

/** Reads only as far as the header and checks it, so a file that cannot be imported is refused at once. */
export async function checkCsvHeader(
  input: Readable,
  spec: { known: readonly string[]; required: readonly string[] },
): Promise<void> {
  let checked = false;
  try {
    for await (const _row of readCsv(input, spec, () => {
      checked = true;
    })) {
      if (checked) break;
    }
  } finally {
    input.destroy();
  }
}

function checkHeader(
  columns: string[],
  spec: { known: readonly string[]; required: readonly string[] },
  line: number,
): CsvHeader {
  if (columns.length > MAX_COLUMNS) {
    throw new Invalid(
      `The header has ${columns.length} columns; Satchel reads at most ${MAX_COLUMNS}. Remove the columns it does not need`,
      { line, columns: columns.length, maxColumns: MAX_COLUMNS },
    );
  }
  const missing = spec.required.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    throw new Invalid(
      `The first line must be a header naming the columns; missing required column ${missing.join(', ')}`,
      { line, columns },
    );
  }
  const seen = new Set<string>();
  const duplicated = new Set<string>();
  for (const name of columns) {
    if (name !== '' && seen.has(name)) duplicated.add(name);
    seen.add(name);
  }
  if (duplicated.size > 0)
    throw new Invalid(`The header names ${[...duplicated].join(', ')} more than once`, { line });
  return { columns, unknownColumns: columns.filter((name) => name !== '' && !spec.known.includes(name)) };
}

function lineBreaks(record: string[]): number {
  let count = 0;
  for (const cell of record) count += cell.match(/\r\n|\r|\n/g)?.length ?? 0;
  return count;
}
