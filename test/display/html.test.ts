// src/display/html.ts: numbers and intervals in tables stay on one line; labels may wrap.
import { describe, expect, it } from 'vitest';
import { isNumericText, tableHtml, tableText } from '../../src/display/html';
import { plainTable } from '../../src/display/sdc';

describe('tableHtml cell wrapping', () => {
  it('recognises numbers written as text (intervals, targets, comparisons) and not labels', () => {
    for (const s of ['−0.046 to 0.070', '-0.1 to 0.2', '0.300 ± 0.05', '≥ 0.80', '0.027 vs 0.033', '1,230 (4.5%)', '1.2e-05', '0.50 – 1.50', '<0.001']) {
      expect(isNumericText(s), s).toBe(true);
    }
    for (const s of ['05. Mental health (child)', 'True class: 2', 'yes', 'PASS', 'K = 12', '', '—', 'Age 10 to 15']) {
      expect(isNumericText(s), s).toBe(false);
    }
  });

  it('keeps CI cells and numbers unwrapped, lets label cells wrap', () => {
    const html = tableHtml(plainTable([
      { term: '05. Mental health (child)', estimate: 0.012, 'modal 95% CI': '−0.046 to 0.070', covers: 'yes' },
    ]));
    // left-aligned by name: Jupyter's stylesheet right-aligns every cell
    expect(html).toContain('<td style="text-align:left">05. Mental health (child)</td>');
    expect(html).toContain('<td style="text-align:right;white-space:nowrap">0.012</td>');
    expect(html).toContain('<td style="text-align:left;white-space:nowrap">−0.046 to 0.070</td>');
    expect(html).toContain('<td style="text-align:left">yes</td>');
    // headers aligned as their column: the estimate's right, the label's left
    expect(html).toContain('<th style="text-align:left">Term</th><th style="text-align:right">Estimate</th>');
  });
});

describe('warnings column of a glance row', () => {
  it('goes under the table as a note naming the row, not into a cell as tall as a paragraph', async () => {
    const { plainTable: pt, tableHtml: th, tableText: tt } = await import('../../src/display/index');
    const long = 'singular fit: a random-effect SD is ≈ 0 or a correlation is ±1 (θ diagonal 0.183, 8.71e−11); its boundary θ is held fixed';
    const t = pt([{ outcome: 'first referrals', N: 10640, warnings: long }, { outcome: 'care starts', N: 10640, warnings: '' }]);
    const html = th(t);
    expect(html).not.toMatch(/<th[^>]*>Warnings<\/th>/);
    expect(html).toContain(`Warning (first referrals): ${long.replace('≈', '≈')}`);
    expect(html).not.toContain('Warning (care starts)');
    expect(tt(t).split('\n')[0]).not.toMatch(/Warnings/);
    expect(tt(t)).toContain('Warning (first referrals): singular fit');
  });
});

describe('column budget of rendered tables (display/tableLayout)', () => {
  /** Columns of each <table>'s header row, and the HTML of each table. */
  const tablesIn = (html: string) => [...html.matchAll(/<table[\s\S]*?<\/table>/g)].map((m) => ({
    html: m[0], columns: (/<thead><tr>([\s\S]*?)<\/tr><\/thead>/.exec(m[0])?.[1].match(/<th\b/g) ?? []).length,
  }));

  it('two GLMs\' glance() rows (17 columns) render as statistics × models within the budget, counts tagged and passing the checker', async () => {
    const aq = await import('arquero');
    const { glm } = await import('../../src/regression/count/index');
    const { COLUMN_BUDGET } = await import('../../src/display/tableLayout');
    const { checkNotebook } = await import('../../src/display/check');
    const d = aq.table({ y: [3, 5, 2, 8, 13, 6, 9, 4, 12, 7, 10, 15], x: [1, 2, 1, 3, 5, 2, 4, 1, 5, 3, 4, 6], population: Array(12).fill(1000) });
    const a = glm(d, 'y ~ x + offset(log(population))', { family: 'poisson' });
    const b = glm(d, 'y ~ offset(log(population))', { family: 'poisson' });
    const wide = plainTable([{ outcome: 'with x', ...a.glance() }, { outcome: 'without x', ...b.glance() }]);
    expect(wide.columns.length).toBeGreaterThan(COLUMN_BUDGET);
    const html = tableHtml(wide, { caption: 'Model summaries' });
    const tables = tablesIn(html);
    expect(tables).toHaveLength(1);
    for (const t of tables) expect(t.columns).toBeLessThanOrEqual(COLUMN_BUDGET);
    expect(tables[0].html).toMatch(/<th style="text-align:left">Outcome<\/th><th data-sdc="name" style="text-align:right">with x<\/th><th data-sdc="name" style="text-align:right">without x<\/th>/);
    expect(tables[0].html).toMatch(/<td style="text-align:left">AIC<\/td>/);
    // N (nobs = 12) is a count: protected (rounded to 10) and tagged in its row
    expect(tables[0].html).toMatch(/<td style="text-align:left">N<\/td><td data-sdc="count"[^>]*>10<\/td>/);
    // family and variance type in words, as in the wide layout
    expect(html).toContain('Poisson');
    const nb = { cells: [{ cell_type: 'code', outputs: [{ output_type: 'display_data', data: { 'text/html': html } }] }] };
    expect(checkNotebook(nb, 'nb').filter((p) => p.severity === 'fail')).toEqual([]);
    // the text form has the same shape
    expect(tableText(wide).split('\n')[0]).toMatch(/^Outcome\s+with x\s+without x$/);
  });

  it('a wide table of many rows (factor prevalence over 14 years) is split into captioned panels within the budget', () => {
    const rows = Array.from({ length: 12 }, (_, i) => Object.fromEntries([['factor', `factor ${i + 1}`], ...Array.from({ length: 14 }, (_, y) => [`${2010 + y} %`, 10 + i + y / 10])]));
    const html = tableHtml(plainTable(rows), { caption: 'Prevalence' });
    const tables = tablesIn(html);
    expect(tables.length).toBe(2);
    tables.forEach((t, k) => {
      expect(t.columns).toBeLessThanOrEqual(10);
      expect(t.html).toContain(`<caption>Prevalence (part ${k + 1} of 2)</caption>`);
      expect(t.html).toContain('<td style="text-align:left">factor 12</td>');
    });
  });

  it('text/plain: the same captioned panels, a blank line apart, whose columns together are the original ones; a narrow table is one grid', () => {
    const rows = Array.from({ length: 12 }, (_, i) => Object.fromEntries([['factor', `factor ${i + 1}`], ...Array.from({ length: 14 }, (_, y) => [`${2010 + y} %`, 10 + i + y / 10])]));
    const panels = tableText(plainTable(rows), { caption: 'Prevalence' }).split('\n\n');
    expect(panels.length).toBe(2);
    const heads: string[] = [];
    panels.forEach((p, k) => {
      const lines = p.split('\n');
      expect(lines[0]).toBe(`Prevalence (part ${k + 1} of 2)`);
      const cols = lines[1].split(/\s{2,}/);
      expect(cols[0]).toBe('Factor');
      expect(cols.length).toBeLessThanOrEqual(10);
      heads.push(...cols.slice(1));
      expect(lines).toHaveLength(2 + rows.length);
      expect(lines[13].startsWith('factor 12')).toBe(true);
    });
    expect(heads).toEqual(Object.keys(rows[0]).slice(1));
    const narrow = tableText(plainTable(rows.map((r) => Object.fromEntries(Object.entries(r).slice(0, 5)))), { caption: 'Prevalence' });
    expect(narrow.split('\n')[0]).toBe('Prevalence');
    expect(narrow).not.toContain('part');
    expect(narrow.split('\n')).toHaveLength(2 + rows.length);
  });
});

describe('sideways (transposed) tables: numbers right, labels left', () => {
  // two models' summaries, 13 statistics: wider than the budget with few rows, so turned on its side
  const rows = ['with x', 'without x'].map((outcome, i) => ({
    outcome, family: 'Poisson', ...Object.fromEntries(Array.from({ length: 12 }, (_, j) => [`stat ${j + 1}`, (j + 1) * (i === 0 ? 1000.25 : -1.5)])),
  }));
  const t = plainTable(rows);
  it('HTML: statistic names and their header left, model columns (numbers, and the words among them) right', () => {
    const html = tableHtml(t);
    expect(html.match(/<table/g)).toHaveLength(1);
    expect(html).toMatch(/<th style="text-align:left">Outcome<\/th><th data-sdc="name" style="text-align:right">with x<\/th><th data-sdc="name" style="text-align:right">without x<\/th>/);
    const body = [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].slice(1).map((m) => [...m[1].matchAll(/<td style="text-align:(\w+)[^"]*">([^<]*)<\/td>/g)].map((c) => [c[1], c[2]]));
    expect(body).toHaveLength(13);
    for (const [label, ...cells] of body) {
      expect(label[0], label[1]).toBe('left');
      for (const c of cells) expect(c[0], `${label[1]}: ${c[1]}`).toBe('right');
    }
    expect(body[0]).toEqual([['left', 'Family'], ['right', 'Poisson'], ['right', 'Poisson']]);
  });
  it('text: statistic names start each line, each model\'s numbers end under its header', () => {
    const lines = tableText(t).split('\n');
    const header = lines[0];
    const ends = ['with x', 'without x'].map((h) => header.indexOf(h) + h.length);
    expect(header.startsWith('Outcome ')).toBe(true);
    for (const line of lines.slice(1, 14)) {
      expect(line).toMatch(/^(Family|Stat \d+) /);
      const cells = line.split(/\s{2,}/).slice(1);
      expect(cells).toHaveLength(2);
      cells.forEach((c, k) => expect(line.indexOf(c, k === 0 ? 0 : ends[0]) + c.length, line).toBe(ends[k]));
    }
  });
});

describe('labels (report/dictionaryLabels) applied by the renderer', () => {
  it('labels a term column, lme4 variance columns and factor codes; leaves other text alone', () => {
    const labels = {
      term: (t: string) => (t === 'deprivation' ? 'Deprivation (per SD)' : undefined),
      column: (c: string) => (c === 'sd.deprivation' ? 'SD (Deprivation)' : undefined),
      value: (c: string, v: string) => (c === 'csc_exposure' && v === 'CIN' ? 'Child in need' : undefined),
    };
    const html = tableHtml(plainTable([{ term: 'deprivation', 'sd.deprivation': 0.02, csc_exposure: 'CIN' }, { term: 'other', 'sd.deprivation': 0.03, csc_exposure: 'CPP' }]), { labels });
    expect(html).toMatch(/<th[^>]*>SD \(Deprivation\)<\/th>/);
    expect(html).toMatch(/<td[^>]*>Deprivation \(per SD\)<\/td>/);
    expect(html).toMatch(/<td[^>]*>Child in need<\/td>/);
    expect(html).toMatch(/<td[^>]*>other<\/td>/);
    expect(html).toMatch(/<td[^>]*>CPP<\/td>/);
  });
});
