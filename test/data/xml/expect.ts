// Checks a bad extract's expect.json conditions (../shared/bad-extracts/README.md) against the
// findings of the XML reader: a finding whose field, value, message or child id mentions one of
// `mention`, whose line is one of `row`, in `file`, and whose message has a word of each `mention_all` group.
import * as fs from 'fs';
import * as path from 'path';
import type { Finding } from '../../../src/data/staging';

export const badDir = path.resolve(process.cwd(), '../shared/bad-extracts');

export interface Condition {
  accept: string[];
  mention?: string[];
  mention_all?: string[][];
  row?: number | number[];
  file?: string;
  locate_text?: string[];
  also?: Condition[];
  or_kept?: Array<{ column: string; values: string[] }>;
  counts?: { tables?: Record<string, number> };
}

export function readExpect(caseName: string): Condition {
  return JSON.parse(fs.readFileSync(path.join(badDir, caseName, 'expect.json'), 'utf8')) as Condition;
}

/** the findings that satisfy one condition (empty when none does) */
export function matching(findings: Finding[], c: Condition): Finding[] {
  const rows = c.row === undefined ? null : Array.isArray(c.row) ? c.row : [c.row];
  return findings.filter((f) => {
    const hay = `${f.field} ${f.value} ${f.message} ${f.childId ?? ''}`.toLowerCase();
    if (c.mention && !c.mention.some((m) => hay.includes(m.toLowerCase()))) return false;
    if (c.mention_all && !c.mention_all.every((g) => g.some((m) => hay.includes(m.toLowerCase())))) return false;
    if (rows && (f.line === null || !rows.includes(f.line))) return false;
    if (c.file && path.basename(f.file) !== c.file) return false;
    if (c.locate_text && !c.locate_text.some((t) => hay.includes(t.toLowerCase()))) return false;
    const kind = f.action === 'excluded' ? 'exclusion' : 'warning';
    return c.accept.includes(kind);
  });
}
