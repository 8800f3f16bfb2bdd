import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type ImportProblem, type ImportResult, PERSON_KINDS } from '../../common/inventory.ts';
import { type AuditEntry, recordAuditBatch } from '../audit/service.ts';
import type { RequestContext } from '../context.ts';
import type { DB, PersonRow } from '../db/schema.ts';
import {
  type BatchOutcome,
  type Executor,
  enumValue,
  type ImportOptions,
  type ImportPlan,
  runImport,
} from './csv/import-runner.ts';
import type { CsvRow } from './csv/read-csv.ts';
import * as queries from './import-queries.ts';
import { changedFields } from './mapping.ts';

const COLUMNS = ['external_id', 'email', 'name', 'kind', 'grade', 'school', 'active'] as const;
const LIMITS: Record<(typeof COLUMNS)[number], number> = {
  external_id: 100,
  email: 254,
  name: 200,
  kind: 20,
  grade: 20,
  school: 200,
  active: 10,
};
const EmailCell = z.email();
const TRUE = ['true', 'yes', 'y', '1', 'active'];
const FALSE = ['false', 'no', 'n', '0', 'inactive'];

interface PersonImportRow {
  line: number;
  externalId?: string;
  email?: string;
  name: string;
  kind?: 'student' | 'staff';
  grade?: string;
  school?: string;
  active?: boolean;
}

function parseRow({ line, cells }: CsvRow): ReturnType<ImportPlan<PersonImportRow>['parse']> {
  const problems: ImportProblem[] = [];
  const cell = (column: (typeof COLUMNS)[number]) => {
    const value = cells[column];
    if (!value) return undefined;
    if (value.length > LIMITS[column]) {
      problems.push({ line, column, reason: `Longer than ${LIMITS[column]} characters (${value.length})` });
      return undefined;
    }
    return value;
  };
  const row: PersonImportRow = { line, name: cell('name') ?? '' };
  if (!row.name && !problems.length) problems.push({ line, column: 'name', reason: 'Name is required' });
  const externalId = cell('external_id');
  if (externalId) row.externalId = externalId;
  const email = cell('email');
  if (email) {
    if (EmailCell.safeParse(email).success) row.email = email.toLowerCase();
    else problems.push({ line, column: 'email', reason: `"${email}" is not an email address` });
  }
  if (!externalId && !email && !problems.length) {
    problems.push({
      line,
      column: 'external_id',
      reason: 'Each person needs an external id or an email, so re-imports find them',
    });
  }
  const kind = cell('kind');
  if (kind) {
    row.kind = enumValue(kind, PERSON_KINDS);
    if (!row.kind)
      problems.push({ line, column: 'kind', reason: `Unknown kind "${kind}"; use student or staff` });
  }
  const grade = cell('grade');
  if (grade) row.grade = grade;
  const school = cell('school');
  if (school) row.school = school;
  const active = cell('active')?.toLowerCase();
  if (active) {
    if (TRUE.includes(active)) row.active = true;
    else if (FALSE.includes(active)) row.active = false;
    else problems.push({ line, column: 'active', reason: `"${active}" is not true or false` });
  }
  return problems.length > 0 ? { row: undefined, problems } : { row, problems: [] };
}

function toRecord(person: PersonRow): queries.PersonRecord {
  return {
    id: person.id,
    kind: person.kind,
    external_id: person.external_id,
    email: person.email,
    name: person.name,
    grade: person.grade,
    school_id: person.school_id,
    active: person.active,
  };
}

export function peoplePlan(ctx: RequestContext): ImportPlan<PersonImportRow> {
  let schools: Map<string, string> | undefined;

  async function processBatch(db: Executor, rows: PersonImportRow[], write: boolean): Promise<BatchOutcome> {
    schools ??= await queries.schoolLookup(db, ctx.districtId);
    const stored = await queries.peopleByIdentity(
      db,
      ctx.districtId,
      rows.flatMap((row) => (row.externalId ? [row.externalId] : [])),
      rows.flatMap((row) => (row.email ? [row.email] : [])),
    );
    const byExternalId = new Map(
      stored.flatMap((person) => (person.external_id ? [[person.external_id, person] as const] : [])),
    );
    const byEmail = new Map(
      stored.flatMap((person) => (person.email ? [[person.email.toLowerCase(), person] as const] : [])),
    );

    const outcome: BatchOutcome = { create: 0, update: 0, unchanged: 0, problems: [] };
    const creates: queries.PersonRecord[] = [];
    const updates: {
      record: queries.PersonRecord;
      before: PersonRow;
      diff: Record<string, { from: unknown; to: unknown }>;
    }[] = [];
    for (const row of rows) {
      const before = row.externalId ? byExternalId.get(row.externalId) : byEmail.get(row.email ?? '');
      const emailOwner = row.email ? byEmail.get(row.email) : undefined;
      const problems: ImportProblem[] = [];
      if (emailOwner && emailOwner.id !== before?.id) {
        problems.push({
          line: row.line,
          column: 'email',
          reason: `Email ${row.email} already belongs to ${emailOwner.name}`,
        });
      }
      let schoolId: string | undefined;
      if (row.school) {
        schoolId = schools.get(row.school.toLowerCase());
        if (!schoolId)
          problems.push({
            line: row.line,
            column: 'school',
            reason: `No school named or coded "${row.school}"`,
          });
      }
      if (problems.length > 0) {
        outcome.problems.push(...problems);
        continue;
      }
      const next: queries.PersonRecord = {
        ...(before
          ? toRecord(before)
          : { kind: 'student', external_id: null, email: null, grade: null, school_id: null, active: true }),
        name: row.name,
      };
      if (row.kind) next.kind = row.kind;
      if (row.externalId) next.external_id = row.externalId;
      if (row.email) next.email = row.email;
      if (row.grade) next.grade = row.grade;
      if (schoolId) next.school_id = schoolId;
      if (row.active !== undefined) next.active = row.active;
      if (!before) {
        outcome.create++;
        creates.push(next);
        continue;
      }
      const diff = changedFields(
        toRecord(before) as unknown as Record<string, unknown>,
        next as unknown as Record<string, unknown>,
      );
      if (Object.keys(diff).length === 0) {
        outcome.unchanged++;
        continue;
      }
      outcome.update++;
      updates.push({ record: next, before, diff });
    }
    if (!write) return outcome;
    const inserted = await queries.insertPeople(db, ctx.districtId, creates);
    await queries.updatePeople(
      db,
      ctx.districtId,
      updates.map((update) => update.record),
    );
    const events: AuditEntry[] = [
      ...inserted.map((person) => ({
        action: 'person.created',
        subjectType: 'person',
        subjectId: person.id,
        details: { externalId: person.external_id, email: person.email, source: 'csv_import' },
      })),
      ...updates.map((update) => ({
        action: 'person.updated',
        subjectType: 'person',
        subjectId: update.before.id,
        details: { name: update.before.name, changes: update.diff, source: 'csv_import' },
      })),
    ];
    await recordAuditBatch(ctx, db, events);
    return outcome;
  }

  return {
    known: COLUMNS,
    required: ['name'],
    parse: parseRow,
    uniqueKeys: (row) => [
      ...(row.externalId
        ? [{ key: `external:${row.externalId}`, column: 'external_id', label: 'external id' }]
        : []),
      ...(row.email ? [{ key: `email:${row.email}`, column: 'email', label: 'email' }] : []),
    ],
    processBatch,
  };
}

export async function importPeople(
  ctx: RequestContext,
  db: Kysely<DB>,
  csv: Readable,
  options: ImportOptions,
): Promise<ImportResult> {
  return runImport(db, csv, peoplePlan(ctx), options);
}
