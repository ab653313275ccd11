import { readFileSync } from 'node:fs';
import path from 'node:path';

export const REF = path.resolve(process.cwd(), '../shared/reference');

export interface LcaFixture {
  header: string[];
  /** items recoded from poLCA's 1..C to 0..C−1, null = missing */
  rows: Array<Array<number | null>>;
  /** non-item columns, by name */
  extra: Record<string, number[]>;
  items: string[];
  expected: any;
  spec: any;
}

export function loadLca(name: string, items?: string[]): LcaFixture {
  const dir = path.join(REF, name);
  const lines = readFileSync(path.join(dir, 'data.csv'), 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const itemNames = items ?? header.filter((h) => /^u\d+$/.test(h));
  const itemIdx = itemNames.map((it) => header.indexOf(it));
  const extra: Record<string, number[]> = {};
  for (const h of header) if (!itemNames.includes(h)) extra[h] = [];
  const rows = lines.slice(1).map((l, li) => {
    const f = l.split(',');
    if (f.length !== header.length) throw new Error(`${name}/data.csv line ${li + 2}: ${f.length} fields`);
    for (const h of Object.keys(extra)) extra[h].push(Number(f[header.indexOf(h)]));
    return itemIdx.map((i) => (f[i] === '' ? null : Number(f[i]) - 1));
  });
  return {
    header,
    rows,
    extra,
    items: itemNames,
    expected: JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')),
    spec: JSON.parse(readFileSync(path.join(dir, 'spec.json'), 'utf8')),
  };
}

/** poLCA's {item: K × C} into itemProbs[class][item][category] */
export function toItemProbs(byItem: Record<string, number[][]>, items: string[]): number[][][] {
  const K = byItem[items[0]].length;
  return Array.from({ length: K }, (_, k) => items.map((it) => byItem[it][k]));
}

/** |a − b| ≤ rtol·|b| + atol elementwise over nested arrays; returns the worst excess (≤ 0 passes) */
export function worstExcess(a: unknown, b: unknown, rtol: number, atol: number): number {
  if (typeof b === 'number') {
    const x = a as number;
    return Math.abs(x - b) - (rtol * Math.abs(b) + atol);
  }
  const aa = a as unknown[];
  const bb = b as unknown[];
  if (!Array.isArray(aa) || aa.length !== bb.length) throw new Error(`shape mismatch: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`);
  let w = -Infinity;
  for (let i = 0; i < bb.length; i++) w = Math.max(w, worstExcess(aa[i], bb[i], rtol, atol));
  return w;
}

export function relClose(a: number, b: number, rtol: number): boolean {
  return Math.abs(a - b) <= rtol * Math.abs(b);
}
