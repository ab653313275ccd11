// Rendering publication tables (src/report/render): U+2212 on the page, ASCII '-' in CSV.
import { describe, expect, it } from 'vitest';
import { tableCsv, tableHtml, tableText, type PublicationTable } from '../../src/report/index';
import { formatEstimate } from '../../src/display/index';

const t: PublicationTable = {
  caption: 'c', columns: ['Estimate (95% CI)'], spanners: [{ label: 'M1', span: 1 }], notes: [], rules: { minCount: 10, roundTo: 5, secondary: true } as PublicationTable['rules'],
  rows: [{ kind: 'term', label: 'Age', indent: false, cells: [`${formatEstimate(-0.25)} (${formatEstimate(-0.4)} to ${formatEstimate(-0.1)})`] }],
};

describe('render', () => {
  it('shows U+2212 in HTML and text, and ASCII minus in CSV so the numbers parse', () => {
    expect(tableHtml(t)).toContain('\u22120.25 (\u22120.40 to \u22120.10)');
    expect(tableText(t)).toContain('\u22120.25');
    const csv = tableCsv(t);
    expect(csv).not.toContain('\u2212');
    expect(csv.split('\n')[1]).toBe('Age,-0.25 (-0.40 to -0.10)');
    expect(Number(csv.split('\n')[1].split(',')[1].split(' ')[0])).toBe(-0.25);
  });
});

describe('models side by side beyond the column budget', () => {
  // 6 models × (estimate, p) = 12 columns + the label column: wider than any rendered table may be.
  const wide: PublicationTable = {
    caption: 'Staged models', rules: t.rules, notes: ['a note'],
    columns: Array.from({ length: 6 }, () => ['HR (95% CI)', 'p']).flat(),
    spanners: Array.from({ length: 6 }, (_, k) => ({ label: `M${k + 1}`, span: 2 })),
    rows: [
      { kind: 'term', label: 'Age', indent: false, cells: Array.from({ length: 6 }, (_, k) => [`1.${k}0 (1.00 to 1.50)`, '0.010']).flat() },
      { kind: 'stat', label: 'N (rows used)', indent: false, cells: Array.from({ length: 6 }, (_, k) => [`${k + 1},000`, '']).flat(), countCells: Array.from({ length: 6 }, () => [true, false]).flat() },
    ],
  };
  it('HTML: panels of whole models within the budget, the label column in each, notes once under the last', async () => {
    const { COLUMN_BUDGET } = await import('../../src/display/tableLayout');
    const html = tableHtml(wide);
    const tables = [...html.matchAll(/<table[\s\S]*?<\/table>/g)].map((m) => m[0]);
    expect(tables.length).toBe(2);
    for (const [k, tab] of tables.entries()) {
      const head = /<tr><th[^>]*>Characteristic<\/th>([\s\S]*?)<\/tr>/.exec(tab)![1];
      expect((head.match(/<th\b/g) ?? []).length + 1).toBeLessThanOrEqual(COLUMN_BUDGET);
      expect(tab).toContain(`Staged models (part ${k + 1} of 2)`);
      expect(tab).toContain('>Age<');
    }
    expect(tables[0]).toContain('>M1<');
    expect(tables[0]).not.toContain('>M5<');
    expect(tables[1]).toContain('>M6<');
    // every count cell still tagged: 6 models' N
    expect((html.match(/data-sdc="count"/g) ?? []).length).toBe(6);
    expect((html.match(/a note/g) ?? []).length).toBe(1);
  });
  it('text: the same panels, each captioned, whose columns together are the original ones; notes once at the end', () => {
    // 7 models × (estimate, p) = 14 columns: two panels of whole models
    const seven: PublicationTable = { ...wide, columns: Array.from({ length: 7 }, () => ['HR (95% CI)', 'p']).flat(), spanners: Array.from({ length: 7 }, (_, k) => ({ label: `M${k + 1}`, span: 2 })),
      rows: wide.rows.map((r) => ({ ...r, cells: Array.from({ length: 7 }, (_, k) => [r.kind === 'stat' ? `${k + 1},000` : `1.${k}0 (1.00 to 1.50)`, r.kind === 'stat' ? '' : `0.0${k}1`]).flat() })) };
    const panels = tableText(seven).split('\n\n');
    expect(panels.length).toBe(2);
    const heads: string[] = [];
    const ages: string[] = [];
    for (const [k, p] of panels.entries()) {
      const lines = p.split('\n');
      expect(lines[0]).toBe(`Staged models (part ${k + 1} of 2)`);
      heads.push(...lines[1].trim().split(/\s+/));
      ages.push(...lines[3].replace(/^Age\s+/, '').split(/\s{2,}/));
    }
    expect(heads).toEqual(seven.spanners.map((s) => s.label));
    expect(ages).toEqual(seven.rows[0].cells);
    expect(tableText(seven).match(/a note/g)).toHaveLength(1);
    expect(panels[1].endsWith('a note')).toBe(true);
  });
  it('text: a table within the budget is one panel with its own caption', () => {
    const text = tableText(t);
    expect(text.split('\n')[0]).toBe('c');
    expect(text).not.toContain('part');
    expect(text).not.toContain('\n\n');
  });
});
