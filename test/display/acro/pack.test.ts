import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeOutputPack } from '../../../scripts/notebook/acro-pack';
import { ACRO_SCHEMA_VERSION, exceptionRequests, packNotebook, acroConfig } from '../../../src/display/acro/pack';
import { protectTable, protectCount, sdcRules } from '../../../src/display/sdc';
import { tableHtml } from '../../../src/display/html';
import { checkNotebook } from '../../../src/display/check';
import { checkMagnitude, DEFAULT_MAGNITUDE_RULES } from '../../../src/display/protect/magnitude';

const cases = path.join(process.cwd(), '..', 'shared', 'sdc-cases');

/** Shape of ACRO's results.json (ACRO 0.4.x, as SACRO-Viewer reads it): errors, empty when valid. */
function validateAcro(r: unknown): string[] {
  const errs: string[] = [];
  const top = r as { version?: unknown; results?: Record<string, Record<string, unknown>> };
  if (typeof top.version !== 'string') errs.push('version is not a string');
  if (!top.results || typeof top.results !== 'object') return [...errs, 'results is not an object'];
  for (const [uid, o] of Object.entries(top.results)) {
    const need: Array<[string, (v: unknown) => boolean]> = [
      ['uid', (v) => v === uid],
      ['status', (v) => v === 'pass' || v === 'fail' || v === 'review'],
      ['type', (v) => typeof v === 'string'],
      ['properties', (v) => typeof v === 'object' && v !== null],
      ['files', (v) => Array.isArray(v) && v.length > 0 && v.every((f) => typeof f.name === 'string' && typeof f.sdc === 'object')],
      ['outcome', (v) => typeof v === 'object' && v !== null],
      ['command', (v) => typeof v === 'string'],
      ['summary', (v) => typeof v === 'string' && String(v).startsWith(String(o.status))],
      ['timestamp', (v) => typeof v === 'string'],
      ['comments', (v) => Array.isArray(v)],
      ['exception', (v) => typeof v === 'string'],
    ];
    for (const [k, ok] of need) if (!ok(o[k])) errs.push(`${uid}.${k} invalid: ${JSON.stringify(o[k])?.slice(0, 80)}`);
    for (const f of (o.files as Array<{ name: string; sdc: { summary?: Record<string, unknown> } }>) ?? []) {
      const s = f.sdc.summary;
      if (s && !['suppressed', 'negative', 'missing', 'threshold', 'p-ratio', 'nk-rule', 'all-values-are-same'].every((k) => k in s)) errs.push(`${uid} file ${f.name}: sdc.summary lacks ACRO keys`);
    }
  }
  return errs;
}

/** Tables and figures in executed notebooks, by the pack's uid. */
function displayedOutputs(dir: string): string[] {
  const uids: string[] = [];
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ipynb')).sort()) {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
    nb.cells.forEach((c: { cell_type: string; outputs?: Array<{ data?: Record<string, unknown> }> }, ci: number) => {
      (c.outputs ?? []).forEach((o, oi) => {
        const d = o.data ?? {};
        if (d['application/vnd.plotly.v1+json'] || /<table/i.test(String(d['text/html'] ?? ''))) uids.push(`${f.replace(/\.ipynb$/, '')}_cell${ci + 1}_out${oi + 1}`);
      });
    });
  }
  return uids;
}

function tmpWith(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'acro-pack-'));
  for (const [name, nb] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), JSON.stringify(nb));
  return dir;
}

describe('output-request pack (ACRO layout)', () => {
  it('holds every table and figure with its status, files on disk and a valid results.json', () => {
    const load = (f: string) => JSON.parse(fs.readFileSync(path.join(cases, f), 'utf8'));
    const dir = tmpWith({
      'control.ipynb': load('control-cox-forest.ipynb'),
      'tagged7.ipynb': load('planted-tagged-count-7.ipynb'),
      'scatter.ipynb': load('planted-record-scatter-ids.ipynb'),
    });
    const summary = writeOutputPack(dir);
    const results = JSON.parse(fs.readFileSync(path.join(dir, 'outputs', 'results.json'), 'utf8'));
    expect(validateAcro(results)).toEqual([]);
    expect(results.version).toBe(ACRO_SCHEMA_VERSION);
    for (const uid of displayedOutputs(dir)) expect(Object.keys(results.results), uid).toContain(uid);
    expect(results.results['control_cell2_out1']).toMatchObject({ status: 'pass', type: 'table' });
    expect(results.results['control_cell3_out1'].status).toBe('pass');
    expect(results.results['tagged7_cell2_out1'].status).toBe('fail');
    expect(results.results['tagged7_cell2_out1'].summary).toMatch(/small-count: count 7 below 10/);
    expect(results.results['scatter_cell2_out1'].status).toBe('fail');
    expect(summary.fail).toBe(2);
    for (const r of Object.values(results.results) as Array<{ files: Array<{ name: string }> }>) {
      for (const f of r.files) expect(fs.existsSync(path.join(dir, 'outputs', f.name)), f.name).toBe(true);
    }
    const csv = fs.readFileSync(path.join(dir, 'outputs', 'control_cell2_out1_0.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('term,M1 class + pathway,M2 + child,M3 + deprivation,"M4 LA strata, clustered"');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'outputs', 'config.json'), 'utf8')).safe_threshold).toBe(10);
  });

  it('records exception requests declared in the parameters cell, with their reason', () => {
    const nb = {
      metadata: {},
      cells: [
        { cell_type: 'code', metadata: { tags: ['parameters'] }, source: "const seed = 1;\nconst sdcExceptions = { 'ex_cell2_out1': 'structural zero: no child can be both', };\n", outputs: [] },
        { cell_type: 'code', metadata: {}, source: 'console.log(x)', outputs: [{ output_type: 'stream', name: 'stdout', text: 'n = 4\n' }] },
      ],
    };
    expect(exceptionRequests(nb)).toEqual({ ex_cell2_out1: 'structural zero: no child can be both' });
    const dir = tmpWith({ 'ex.ipynb': nb });
    writeOutputPack(dir);
    const r = JSON.parse(fs.readFileSync(path.join(dir, 'outputs', 'results.json'), 'utf8')).results.ex_cell2_out1;
    expect(r).toMatchObject({ status: 'fail', exception: 'structural zero: no child can be both' });
  });

  it('out/outputs/results.json, when the notebooks have been run, lists every table and figure of out/*.ipynb', () => {
    const out = path.join(process.cwd(), 'out');
    const file = path.join(out, 'outputs', 'results.json');
    if (!fs.existsSync(file)) return; // written by `npm run notebooks`; CI runs the notebooks after the tests
    const results = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(validateAcro(results)).toEqual([]);
    for (const uid of displayedOutputs(out)) expect(Object.keys(results.results), uid).toContain(uid);
  });
});

describe('packNotebook on a hand-built notebook', () => {
  const safe = protectTable([{ area: 'North', n: 120 }, { area: 'South', n: 4 }, { area: 'East', n: 75 }], { countColumns: ['n'], labelColumn: 'area' });
  const nb = {
    metadata: { csc_runner: { executed_at: '2026-01-01T00:00:00Z' } },
    cells: [
      { cell_type: 'markdown', source: '# Title' },
      { cell_type: 'code', source: '// a comment\nshowTable(counts);', outputs: [{ output_type: 'display_data', data: { 'text/html': tableHtml(safe, { caption: 'Referrals by area' }) } }] },
      { cell_type: 'code', source: 'console.log(n);', outputs: [{ output_type: 'stream', name: 'stdout', text: 'We saw 7 children.' }] },
      { cell_type: 'code', source: 'let x = 1;', outputs: [{ output_type: 'stream', name: 'stdout', text: 'done' }] },
    ],
  };
  const { results, files } = packNotebook(nb, '09-test');
  it('one entry per table or numeric output, keyed notebook_cellN_outM; outputs without numbers are left out', () => {
    expect(Object.keys(results)).toEqual(['09-test_cell2_out1', '09-test_cell3_out1']);
    expect(files.map((f) => f.name)).toEqual(['09-test_cell2_out1_0.csv', '09-test_cell3_out1.txt']);
  });
  it('a protected table passes, with its suppressed cells listed as threshold outcomes and shown as [c] in the CSV', () => {
    const t = results['09-test_cell2_out1'];
    expect([t.status, t.type, t.command, t.timestamp]).toEqual(['pass', 'table', 'showTable(counts);', '2026-01-01T00:00:00Z']);
    expect(t.summary).toBe('pass');
    expect(t.comments[0]).toBe('Referrals by area');
    // headers as the reader saw them ("Area", "N"); 4 is small, 75 its secondary
    expect(t.outcome).toEqual({ N: { South: 'threshold; ', East: 'threshold; ' } });
    expect(t.files[0].sdc.cells!.threshold).toEqual([[1, 1], [2, 1]]);
    expect(files[0].text).toBe('Area,N\nNorth,120\nSouth,[c]\nEast,[c]\n');
  });
  it('a small count in text output fails, and the summary names why', () => {
    const t = results['09-test_cell3_out1'];
    expect(t.status).toBe('fail');
    expect(t.summary).toMatch(/^fail; small-count: .*\[7\]/);
  });
});

describe('acroConfig says what the protection layer applies', () => {
  const c = acroConfig(sdcRules({ minCount: 10, roundTo: 5 }));
  it('thresholds and rounding base from the rules', () => {
    expect(c).toMatchObject({ safe_threshold: 10, safe_dof_threshold: 10, survival_safe_threshold: 10, csc_rounding_base: 5 });
    expect(acroConfig(sdcRules({ minCount: 20, roundTo: 10 }))).toMatchObject({ safe_threshold: 20, csc_rounding_base: 10 });
  });
  it('dominance rules as checkMagnitude applies them (N = 2, K = 90%, p = 10%)', () => {
    expect([c.safe_nk_n, c.safe_nk_k, c.safe_pratio_p]).toEqual([DEFAULT_MAGNITUDE_RULES.nkN, DEFAULT_MAGNITUDE_RULES.nkK, DEFAULT_MAGNITUDE_RULES.p]);
    // two contributors holding 91% fail N-K; 89% passes
    expect(checkMagnitude([91, ...Array.from({ length: 9 }, () => 1)]).reasons).toContain('nk-dominance');
  });
  it('zeros: the layer shows a zero count and the checker passes it, so the config must not call zeros disclosive', () => {
    expect(protectCount(0)).toBe(0);
    const t = protectTable([{ g: 'a', n: 0 }, { g: 'b', n: 120 }], { countColumns: ['n'] });
    const nb = { cells: [{ cell_type: 'code', outputs: [{ output_type: 'display_data', data: { 'text/html': tableHtml(t) } }] }] };
    expect(checkNotebook(nb, 'nb').filter((p) => p.severity === 'fail')).toEqual([]);
    expect(c.zeros_are_disclosive).toBe(false);
  });
});
