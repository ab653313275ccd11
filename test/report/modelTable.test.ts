/**
 * Publication tables from real fits on synthetic data with known effects: labels from a
 * dictionary, reference rows, side-by-side stages, N / events / rows dropped through disclosure
 * control, one p-value style, stars legend, CSV and Word export.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { cox } from '../../src/survival/index';
import { ols } from '../../src/regression/index';
import { labelTerm, labelTerms, modelResult, modelTable, tableCsv, tableDocx, tableHtml, tableText, formatP, formatEstimate, formatCount, MODEL_DF_FLAG, type DataDictionary } from '../../src/report/index';
import { checkNotebook, protectCount } from '../../src/display/index';
import { createRng } from '../../src/core/random';

const dict: DataDictionary = {
  pathway: { label: 'Pathway', levels: { NFA: 'No further action', CIN: 'Child in need plan', CPP: 'Child protection plan' } },
  age: { label: 'Age at referral', unit: 'years' },
  sex: { label: 'Sex', levels: { F: 'Female', M: 'Male' } },
};

/** Exponential survival with log-HR 0.5 for CIN, 1.0 for CPP, 0.1 per year of age; 40 rows miss age. */
function survData(n = 1500) {
  const rng = createRng(7);
  const rnd = () => 1 - rng.nextFloat(); // (0, 1]: log() stays finite
  const pathway: string[] = []; const age: (number | null)[] = []; const sex: string[] = []; const time: number[] = []; const event: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = ['NFA', 'CIN', 'CPP'][i % 3];
    const a = Math.floor(rnd() * 16);
    const lp = (p === 'CIN' ? 0.5 : p === 'CPP' ? 1.0 : 0) + 0.1 * a;
    const t = -Math.log(rnd()) / (0.1 * Math.exp(lp));
    pathway.push(p); sex.push(rnd() < 0.5 ? 'F' : 'M');
    age.push(i < 40 ? null : a);
    time.push(Math.min(t, 5)); event.push(t < 5 ? 1 : 0);
  }
  return aq.table({ pathway, age, sex, time, event });
}

describe('labelTerm', () => {
  it('splits a term into variable and level by the longest known name, with units and code lists', () => {
    expect(labelTerm('pathwayCIN', dict)).toMatchObject({ variable: 'pathway', level: 'CIN', label: 'Child in need plan', variableLabel: 'Pathway' });
    expect(labelTerm('age', dict)).toMatchObject({ level: null, label: 'Age at referral (years)' });
    expect(labelTerm('fsm1', dict, ['fsm'])).toMatchObject({ variable: 'fsm', level: '1', label: '1' });
    expect(labelTerm('age:sexM', dict).label).toBe('Age at referral (years) × Sex: Male');
    expect(labelTerm('unknown_term', dict).label).toBe('unknown_term');
  });

  it('labelTerms relabels rows for figures: "Variable: level" for levels, the variable label otherwise, raw name kept', () => {
    const rows = labelTerms([{ term: 'pathwayCIN', estimate: 0.8 }, { term: 'age', estimate: 1.1 }, { term: 'other', estimate: 2 }], dict);
    expect(rows.map((r) => r.term)).toEqual(['Pathway: Child in need plan', 'Age at referral (years)', 'other']);
    expect(rows.map((r) => r.term_raw)).toEqual(['pathwayCIN', 'age', 'other']);
    expect(rows[0].estimate).toBe(0.8);
  });
});

describe('number style', () => {
  it('uses one p-value style and fixed decimals', () => {
    expect([formatP(1e-20), formatP(0.00099), formatP(0.0412), formatP(0.15), formatP(1)]).toEqual(['<0.001', '<0.001', '0.041', '0.150', '>0.999']);
    expect([formatEstimate(1234.567), formatEstimate(-0.001), formatEstimate(0.5, 3)]).toEqual(['1,234.57', '0.00', '0.500']);
  });
});

describe('modelTable', () => {
  const d = survData();
  const m1 = cox(d, { formula: 'Surv(time, event) ~ pathway', factors: { pathway: 'NFA' }, levels: { pathway: ['NFA', 'CIN', 'CPP'] } });
  const m2 = cox(d, { formula: 'Surv(time, event) ~ pathway + age + sex', factors: { pathway: 'NFA', sex: 'F' }, levels: { pathway: ['NFA', 'CIN', 'CPP'] } });
  const t = modelTable({ 'Model 1': m1, 'Model 2': m2 }, { dictionary: dict, exponentiate: true, estimateLabel: 'HR (95% CI)', caption: 'Re-referral' });

  it('labels terms, adds reference rows, and puts staged models side by side', () => {
    const labels = t.rows.map((r) => `${r.kind}:${r.label}`);
    expect(labels.slice(0, 9)).toEqual([
      'group:Pathway', 'reference:No further action (reference)', 'term:Child in need plan', 'term:Child protection plan',
      'term:Age at referral (years)', 'group:Sex', 'reference:Female (reference)', 'term:Male',
      'stat:N (rows used)',
    ]);
    expect(t.spanners.map((s) => s.label)).toEqual(['Model 1', 'Model 2']);
    expect(t.columns).toEqual(['HR (95% CI)', 'p', 'HR (95% CI)', 'p']);
    const cpp = t.rows.find((r) => r.label === 'Child protection plan')!;
    // Recovered HR for CPP ≈ e^1.0 in model 2 (true effect), and the cell holds estimate and CI.
    const hr = Number(cpp.cells[2].split(' ')[0]);
    expect(hr).toBeGreaterThan(Math.exp(0.8));
    expect(hr).toBeLessThan(Math.exp(1.2));
    expect(cpp.cells[2]).toMatch(/^\d\.\d\d \(\d\.\d\d to \d\.\d\d\)$/);
    expect(cpp.cells[3]).toBe('<0.001');
    // Sex is not in model 1: no reference value there either.
    expect(t.rows.find((r) => r.label === 'Female (reference)')!.cells).toEqual(['', '', '1', '']);
    // Age is not in model 1: an empty cell, not a zero.
    expect(t.rows.find((r) => r.label === 'Age at referral (years)')!.cells.slice(0, 2)).toEqual(['', '']);
  });

  it('reports N, events and rows dropped (with why) under every model, rounded by the disclosure rules', () => {
    const n = t.rows.find((r) => r.label === 'N (rows used)')!;
    expect(n.cells[0]).toBe('1,500');
    expect(n.cells[2]).toBe('1,460');
    expect(n.countCells).toEqual([true, false, true, false]);
    const dropped = t.rows.find((r) => r.label.startsWith('Rows dropped'))!;
    expect(dropped.label).toBe('Rows dropped: missing Age at referral (years)');
    expect(dropped.cells[0]).toBe('0');
    expect(dropped.cells[2]).toBe('40');
    const events = t.rows.find((r) => r.label === 'Events')!;
    expect(Number(events.cells[0].replace(/,/g, '')) % 5).toBe(0);
  });

  it('renders HTML with tagged count cells, text, CSV; stars come with their legend', () => {
    const html = tableHtml(t);
    expect(html).toContain('data-sdc-rules=');
    expect(html.match(/data-sdc="count"/g)!.length).toBe(3 * 2);
    expect(html).toContain('<th colspan="2"');
    expect(tableText(t).split('\n')[0]).toBe('Re-referral');
    const csv = tableCsv(t).split('\n');
    expect(csv[0]).toBe('characteristic,Model 1: HR (95% CI),Model 1: p,Model 2: HR (95% CI),Model 2: p');
    expect(csv[1]).toBe('Pathway,,,,');
    const starred = modelTable({ m: m2 }, { dictionary: dict, stars: true, interval: 'se' });
    expect(starred.columns).toEqual(['Estimate (SE)']);
    expect(starred.notes).toContain('* p < 0.05, ** p < 0.01, *** p < 0.001');
    expect(starred.rows.find((r) => r.label === 'Child protection plan')!.cells[0]).toMatch(/^\d\.\d\d\*\*\* \(\d\.\d\d\)$/);
  });

  it('works for table-level regression fits (reference levels from the design)', () => {
    const fit = ols(d.derive({ y: (r: { time: number }) => r.time }), { formula: 'y ~ pathway + sex', reference: { pathway: 'NFA', sex: 'F' } });
    const r = modelTable({ OLS: fit }, { dictionary: dict, omit: ['(Intercept)'] });
    expect(r.rows.map((x) => x.label).slice(0, 3)).toEqual(['Pathway', 'No further action (reference)', 'Child in need plan']);
    expect(r.rows.find((x) => x.label === 'N (rows used)')!.cells[0]).toBe('1,500');
  });

  it('exports Word: a valid .docx whose document holds the caption, labels and cells', async () => {
    const buf = await tableDocx(t);
    expect(buf.subarray(0, 2).toString()).toBe('PK');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'csc-docx-')), 'table.docx');
    fs.writeFileSync(file, buf);
    const xml = spawnSync('unzip', ['-p', file, 'word/document.xml'], { encoding: 'utf8' }).stdout;
    expect(xml).toContain('Re-referral');
    expect(xml).toContain('Child protection plan');
    expect(xml).toContain('No further action (reference)');
  });
});

describe('modelTable: residual df and events per coefficient (ACRO residual-df rule)', () => {
  const d = survData();
  const withY = d.derive({ y: (r: { time: number }) => r.time });
  const nbOf = (h: string) => ({ cells: [{ cell_type: 'code', source: '', outputs: [{ output_type: 'display_data', data: { 'text/html': h } }] }] });
  const failKinds = (h: string) => checkNotebook(nbOf(h), 'nb').filter((p) => p.severity === 'fail').map((p) => p.kind);
  const row = (t: ReturnType<typeof modelTable>, label: string) => t.rows.find((r) => r.label === label);

  it('a linear model on 12 rows with 4 coefficients (df 8) is flagged, a large one shows rounded df; the checker agrees', () => {
    const small = ols(withY.slice(0, 12), { formula: 'y ~ pathway + sex', reference: { pathway: 'NFA', sex: 'F' } });
    const large = ols(withY, { formula: 'y ~ pathway + sex', reference: { pathway: 'NFA', sex: 'F' } });
    expect(small.glance()['df.residual']).toBe(8);
    expect(large.glance()['df.residual']).toBe(1496);
    const both = modelTable({ small, large }, { pValues: false });
    expect(row(both, 'Residual df')!.cells).toEqual([`<10${MODEL_DF_FLAG}`, '1,495']);
    expect(row(both, 'Events per coefficient')).toBeUndefined();
    expect(both.notes.some((n) => n.startsWith(MODEL_DF_FLAG) && n.includes('below 10'))).toBe(true);
    expect(failKinds(tableHtml(both))).toEqual(['model-df']);
    const clean = modelTable({ large }, { pValues: false });
    expect(clean.notes.some((n) => n.startsWith(MODEL_DF_FLAG))).toBe(false);
    expect(failKinds(tableHtml(clean))).toEqual([]);
  });

  it('a Cox model with at most 15 events for 2 coefficients is flagged; a large one shows events per coefficient from rounded events', () => {
    const formula = 'Surv(time, event) ~ pathway';
    const opts = { formula, factors: { pathway: 'NFA' }, levels: { pathway: ['NFA', 'CIN', 'CPP'] } };
    const small = cox(d.slice(0, 15), opts);
    const large = cox(d, opts);
    const t = modelTable({ small, large }, { pValues: false, exponentiate: true });
    expect(row(t, 'Residual df')).toBeUndefined();
    const events = modelResult(large).events!;
    expect(events).toBeGreaterThan(200);
    const shown = Math.floor(protectCount(events)! / 2);
    expect(row(t, 'Events per coefficient')!.cells).toEqual([`<10${MODEL_DF_FLAG}`, formatCount(shown)]);
    expect(failKinds(tableHtml(t))).toEqual(['model-df']);
    expect(failKinds(tableHtml(modelTable({ large }, { pValues: false, exponentiate: true })))).toEqual([]);
  });

  it('staged models keep one row, blank where the model has no such statistic', () => {
    const lin = ols(withY, { formula: 'y ~ pathway', reference: { pathway: 'NFA' } });
    const cx = cox(d, { formula: 'Surv(time, event) ~ pathway', factors: { pathway: 'NFA' }, levels: { pathway: ['NFA', 'CIN', 'CPP'] } });
    const t = modelTable({ lin, cx }, { pValues: false });
    expect(row(t, 'Residual df')!.cells).toEqual(['1,495', '']);
    expect(row(t, 'Events per coefficient')!.cells[0]).toBe('');
  });
});
