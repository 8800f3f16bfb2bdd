import type { ImportProblem, ImportResult } from '../../../common/inventory.ts';

/** Problems kept with their line: enough to fix a file, whose first problems usually show what is wrong. */
export const MAX_PROBLEMS_KEPT = 1000;
/** Distinct reasons counted; a file with more is counted under one "other" entry past this. */
const MAX_REASONS = 100;
const OTHER_REASONS = 'Other problems';

/**
 * Collects an import's problems in bounded memory: the first 1,000 in full, and a count of every problem by
 * column and reason (values quoted in a reason, and parenthesized details, left out so like problems count
 * together), however many rows a file has.
 */
export class ProblemLog {
  readonly kept: ImportProblem[] = [];
  total = 0;
  private readonly byReason = new Map<string, { column: string | null; reason: string; count: number }>();

  add(problems: readonly ImportProblem[]): void {
    for (const problem of problems) {
      this.total++;
      if (this.kept.length < MAX_PROBLEMS_KEPT) this.kept.push(problem);
      this.count(problem.column, reasonKind(problem.reason));
    }
  }

  summary(): Pick<ImportResult, 'problems' | 'problemCount' | 'problemsByReason'> {
    const problemsByReason = [...this.byReason.values()].sort((a, b) => b.count - a.count);
    return { problems: this.kept, problemCount: this.total, problemsByReason };
  }

  private count(column: string | null, reason: string): void {
    let key = `${column ?? ''}\u0000${reason}`;
    if (!this.byReason.has(key) && this.byReason.size >= MAX_REASONS) {
      key = `\u0000${OTHER_REASONS}`;
      if (!this.byReason.has(key)) this.byReason.set(key, { column: null, reason: OTHER_REASONS, count: 0 });
    }
    const entry = this.byReason.get(key);
    if (entry) entry.count++;
    else this.byReason.set(key, { column, reason, count: 1 });
  }
}

function reasonKind(reason: string): string {
  return reason
    .replace(/"[^"]*"/g, '"…"')
    .replace(/\s*\([^)]*\)/g, '')
    .trim();
}
