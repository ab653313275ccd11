// The checked-in notebooks keep the style rule (cells ≤ 15 code lines, no `any`, no loops); the rule
// itself flags each kind of offending cell.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { cellStyleProblems } from '../../scripts/notebook/cell-style';
import type { Notebook } from '../../scripts/notebook/nbformat';

const dir = path.resolve(__dirname, '../../notebooks');
const code = (source: string) => ({ cell_type: 'code' as const, metadata: {}, source, execution_count: null, outputs: [] });
const nb = (...sources: string[]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: sources.map(code) });

describe('notebook cell style', () => {
  it('flags long cells, any and loops, but not comments or blank lines', () => {
    const long = Array.from({ length: 16 }, (_, i) => `const a${i} = ${i};`).join('\n');
    const ok = ['// a comment', '', ...Array.from({ length: 15 }, (_, i) => `f(${i});`)].join('\n');
    const problems = cellStyleProblems(nb(long, ok, 'const t: any = 1;', 'g(x as any);', 'for (const r of rows) f(r);', 'while (i < 3) i++;', 'const anyway = before;'), 'x.ipynb');
    expect(problems.map((p) => p.cell)).toEqual([1, 3, 4, 5, 6]);
    expect(problems[0].detail).toMatch(/16 code lines/);
  });
  it('every notebook in notebooks/ keeps the rule', () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort();
    expect(files.length).toBeGreaterThanOrEqual(6);
    const problems = files.flatMap((f) => cellStyleProblems(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as Notebook, f));
    expect(problems.map((p) => `${p.notebook} cell ${p.cell}: ${p.detail}`)).toEqual([]);
  });
});
