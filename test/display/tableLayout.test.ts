// src/display/tableLayout.ts: no rendered table is wider than the column budget; wide tables are
// transposed (few rows, as modelsummary's goodness-of-fit rows) or split into panels (many rows),
// and every cell (with its count tag) is still shown exactly once.
import { describe, expect, it } from 'vitest';
import { COLUMN_BUDGET, fitColumns, partCaption, TRANSPOSE_MAX_ROWS, type Grid, type GridCell } from '../../src/display/tableLayout';

const cell = (text: string, numeric = true, count = false): GridCell => ({ text, count, numeric, nowrap: numeric });

function grid(nRows: number, nCols: number, named = true): Grid {
  return {
    headers: Array.from({ length: nCols }, (_, j) => ({ text: j === 0 ? 'outcome' : `stat ${j}`, count: j === 1 })),
    rows: Array.from({ length: nRows }, (_, i) => Array.from({ length: nCols }, (_, j) =>
      (j === 0 ? cell(named ? `model ${i + 1}` : String(i + 1), !named) : cell(`${i}.${j}`, true, j === 1)))),
  };
}

/** Every body cell's text, with its count flag, in any order. */
const body = (gs: Grid[]) => gs.flatMap((g) => g.rows.flatMap((r) => r.filter((c) => !c.label).slice(0))).map((c) => `${c.text}|${c.count}`);

describe('fitColumns', () => {
  it('leaves a table within the budget as it is', () => {
    const g = grid(30, COLUMN_BUDGET);
    expect(fitColumns(g)).toEqual([g]);
  });

  it('turns a wide table of few rows (glance rows of 2 models, 17 statistics) on its side: statistics as rows, models as columns', () => {
    const g = grid(2, 17);
    const [t, ...more] = fitColumns(g);
    expect(more).toHaveLength(0);
    expect(t.headers.map((h) => h.text)).toEqual(['outcome', 'model 1', 'model 2']);
    expect(t.rows).toHaveLength(16);
    expect(t.rows[0].map((c) => c.text)).toEqual(['stat 1', '0.1', '1.1']);
    expect(t.rows[0][0].label).toBe(true);
    // the count column's cells keep their disclosure flag in the transposed row
    expect(t.rows[0].slice(1).every((c) => c.count)).toBe(true);
    expect(t.rows[1].slice(1).some((c) => c.count)).toBe(false);
  });

  it('leaves out a statistic that is blank for every model (θ of Poisson fits), keeps one blank for some', () => {
    const g = grid(2, 12);
    const blank = (r: readonly GridCell[], j: number) => r.map((c, k) => (k === j ? cell('') : c));
    const h: Grid = { headers: g.headers, rows: [blank(blank(g.rows[0], 3), 4), blank(g.rows[1], 3)] };
    const [t] = fitColumns(h);
    expect(t.rows.map((r) => r[0].text)).not.toContain('stat 3');
    expect(t.rows.find((r) => r[0].text === 'stat 4')!.map((c) => c.text)).toEqual(['stat 4', '', '1.4']);
  });

  it('a single wide row (one glance()) becomes a Value column; rows without names become Row 1, Row 2', () => {
    const [one] = fitColumns(grid(1, 14));
    expect(one.headers.map((h) => h.text)).toEqual(['', 'Value']);
    expect(one.rows).toHaveLength(14);
    const [two] = fitColumns(grid(2, 14, false));
    expect(two.headers.map((h) => h.text)).toEqual(['', 'Row 1', 'Row 2']);
  });

  it('splits a wide table of many rows into panels of at most the budget, each repeating the label column', () => {
    const g = grid(TRANSPOSE_MAX_ROWS + 6, 25);
    const panels = fitColumns(g);
    expect(panels.length).toBe(Math.ceil(24 / (COLUMN_BUDGET - 1)));
    for (const p of panels) {
      expect(p.headers.length).toBeLessThanOrEqual(COLUMN_BUDGET);
      expect(p.headers[0].text).toBe('outcome');
      expect(p.rows.map((r) => r[0].text)).toEqual(g.rows.map((r) => r[0].text));
    }
    expect(panels.map((p) => p.part)).toEqual(panels.map((_, k) => ({ index: k + 1, of: panels.length })));
    // every cell of the input shown once (the label column once per panel)
    const shown = panels.flatMap((p) => p.rows.flatMap((r) => r.slice(1)));
    expect(shown.map((c) => `${c.text}|${c.count}`).sort()).toEqual(g.rows.flatMap((r) => r.slice(1)).map((c) => `${c.text}|${c.count}`).sort());
  });

  it('never returns a grid wider than the budget, whatever the shape', () => {
    for (const rows of [1, 2, TRANSPOSE_MAX_ROWS, TRANSPOSE_MAX_ROWS + 1, 40]) {
      for (const cols of [2, COLUMN_BUDGET, COLUMN_BUDGET + 1, 17, 40]) {
        const gs = fitColumns(grid(rows, cols));
        for (const g of gs) expect(g.headers.length, `${rows} × ${cols}`).toBeLessThanOrEqual(COLUMN_BUDGET);
        expect(body(gs).length, `${rows} × ${cols}`).toBeGreaterThanOrEqual(rows * (cols - 1));
      }
    }
  });
});

describe('partCaption', () => {
  it('names the part of a split table, falls back to "Table", and leaves a whole table\'s caption alone', () => {
    const part = { index: 2, of: 3 };
    expect(partCaption('Prevalence', undefined)).toBe('Prevalence');
    expect(partCaption(undefined, undefined)).toBeUndefined();
    expect(partCaption('Prevalence', part)).toBe('Prevalence (part 2 of 3)');
    expect(partCaption(undefined, part)).toBe('Table (part 2 of 3)');
  });
});
