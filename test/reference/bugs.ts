// Inputs in ../shared/bugs (re-created users' bug reports against R), read as numeric columns.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const BUGS_DIR = path.resolve(process.cwd(), '../shared/bugs');

/** data.csv of one bug folder as columns: numbers where every value parses, else strings. */
export function readBugColumns(name: string): Record<string, (number | string)[]> {
  const lines = readFileSync(path.join(BUGS_DIR, name, 'data.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const cols: Record<string, (number | string)[]> = Object.fromEntries(header.map((h) => [h, []]));
  for (const line of lines.slice(1)) line.split(',').forEach((v, j) => cols[header[j]].push(v));
  for (const h of header) {
    if (cols[h].every((v) => v !== '' && Number.isFinite(Number(v)))) cols[h] = cols[h].map(Number);
  }
  return cols;
}
