import { describe, it, expect } from 'vitest';
import * as aq from 'arquero';
import { publicationBundle, sectionsBundle } from '../../src/report/bundle';
import { modelTable } from '../../src/report/modelTable';
import { tableHtml, tableText } from '../../src/report/render';
import { ols } from '../../src/regression/index';
import { protectTable, checkNotebook } from '../../src/display/index';

const asNotebook = (bundle: { data: Record<string, string> }) =>
  ({ cells: [{ cell_type: 'code', source: '', outputs: [{ output_type: 'display_data', ...bundle }] }] });

describe('publicationBundle', () => {
  // y = 1 + 2x exactly, 60 rows: N is a count the bundle must show rounded and tagged
  const x = Array.from({ length: 60 }, (_, i) => i % 7);
  const fit = ols(aq.table({ x, y: x.map((v) => 1 + 2 * v) }) as any, { formula: 'y ~ x' });
  const t = modelTable({ OLS: fit }, { caption: 'Straight line' });
  it('carries the table as HTML and as plain text, each the renderer\'s own', () => {
    const b = publicationBundle(t);
    expect(Object.keys(b.data).sort()).toEqual(['text/html', 'text/plain']);
    expect(b.data['text/html']).toBe(tableHtml(t));
    expect(b.data['text/plain']).toBe(tableText(t));
    expect(b.data['text/plain']).toContain('Straight line');
    expect(b.data['text/plain']).toContain('2.00');
    expect(b.metadata).toEqual({});
  });
  it('passes the output checker', () => {
    expect(checkNotebook(asNotebook(publicationBundle(t)), 'nb').filter((p) => p.severity === 'fail')).toEqual([]);
  });
});

describe('sectionsBundle', () => {
  const a = protectTable([{ area: 'North', n: 120 }, { area: 'South', n: 47 }], { countColumns: ['n'], labelColumn: 'area' });
  const b = protectTable([{ year: '2020', n: 33 }, { year: '2021', n: 4 }, { year: '2022', n: 61 }], { countColumns: ['n'], labelColumn: 'year' });
  const bundle = sectionsBundle([{ caption: 'First table', table: a }, { caption: 'Second table', table: b }]);
  it('shows every section, captioned, in the order given', () => {
    for (const mime of ['text/html', 'text/plain']) {
      const s = bundle.data[mime];
      expect(s.indexOf('First table'), mime).toBeGreaterThanOrEqual(0);
      expect(s.indexOf('Second table'), mime).toBeGreaterThan(s.indexOf('First table'));
      expect(s).toContain('North');
      expect(s).toContain('2022');
    }
    // plain-text sections are separated by a blank line
    expect(bundle.data['text/plain'].split('\n\n').length).toBeGreaterThanOrEqual(2);
  });
  it('shows only protected counts: 47 rounds to 45, 4 is suppressed and so is its complement', () => {
    const text = bundle.data['text/plain'];
    expect(text).toContain('45');
    expect(text).not.toMatch(/\b47\b/);
    expect(text).not.toMatch(/\b4\b/);
    expect(text).toContain('[c]');
  });
  it('keeps the disclosure tags, so the checker reads it as any table and finds nothing to fail', () => {
    expect(bundle.data['text/html']).toContain('data-sdc');
    expect(checkNotebook(asNotebook(bundle), 'nb').filter((p) => p.severity === 'fail')).toEqual([]);
  });
  it('no sections, an empty bundle', () => {
    expect(sectionsBundle([]).data).toEqual({ 'text/html': '', 'text/plain': '' });
  });
});
