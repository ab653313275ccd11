import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { checkNotebook, isIdentifierColumn, protectTable, plainTable, tableHtml, barChart, linePlot } from '../../src/display/index';

const fixture = (name: string) => path.join(process.cwd(), 'test/display/fixtures', name);
const load = (name: string) => JSON.parse(readFileSync(fixture(name), 'utf8'));
const casesDir = path.join(process.cwd(), '..', 'shared', 'sdc-cases');
const cli = (f: string) => spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/check-outputs.ts', f], { encoding: 'utf8' });

type Output = Record<string, unknown>;
const nb = (...outputs: Output[]) => ({ cells: outputs.map((o) => ({ cell_type: 'code', source: '', outputs: [o] })) });
const html = (h: string): Output => ({ output_type: 'display_data', data: { 'text/html': h } });
const stream = (text: string): Output => ({ output_type: 'stream', name: 'stdout', text });
const figure = (fig: unknown): Output => ({ output_type: 'display_data', data: { 'application/vnd.plotly.v1+json': fig } });
const failures = (n: unknown) => checkNotebook(n, 'nb').filter((p) => p.severity === 'fail');
const kinds = (n: unknown) => failures(n).map((p) => p.kind);
const RULES = { minCount: 10, roundTo: 5, secondary: true };
/** A table rendered WITHOUT the protection layer (as a hand-written or foreign output would be). */
const raw = (rows: Array<Record<string, unknown>>) =>
  `<table><thead><tr>${Object.keys(rows[0]).map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${Object.values(r).map((v) => `<td>${String(v)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
const meta = (countTraces: number[] = [], extra: Record<string, unknown> = {}) => ({ sdc: { rules: RULES, countTraces, ...extra } });

describe('the shared SDC cases (../shared/sdc-cases, judged by the CLI as expect.json says)', () => {
  const expected = JSON.parse(readFileSync(path.join(casesDir, 'expect.json'), 'utf8')) as Record<string, 'accept' | 'reject'>;
  it('every case in the folder has an expectation', () => {
    expect(readdirSync(casesDir).filter((f) => f.endsWith('.ipynb')).sort()).toEqual(Object.keys(expected).sort());
  });
  for (const [file, verdict] of Object.entries(expected)) {
    it(`${file}: ${verdict}`, () => {
      const run = cli(path.join(casesDir, file));
      expect(run.status, run.stderr + run.stdout).toBe(verdict === 'reject' ? 1 : 0);
      if (verdict === 'reject') expect(run.stderr).toMatch(new RegExp(`${file}: cell \\d+ output \\d+: \\S+: .*\\[value: `));
    });
  }
});

describe('output checker: unseen variants of each kind', () => {
  it('keeps the older fixtures: clean passes, small counts and record-level output fail', () => {
    expect(failures(load('clean.ipynb'))).toEqual([]);
    const small = failures(load('small-count.ipynb'));
    expect(small.map((p) => [p.cell, p.kind])).toEqual([[3, 'small-count'], [4, 'small-count']]);
    const rec = failures(load('record-level.ipynb')).map((p) => `${p.cell}:${p.kind}`);
    expect(rec).toContain('2:identifier');
    expect(rec).toContain('2:record-level');
    expect(rec).toContain('3:identifier');
  });

  it('declared rules looser than required fail, in tables and figures', () => {
    const t = tableHtml(protectTable([{ g: 'a', n: 12 }, { g: 'b', n: 40 }], { countColumns: ['n'], rules: { minCount: 10, roundTo: 2 } }));
    expect(kinds(nb(html(t)))).toContain('metadata');
    const fig = { data: [{ type: 'bar', x: ['a'], y: [20] }], layout: { meta: { sdc: { rules: { minCount: 5, roundTo: 5 }, countTraces: [0] } } } };
    expect(kinds(nb(figure(fig)))).toContain('metadata');
  });

  it('counts in hover text, text labels and templates of a figure', () => {
    const base = (hovertext: unknown) => ({ data: [{ type: 'bar', x: ['a', 'b'], y: [0.3, 0.4], hovertext }], layout: { meta: meta() } });
    expect(kinds(nb(figure(base(['15 children', '4 children']))))).toEqual(['small-count']);
    expect(kinds(nb(figure(base(['events: 20', 'events: 30']))))).toEqual([]);
    expect(kinds(nb(figure(base(['events: 20', 'events: 31']))))).toEqual(['unrounded-count']);
  });

  it('a figure without disclosure metadata fails; an at-risk row of number strings is read as counts', () => {
    const atRisk = { data: [{ type: 'scatter', mode: 'text', x: [0, 1], y: ['g', 'g'], text: ['1,230', '8'] }], layout: {} };
    expect(kinds(nb(figure(atRisk))).sort()).toEqual(['metadata', 'small-count']);
    const tagged = { data: [{ type: 'scatter', mode: 'text', x: [0, 1], y: ['g', 'g'], text: ['1,230', '8'] }], layout: { meta: meta() } };
    expect(kinds(nb(figure(tagged)))).toEqual(['small-count']);
  });

  it('unrounded counts in figures fail, including counts given as strings and through a count axis', () => {
    const declared = { data: [{ type: 'bar', x: ['a', 'b'], y: ['1,234', '55'] }], layout: { meta: meta([0]) } };
    expect(kinds(nb(figure(declared)))).toEqual(['unrounded-count']);
    // Built through the API as a "value" chart to avoid protection: the count axis gives it away.
    const misled = barChart([{ year: '2020', n: 7 }, { year: '2021', n: 120 }], { x: 'year', y: 'n', kind: 'value', yTitle: 'Number of referrals' });
    expect(kinds(nb(figure(misled)))).toEqual(['small-count']);
    const protectedChart = linePlot([{ year: '2020', n: 7 }, { year: '2021', n: 123 }], { x: 'year', y: 'n', kind: 'count', yTitle: 'Referrals' });
    expect(kinds(nb(figure(protectedChart)))).toEqual([]);
  });

  it('min/max values fail unless banded; a "max" row label counts too', () => {
    const t = (rows: Array<Record<string, unknown>>) => nb(html(raw(rows)));
    expect(kinds(t([{ group: 'CIN', 'youngest age': 0.2 }]))).toEqual(['min-max']);
    expect(kinds(t([{ statistic: 'max', value: 71.5 }]))).toEqual(['min-max']);
    expect(kinds(t([{ group: 'CIN', 'max age': '16–17' }]))).toEqual([]);
  });

  it('person-time: small, unrounded or fractional values fail', () => {
    const t = (pt: number) => nb(html(raw(([{ from: 0, to: 1, 'person-years': pt, hazard: 0.1 }]))));
    expect(kinds(t(6))).toEqual(['small-count']);
    expect(kinds(t(1233))).toEqual(['unrounded-count']);
    expect(kinds(t(1235))).toEqual([]);
  });

  it('record-level content: long tables, identifiers under innocuous names, UPNs in text, many markers', () => {
    const ids = Array.from({ length: 30 }, (_, i) => ({ label: `P${String(1000000 + i)}`, value: 1 }));
    expect(kinds(nb(html(raw((ids)))))).toContain('identifier');
    const long = Array.from({ length: 250 }, (_, i) => ({ k: i, est: i / 7 }));
    expect(kinds(nb(html(raw((long)))))).toContain('record-level');
    expect(kinds(nb(stream('A123456789012 B123456789012 C123456789012\n')))).toContain('identifier');
    expect(kinds(nb(stream('child_id: 42\n')))).toContain('identifier');
    const cloud = { data: [{ type: 'scattergl', mode: 'markers', x: Array.from({ length: 500 }, (_, i) => i), y: Array.from({ length: 500 }, (_, i) => i % 17) }], layout: { meta: meta() } };
    expect(kinds(nb(figure(cloud)))).toEqual(['record-level']);
    // Local authority codes are aggregate labels, not person identifiers.
    expect(kinds(nb(html(raw(([{ la: 'E09000001', est: 0.1 }, { la: 'E09000002', est: 0.2 }])))))).toEqual([]);
  });

  it('counts in text output, in any phrasing, and 100% / 0% of a group', () => {
    expect(kinds(nb(stream('n = 4\n')))).toEqual(['small-count']);
    expect([...new Set(kinds(nb(stream("3 of 41 children were re-referred\n"))))].sort()).toEqual(['small-count', 'unrounded-count']);
    expect(kinds(nb(stream('1,233 re-referrals in the period\n')))).toEqual(['unrounded-count']);
    expect(kinds(nb(stream('100% of the care leavers in the LA were NEET\n')))).toContain('percentage');
    expect(kinds(nb(stream('rows read: 50,000\nmodel converged after 7 iterations\n')))).toEqual([]);
    expect(kinds(nb(stream('{ "count": 6 }\n')))).toEqual(['small-count']);
    // console.table output is read as a table
    const consoleTable = "┌─────────┬──────┬──────────┐\n│ (index) │ la   │ children │\n├─────────┼──────┼──────────┤\n│ 0       │ 'A'  │ 120      │\n│ 1       │ 'B'  │ 4        │\n└─────────┴──────┴──────────┘\n";
    expect(kinds(nb(stream(consoleTable)))).toEqual(['small-count']);
  });

  it('untagged counts and counts as strings in tables fail by their column or row label', () => {
    expect(kinds(nb(html('<table><thead><tr><th>class</th><th>children</th></tr></thead><tbody><tr><td>a</td><td>8</td></tr></tbody></table>')))).toEqual(['small-count']);
    const footer = '<table><thead><tr><th>term</th><th>M1</th></tr></thead><tbody><tr><td>class2</td><td>1.07 (1.02–1.12)</td></tr><tr><td>episodes (events)</td><td>51230 (7)</td></tr></tbody></table>';
    expect(kinds(nb(html(footer)))).toEqual(['small-count']);
    expect(kinds(nb(html(footer.replace('(7)', '(20960)'))))).toEqual([]);
  });

  it('small-denominator percentages and 0% / 100% of a group in tables', () => {
    const t = (n: number, pct: number) => nb(html(tableHtml(protectTable([{ g: 'a', n, '% re-referred': pct }], { countColumns: ['n'], margins: 'none' }))));
    expect(kinds(t(40, 7.5))).toEqual(['percentage']);
    expect(kinds(t(150, 98))).toEqual(['percentage']); // complement 3
    expect(kinds(t(10, 100))).toEqual(['percentage']);
    expect(kinds(t(400, 30))).toEqual([]);
  });

  it('differencing: one suppressed cell beside a shown total, in the same or another output', () => {
    const rows = (c: string) => `<tr><td>a</td><td>120</td><td>31.5</td></tr><tr><td>b</td><td>45</td><td>${c}</td></tr><tr><td>c</td><td>60</td><td>29.0</td></tr>`;
    const table = (body: string) => `<table><thead><tr><th>group</th><th>n</th><th>mean score</th></tr></thead><tbody>${body}</tbody></table>`;
    expect(kinds(nb(html(table(rows('[c]') + '<tr><td>All</td><td>225</td><td>30.1</td></tr>'))))).toEqual(['differencing']);
    const two = rows('[c]').replace('31.5', '[c]');
    expect(kinds(nb(html(table(two + '<tr><td>All</td><td>225</td><td>30.1</td></tr>'))))).toEqual([]);
    expect(kinds(nb(html(table(rows('[c]'))), html(table('<tr><td>Total</td><td>225</td><td>30.1</td></tr>'))))).toEqual(['differencing']);
    expect(kinds(nb(html(table(rows('[c]'))), html(table('<tr><td>b</td><td>45</td><td>28.4</td></tr>'))))).toEqual(['differencing']);
  });

  it('Kaplan–Meier curves: full precision or exact event times fail; rounded on a declared grid passes', () => {
    const km = (y: number[], x: number[], km?: object) => ({
      data: [{ type: 'scatter', mode: 'lines', x, y, line: { shape: 'hv' } }, { type: 'scatter', mode: 'text', x: [0, 1], y: ['g', 'g'], text: ['500', '250'] }],
      layout: { meta: meta([1], km ? { km } : {}) },
    });
    expect(kinds(nb(figure(km([1, 0.9347826086956522], [0, 0.25]))))).toContain('km-curve');
    expect(kinds(nb(figure(km([1, 0.935], [0, 0.0027378507871321013]))))).toContain('km-curve');
    expect(kinds(nb(figure(km([1, 0.935], [0, 0.25], { survDigits: 3, timeUnit: 1 / 12 }))))).toEqual([]);
    // a grid time printed to 4 decimals (1/12 as 0.0833) is on the grid; an event time between grid points is not
    expect(kinds(nb(figure(km([1, 0.935], [0, 0.0833], { survDigits: 3, timeUnit: 1 / 12 }))))).toEqual([]);
    expect(kinds(nb(figure(km([1, 0.935], [0, 0.0901], { survDigits: 3, timeUnit: 1 / 12 }))))).toContain('km-curve');
    expect(kinds(nb(figure(km([1, 0.935], [0, 0.0836], { survDigits: 3, timeUnit: 1 / 12 }))))).toContain('km-curve');
  });

  it('models: residual df or events per coefficient below the threshold fail', () => {
    expect(kinds(nb(html(raw(([{ model: 'M1', N: 40, 'residual df': 6 }])))))).toEqual(['model-df']);
    expect(kinds(nb(html(raw(([{ model: 'M1', N: 400, 'residual df': 390 }])))))).toEqual([]);
  });

  it('models: footer rows of a model table (residual df, events per coefficient), flagged "<10" or small fail, large pass', () => {
    const footer = (label: string, a: string, b: string) => raw([{ term: 'x', M1: '1.20 (1.10 to 1.30)', M2: '1.10 (1.00 to 1.20)' },
      { term: 'N (rows used)', M1: '1,500', M2: '15' }, { term: label, M1: a, M2: b }]);
    // "Events per coefficient" reads as the df rule, not as an unrounded count row
    expect(kinds(nb(html(footer('Events per coefficient', '251', '10'))))).toEqual([]);
    expect(kinds(nb(html(footer('Events per coefficient', '251', '7'))))).toEqual(['model-df']);
    expect(kinds(nb(html(footer('Events per coefficient', '251', '&lt;10†'))))).toEqual(['model-df']); // as rendered (HTML-escaped)
    expect(kinds(nb(html(footer('Residual df', '1,495', '&lt;10†'))))).toEqual(['model-df']); // as rendered (HTML-escaped)
    expect(kinds(nb(html(footer('Residual df', '1,495', '8'))))).toEqual(['model-df']);
    expect(kinds(nb(html(footer('Residual df', '1,495', '15'))))).toEqual([]);
  });

  it('the plotly copy embedded in the HTML fallback is read too', () => {
    const clean = { data: [{ type: 'bar', x: ['a'], y: [20] }], layout: { meta: meta([0]) } };
    const leak = { data: [{ type: 'bar', x: ['a'], y: [3] }], layout: { meta: meta([0]) } };
    const out = { output_type: 'display_data', data: { 'application/vnd.plotly.v1+json': clean, 'text/html': `<div></div><script>var fig = ${JSON.stringify(leak)};\nPlotly.newPlot(el, fig.data, fig.layout);</script>` } };
    expect(kinds(nb(out))).toEqual(['small-count']);
  });

  it('outputs built through the API to slip counts past it are protected on rendering or caught', () => {
    // a count column declared as a plain (estimates-only) table is still protected when rendered
    const t = tableHtml(plainTable([{ class: 'a', n: 7 }, { class: 'b', n: 1234 }, { class: 'c', n: 40 }]));
    expect(t).not.toMatch(/>7<|1,234/);
    expect(failures(nb(html(t)))).toEqual([]);
    // a model footer row "N" with exact counts inside strings
    const footer = tableHtml(plainTable([{ term: 'x', M1: '1.2 (1.1–1.3)' }, { term: 'N', M1: '69139' }, { term: 'episodes (events)', M1: '51234 (7)' }]));
    expect(footer).toContain('69140');
    expect(footer).toContain('51235 ([c])');
    expect(failures(nb(html(footer)))).toEqual([]);
    // min/max cannot be rendered at all
    expect(() => tableHtml(plainTable([{ group: 'CLA', 'min att8': 0.5 }]))).toThrow(/minimum\/maximum/);
  });

  it('recognises identifier columns but not aggregate labels', () => {
    for (const id of ['child_id', 'Pupil_Matching_Ref', 'UPN', 'dob', 'date_of_birth', 'la_child_id', 'episode_id', 'case_number']) {
      expect(isIdentifierColumn(id), id).toBe(true);
    }
    for (const ok of ['la', 'class', 'term', 'year', 'n', 'estimate', 'idaci_decile', 'pathway']) expect(isIdentifierColumn(ok), ok).toBe(false);
  });

  it('the CLI names notebook, cell, output and value, and exits 0 on a clean notebook', () => {
    const bad = cli(fixture('small-count.ipynb'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/small-count\.ipynb: cell 3 output 1: small-count: count 7 below 10 .*\[value: 7\]/);
    expect(cli(fixture('clean.ipynb')).status).toBe(0);
  });
});
