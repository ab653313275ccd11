/**
 * The findings table: every rule that fires writes one row (source, file, line, field, value, rule,
 * action, message, child_id). action 'excluded' drops the record, 'value_dropped' keeps the record
 * with that value set to missing, 'warning' keeps it with a note, 'merged' marks a duplicate copy.
 * data.exclusions and data.warnings are views of it.
 */
import { Store, lit } from './db';

export interface FindingRow {
  source: string; file: string; line: number | null; field: string; value: string; rule: string;
  action: 'excluded' | 'value_dropped' | 'warning' | 'merged'; message: string; childId?: string | null;
}

export async function createFindings(store: Store): Promise<void> {
  await store.exec(`CREATE OR REPLACE TABLE findings (source VARCHAR, file VARCHAR, line INTEGER, field VARCHAR, value VARCHAR,
    rule VARCHAR, action VARCHAR, message VARCHAR, child_id VARCHAR)`);
}

export async function addFinding(store: Store, f: FindingRow): Promise<void> {
  await store.exec(`INSERT INTO findings VALUES (${lit(f.source)}, ${lit(f.file)}, ${f.line === null ? 'NULL' : f.line}, ${lit(f.field)}, ${lit(f.value)},
    ${lit(f.rule)}, ${lit(f.action)}, ${lit(f.message)}, ${lit(f.childId ?? null)})`);
}

/** a file with no data records (header only, or a return with no episodes): said, naming what it leaves out, never a silent 0 */
export async function addNoRows(store: Store, source: string, file: string, what: string, consequence: string): Promise<void> {
  const base = file.split(/[\\/]/).pop() ?? file;
  await addFinding(store, { source, file, line: null, field: '', value: '', rule: 'no_rows', action: 'warning', message: `${base} has no data rows (${what}, 0 records): ${consequence}` });
}
