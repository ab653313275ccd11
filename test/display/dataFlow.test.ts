// The data-flow table as shown (src/display/dataFlow): file names, never folders; counts protected.
import { describe, expect, it } from 'vitest';
import { dataFlowTable, fileName, tableHtml } from '../../src/display/index';

const flow = [
  { source: 'cin', file: '/secure/tre/project-123/users/jdoe/extracts/cin.csv', rows_read: 108375, duplicates_merged: 34385, rows_excluded: 3, rows_analysed: 73987 },
  { source: 'cla', file: 'C:\\TRE\\extracts\\cla.csv', rows_read: 5430, duplicates_merged: 0, rows_excluded: 0, rows_analysed: 5430 },
  { source: 'newsource', file: 'x.xml', rows_read: 20, duplicates_merged: 0, rows_excluded: 0, rows_analysed: 20 },
];

describe('dataFlowTable', () => {
  it('shows the source kind and the file name only, for / and \\ paths', () => {
    const t = dataFlowTable(flow, { minCount: 10, roundTo: 5 });
    expect(t.rows.slice(0, 3).map((r) => r.file)).toEqual(['cin.csv', 'cla.csv', 'x.xml']);
    expect(t.rows[0].source).toBe('CIN census');
    expect(t.rows[2].source).toBe('newsource');
    const html = tableHtml(t);
    expect(html).not.toMatch(/secure|jdoe|TRE|extracts/);
    expect(html).toContain('<th data-sdc="count" style="text-align:right">Rows read</th>');
    expect(html).not.toContain('rows_read');
  });
  it('protects the counts: a small count is suppressed, others rounded', () => {
    const t = dataFlowTable(flow, { minCount: 10, roundTo: 5 });
    expect(t.countColumns).toEqual(['rows_read', 'duplicates_merged', 'rows_excluded', 'rows_analysed']);
    expect(t.rows[0].rows_excluded).toBe('[c]');
    expect(t.rows[0].rows_read).toBe(108375);
    expect(t.rows[0].rows_analysed).not.toBe(73987);
  });
  it('fileName', () => {
    expect([fileName('/a/b/c.csv'), fileName('c.csv'), fileName('D:\\x\\y.xml')]).toEqual(['c.csv', 'c.csv', 'y.xml']);
  });
});

describe('flowTable', () => {
  it('shows the steps of a sample flow in words, never the flow keys, with protected counts', async () => {
    const { flowTable } = await import('../../src/display/dataFlow');
    const flow = { episodes: 73990, open_at_end: 6790, closed_after_end: 0, adopted_or_died: 3, rows: 67197, events: 26960 };
    const t = flowTable(flow, 'episodes', { minCount: 10, roundTo: 5 });
    expect(t.rows.map((r) => r.step)).toEqual([
      'CIN episodes', 'Excluded: still open at the end of the data', 'Excluded: closed after the end of the data',
      'Excluded: closed by adoption or death (RC1, RC2)', 'Entering the survival analysis', 'of which re-referred',
    ]);
    for (const r of t.rows) expect(String(r.step)).not.toMatch(/_/);
    expect(t.rows.map((r) => r.episodes)).toEqual([73990, 6790, 0, '[c]', 67195, 26960]);
    expect(t.countColumns).toEqual(['episodes']);
    // an unknown step keeps its name
    expect(flowTable({ custom_step: 20 }, 'rows').rows[0].step).toBe('custom_step');
  });
});
